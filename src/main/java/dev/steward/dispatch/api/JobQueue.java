package dev.steward.dispatch.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * How other modules put work on the queue for the tenant in scope. {@link #submit} (and {@link #submitAll}) joins
 * the caller's transaction when there is one, so a job and the row that asked for it commit together or not at all.
 */
public interface JobQueue {

    /** The job's id; with an idempotency key used before, the first job's id. */
    long submit(Request request);

    /**
     * Many jobs in one insert: their ids, in the order of {@code requests}. A request whose idempotency key was used
     * before, by an earlier submit or an earlier request of the list, gets the first job's id. Joins the caller's
     * transaction like {@link #submit}; nothing is inserted when any request is refused.
     */
    List<Long> submitAll(List<Request> requests);

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
