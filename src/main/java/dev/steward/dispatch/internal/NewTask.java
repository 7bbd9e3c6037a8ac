package dev.steward.dispatch.internal;

import dev.steward.dispatch.api.Priority;
import dev.steward.quota.api.Resources;
import jakarta.json.JsonObject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /api/v1/tasks}: {@code kind} is required; {@code priority} P0-P3 (default P2); {@code payload} a JSON
 * object; {@code runAt} to schedule; {@code idempotencyKey} so that a repeated submit returns the first task. What
 * the constraint engine checks before it runs: {@code agentId} (the agent it works for), {@code resources}
 * ({@code provider:<account>}, {@code channel:<account>}) and {@code tokens} (model tokens it expects to spend).
 */
public record NewTask(
        @NotBlank @Size(max = 63) String kind,
        @Pattern(regexp = "P[0-3]", message = "must be one of P0, P1, P2, P3") String priority,
        JsonObject payload,
        Instant runAt,
        @Size(min = 1, max = 200) String idempotencyKey,
        @Min(1) @Max(25) Integer maxAttempts,
        UUID agentId,
        @Size(max = Resources.MAX_PER_JOB) List<@NotNull @Pattern(regexp = Resources.PATTERN,
                message = "must be provider:<account> or channel:<account>") String> resources,
        @Min(0) @Max(10_000_000) Integer tokens) {

    /** The job to insert; {@code defaultMaxAttempts} is the kind's, used when the task names none. */
    JobStore.Submission toSubmission(int defaultMaxAttempts) {
        return new JobStore.Submission(kind, priority == null ? Priority.DEFAULT : Priority.valueOf(priority),
                payload == null ? "{}" : payload.toString(), runAt,
                maxAttempts == null ? defaultMaxAttempts : maxAttempts, idempotencyKey, agentId,
                resources == null ? List.of() : resources, tokens == null ? 0 : tokens);
    }
}
