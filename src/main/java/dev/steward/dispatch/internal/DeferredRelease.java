package dev.steward.dispatch.internal;

import dev.steward.quota.api.LimitsChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

/**
 * When a tenant's limits change, its jobs held back by the old ones go back in line at once (in the transaction that
 * changed the limits), and this node's dispatcher looks at them as soon as that transaction commits. Admission
 * decides again under the new limits.
 */
@ApplicationScoped
class DeferredRelease {

    @Inject
    JobStore store;

    @Inject
    Dispatcher dispatcher;

    void release(@Observes LimitsChanged change) {
        store.releaseDeferred();
    }

    void wake(@Observes(during = TransactionPhase.AFTER_SUCCESS) LimitsChanged change) {
        dispatcher.wake();
    }
}
