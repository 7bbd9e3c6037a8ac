package dev.steward.dispatch.internal;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;

/** A job as the tasks API shows it. */
public record TaskView(String id, String kind, String priority, String state, JsonValue payload, int attempt,
                       int maxAttempts, Instant runAt, Instant createdAt, Instant startedAt, Instant finishedAt,
                       String lastError, String idempotencyKey) {

    static TaskView of(JobRow job) {
        JsonValue payload;
        try (var reader = Json.createReader(new StringReader(job.payloadJson()))) {
            payload = reader.readValue();
        }
        return new TaskView(String.valueOf(job.id()), job.kind(), job.priority().name(), job.state().wireName(),
                payload, job.attempt(), job.maxAttempts(), job.runAt(), job.createdAt(), job.startedAt(),
                job.finishedAt(), job.lastError(), job.idempotencyKey());
    }
}
