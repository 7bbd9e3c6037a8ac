package dev.steward.orchestration.internal;

import dev.steward.orchestration.api.ApprovalInbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;

/** {@link ApprovalInbox} over the approvals store and {@link Approvals#decide}, the API's own path. */
@ApplicationScoped
class DefaultApprovalInbox implements ApprovalInbox {

    @Inject
    ApprovalStore store;

    @Inject
    Approvals approvals;

    @Override
    public List<Pending> pending(int limit) {
        return store.list("pending", null, null, limit).stream().map(approval -> new Pending(approval.id(),
                approval.runId(), approval.node(), approval.reason(), approval.action().toString(),
                approval.confidence(), approval.reasoning(), approval.createdAt(), approval.expiresAt())).toList();
    }

    @Override
    public Outcome decide(UUID approval, boolean approve, String comment) {
        return switch (approvals.decide(approval, approve, comment)) {
            case DECIDED -> Outcome.DECIDED;
            case UNKNOWN -> Outcome.UNKNOWN;
            case ALREADY_DECIDED -> Outcome.NO_LONGER_PENDING;
        };
    }
}
