package dev.steward.dispatch.internal;

import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.List;

/** The answer to {@code POST /api/v1/tasks/batch}: one entry per submitted item, in the request's order. */
public record SubmittedTasks(List<Item> tasks) {

    /** A {@link TaskView} and whether this item created it ({@code false}: its idempotency key was used before). */
    public record Item(String id, String kind, String priority, String state, JsonValue payload, int attempt,
                       int maxAttempts, Instant runAt, Instant createdAt, Instant startedAt, Instant finishedAt,
                       String lastError, String idempotencyKey, String agentId, List<String> resources,
                       int tokens, int deferrals, String deferredBy, boolean created) {

        static Item of(TaskView task, boolean created) {
            return new Item(task.id(), task.kind(), task.priority(), task.state(), task.payload(), task.attempt(),
                    task.maxAttempts(), task.runAt(), task.createdAt(), task.startedAt(), task.finishedAt(),
                    task.lastError(), task.idempotencyKey(), task.agentId(), task.resources(), task.tokens(),
                    task.deferrals(), task.deferredBy(), created);
        }
    }
}
