package dev.steward.orchestration.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The tenant in scope's workflow runs as people look back on them (the admin UI): a filtered list, and one run with
 * its workflow's graph (nodes with their states and timings, edges), its specialists' proposals and its approvals.
 * Reads only, under the tenant's row-level security: another tenant's run is not found.
 */
public interface RunHistory {

    /**
     * Runs of the workflow named {@code workflow} (any when null) in {@code state} (any when null), newest first,
     * skipping {@code offset}, at most {@code limit}.
     */
    List<Summary> list(String workflow, String state, int offset, int limit);

    Optional<Detail> find(UUID runId);

    /** The names of the tenant's workflows, live or deleted, that have runs or may have them (for a filter). */
    List<String> workflows();

    /** A run: waiting, running, succeeded, failed, cancelled, rejected or merged. */
    record Summary(UUID id, String workflow, int workflowVersion, String state, UUID recordId, String error,
                   Instant createdAt, Instant startedAt, Instant finishedAt) {

        /** How long it ran; null until it has started and ended. */
        public Long durationMillis() {
            return millis(startedAt, finishedAt);
        }
    }

    /** The run, its nodes in the workflow's order, the workflow version's edges, and its approvals (oldest first). */
    record Detail(Summary run, List<Node> nodes, List<Edge> edges, List<Approval> approvals) {
    }

    /**
     * A node of the run: its kind ({@code agent}, {@code commit}, {@code approval}, {@code wait}, {@code condition},
     * {@code tool}), its state ({@code pending}, {@code queued}, {@code running}, {@code waiting}, {@code succeeded},
     * {@code failed}, {@code skipped}, {@code cancelled}), what a waiting node waits for ({@code approval},
     * {@code event <name>}, {@code time}; else null), and for a specialist the agent that answered and its proposal
     * (JSON text).
     */
    record Node(String id, String kind, String label, String state, String waitingFor, int attempts,
                Instant startedAt, Instant finishedAt, Instant wakeAt, String error, String agent, String proposal) {

        public Long durationMillis() {
            return millis(startedAt, finishedAt);
        }
    }

    /** An edge of the workflow; {@code conditional} when it is taken only if its {@code when} holds. */
    record Edge(String from, String to, boolean conditional) {
    }

    /** An approval the run asked for; {@code action} is the proposed action's JSON text. */
    record Approval(UUID id, String node, String state, String reason, String action, BigDecimal confidence,
                    Instant createdAt, Instant decidedAt, String decidedBy, String comment) {
    }

    private static Long millis(Instant start, Instant end) {
        return start == null || end == null ? null : Duration.between(start, end).toMillis();
    }
}
