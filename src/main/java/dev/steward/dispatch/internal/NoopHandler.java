package dev.steward.dispatch.internal;

import dev.steward.dispatch.api.Job;
import dev.steward.dispatch.api.JobHandler;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code noop}: completes at once. Any tenant may submit it, for smoke checks and benchmarks. Idempotent. */
@ApplicationScoped
class NoopHandler implements JobHandler {

    @Override
    public String kind() {
        return "noop";
    }

    @Override
    public boolean submittableByTenants() {
        return true;
    }

    @Override
    public boolean prefetchable() {
        return true;
    }

    @Override
    public void handle(Job job) {
        // Nothing to do, by design.
    }
}
