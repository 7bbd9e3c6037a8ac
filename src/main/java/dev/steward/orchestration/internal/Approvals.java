package dev.steward.orchestration.internal;

import dev.steward.audit.api.AuditTrail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Decisions on approvals: a person approves or denies, or the approval expires. An approved action is committed by
 * the supervisor in the decision's transaction; once a node has no approval left pending, the node succeeds and its
 * run goes on. Approval nodes open their approval here too.
 */
@ApplicationScoped
class Approvals {

    @Inject
    ApprovalStore store;

    @Inject
    RunStore runStore;

    @Inject
    Runs runs;

    @Inject
    Supervisor supervisor;

    @Inject
    ApprovalExpiry expiry;

    @Inject
    PolicyStore policies;

    @Inject
    AuditTrail audit;

    /** What a decision came to. */
    enum Decision { DECIDED, UNKNOWN, ALREADY_DECIDED }

    @Transactional
    Decision decide(UUID id, boolean approve, String comment) {
        Optional<ApprovalStore.Approval> approval = store.find(id);
        if (approval.isEmpty()) {
            return Decision.UNKNOWN;
        }
        runStore.lock(approval.get().runId());
        if (!store.decide(id, approve ? "approved" : "denied", comment)) {
            return Decision.ALREADY_DECIDED;
        }
        JsonObjectBuilder details = Json.createObjectBuilder().add("approval", id.toString())
                .add("node", approval.get().node()).add("action", approval.get().action().getString("action", ""));
        if (approve) {
            details.add("result", supervisor.applyApproved(approval.get()));
        }
        audit.record(Runs.entry(approve ? "approval.approved" : "approval.denied", approval.get().runId(),
                approval.get().recordId(), details.build()));
        settleIfDone(approval.get().runId(), approval.get().node());
        return Decision.DECIDED;
    }

    /** Expires the approval if it is still pending when its time is up. */
    @Transactional
    void expire(UUID id) {
        Optional<ApprovalStore.Approval> approval = store.find(id);
        if (approval.isEmpty() || !approval.get().state().equals("pending")
                || approval.get().expiresAt().isAfter(Instant.now())) {
            return;
        }
        runStore.lock(approval.get().runId());
        if (store.decide(id, "expired", null)) {
            audit.record(Runs.entry("approval.expired", approval.get().runId(), approval.get().recordId(),
                    Json.createObjectBuilder().add("approval", id.toString()).add("node", approval.get().node())
                            .build()));
            settleIfDone(approval.get().runId(), approval.get().node());
        }
    }

    /** An approval node's one approval: its node waits for it. */
    @Transactional
    void openForNode(Runs.NodeWork work) {
        Instant expires = Instant.now().plus(policies.get().approvalTtl());
        JsonObject action = Json.createObjectBuilder().add("action", "continue")
                .add("message", work.node().spec().getString("message", "Continue the workflow?")).build();
        UUID id = store.insert(new ApprovalStore.NewApproval(work.run().id(), work.node().id(), work.run().recordId(),
                null, action, null, null, "approval-node", expires));
        expiry.schedule(id, expires);
        audit.record(Runs.entry("approval.requested", work.run().id(), work.run().recordId(),
                Json.createObjectBuilder().add("approval", id.toString()).add("node", work.node().id())
                        .add("reason", "approval-node").build()));
        runs.park(work.run().id(), work.node().id(), null, null);
    }

    private void settleIfDone(UUID run, String node) {
        List<ApprovalStore.Approval> ofNode = store.ofNode(run, node);
        if (ofNode.stream().anyMatch(a -> a.state().equals("pending"))) {
            return;
        }
        JsonObject before = runStore.nodes(run).stream().filter(n -> n.node().equals(node)).findFirst()
                .map(RunStore.Node::output).orElse(null);
        JsonObjectBuilder output = before == null ? Json.createObjectBuilder() : Json.createObjectBuilder(before);
        JsonArrayBuilder decisions = Json.createArrayBuilder();
        ofNode.forEach(a -> {
            JsonObjectBuilder decision = Json.createObjectBuilder().add("approval", a.id().toString())
                    .add("state", a.state());
            if (a.comment() != null) {
                decision.add("comment", a.comment());
            }
            decisions.add(decision);
        });
        output.add("decisions", decisions);
        boolean approved = ofNode.stream().allMatch(a -> a.state().equals("approved"));
        output.add("approved", approved);
        runs.settle(run, node, output.build());
    }
}
