package dev.steward.dispatch.internal;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;

/**
 * A job as the tasks API shows it. {@code deferrals} counts the times a limit held it back; {@code deferredBy} names
 * the limit it is waiting on now, if any (a constraint's wire name, as in the metrics).
 */
public record TaskView(String id, String kind, String priority, String state, JsonValue payload, int attempt,
                       int maxAttempts, Instant runAt, Instant createdAt, Instant startedAt, Instant finishedAt,
                       String lastError, String idempotencyKey, String agentId, List<String> resources,
                       int tokens, int deferrals, String deferredBy) {

    static TaskView of(JobRow job) {
        JsonValue payload;
        try (var reader = Json.createReader(new StringReader(job.payloadJson()))) {
            payload = reader.readValue();
        }
        return new TaskView(String.valueOf(job.id()), job.kind(), job.priority().name(), job.state().wireName(),
                payload, job.attempt(), job.maxAttempts(), job.runAt(), job.createdAt(), job.startedAt(),
                job.finishedAt(), job.lastError(), job.idempotencyKey(),
                job.agent() == null ? null : job.agent().toString(), job.resources(), job.tokens(), job.deferrals(),
                job.deferredBy());
    }
}
