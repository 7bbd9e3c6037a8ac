package dev.steward.dispatch.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * How other modules put work on the queue for the tenant in scope. {@link #submit} joins the caller's transaction
 * when there is one, so a job and the row that asked for it commit together or not at all.
 */
public interface JobQueue {

    /** The job's id; with an idempotency key used before, the first job's id. */
    long submit(Request request);

    /**
     * A job: its kind (a registered {@link JobHandler}'s), priority, JSON payload, when it may run ({@code null}:
     * now), an idempotency key (may be null), and for the constraint engine the agent it works for (may be null),
     * the resources it uses ({@code provider:<account>}, {@code channel:<account>}) and the model tokens it expects
     * to spend; {@code maxAttempts} overrides the handler's when positive.
     */
    record Request(String kind, Priority priority, String payloadJson, Instant runAt, String idempotencyKey,
                   UUID agentId, List<String> resources, int tokens, int maxAttempts) {

        public Request {
            resources = List.copyOf(resources);
        }

        public Request(String kind, Priority priority, String payloadJson, Instant runAt, String idempotencyKey,
                       UUID agentId, List<String> resources, int tokens) {
            this(kind, priority, payloadJson, runAt, idempotencyKey, agentId, resources, tokens, 0);
        }
    }
}
