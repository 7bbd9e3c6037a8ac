package dev.steward.dispatch.internal;

import jakarta.json.JsonObject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * {@code POST /api/v1/tasks}: {@code kind} is required; {@code priority} P0-P3 (default P2); {@code payload} a JSON
 * object; {@code runAt} to schedule; {@code idempotencyKey} so that a repeated submit returns the first task.
 */
public record NewTask(
        @NotBlank @Size(max = 63) String kind,
        @Pattern(regexp = "P[0-3]", message = "must be one of P0, P1, P2, P3") String priority,
        JsonObject payload,
        Instant runAt,
        @Size(min = 1, max = 200) String idempotencyKey,
        @Min(1) @Max(25) Integer maxAttempts) {

    static final int DEFAULT_MAX_ATTEMPTS = 5;
}
