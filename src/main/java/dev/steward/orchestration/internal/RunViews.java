package dev.steward.orchestration.internal;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What the runs, approvals and policy APIs answer. */
final class RunViews {

    private RunViews() {
    }

    public record Workflow(String id, String name, int version) {
    }

    public record Rule(String id, Integer version) {
    }

    /** A run; {@code nodes} only when one run is asked for. */
    public record Run(String id, Workflow workflow, String record, Rule rule, JsonObject trigger, String state,
                      String mergedInto, String error, Instant createdAt, Instant startedAt, Instant finishedAt,
                      Long durationMillis, List<Node> nodes) {

        static Run of(RunStore.Run run, List<RunStore.Node> nodes) {
            return new Run(run.id().toString(), new Workflow(run.workflowId().toString(), run.workflow(),
                    run.workflowVersion()), text(run.recordId()), run.ruleId() == null ? null
                    : new Rule(run.ruleId().toString(), run.ruleVersion()), run.trigger(), run.state(),
                    text(run.mergedInto()), run.error(), run.createdAt(), run.startedAt(), run.finishedAt(),
                    millis(run.startedAt(), run.finishedAt()),
                    nodes == null ? null : nodes.stream().map(Node::of).toList());
        }
    }

    public record Node(String id, String kind, String label, String state, int attempts, Instant startedAt,
                       Instant finishedAt, Long durationMillis, Instant wakeAt, JsonObject output, String error) {

        static Node of(RunStore.Node node) {
            return new Node(node.node(), node.kind(), node.label(), node.state(), node.attempts(), node.startedAt(),
                    node.finishedAt(), millis(node.startedAt(), node.finishedAt()), node.wakeAt(), node.output(),
                    node.error());
        }
    }

    /** Where a record is in the runs that hold it or wait for it ("being qualified"). */
    public record Activity(String run, String workflow, String state, String node, String label, String nodeState) {

        static Activity of(RunStore.Activity activity) {
            return new Activity(activity.run().toString(), activity.workflow(), activity.state(), activity.node(),
                    activity.label(), activity.nodeState());
        }
    }

    /** An approval with what a person needs to decide: the action, the record as it is now, why, and the run. */
    public record Approval(String id, String run, String node, String state, String reason, JsonObject action,
                           String agent, java.math.BigDecimal confidence, String reasoning, JsonObject record,
                           JsonObject context, Instant createdAt, Instant expiresAt, Instant decidedAt,
                           String decidedBy, String comment) {
    }

    public record Policy(List<String> conflictRanks, java.math.BigDecimal confidenceThreshold,
                         long approvalTtlSeconds) {

        static Policy of(PolicyStore.Policy policy) {
            return new Policy(policy.conflictRanks(), policy.confidenceThreshold(),
                    policy.approvalTtl().toSeconds());
        }
    }

    static String text(Object id) {
        return id == null ? null : id.toString();
    }

    private static Long millis(Instant start, Instant end) {
        return start == null || end == null ? null : Duration.between(start, end).toMillis();
    }
}
