package dev.steward.dispatch.api;

import dev.steward.shared.FieldError;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * Runs jobs of one kind. Implementations are CDI beans ({@code @ApplicationScoped}); the dispatcher finds them by
 * {@link #kind()} and calls {@link #handle} on a worker thread whose request context carries the job's tenant, so
 * every transaction the handler starts sees that tenant's data only.
 *
 * <p>Jobs run at least once: a worker can die after the work is done and before it is recorded, and the job then
 * runs again once its lease expires. Handlers must be idempotent: check whether the effect already happened (an
 * idempotency key derived from the job id, a conditional update) before causing it again.
 *
 * <p>Returning normally completes the job. Throwing {@link PermanentJobFailure} dead-letters it at once;
 * {@link DependencyUnavailable} defers it without spending the attempt; any other exception is retried with
 * exponential backoff and jitter until its attempts run out.
 */
public interface JobHandler {

    /** The kind this handler runs, e.g. {@code noop}: lowercase letters, digits, dots and dashes. */
    String kind();

    /** Whether tenants may submit this kind through {@code POST /api/v1/tasks}. */
    default boolean submittableByTenants() {
        return false;
    }

    /**
     * Checks a tenant's payload when the task is submitted, so that a bad one is refused with a 400 naming the field
     * ({@code payload.url}) instead of failing later on a worker. Nothing is wrong by default.
     */
    default List<FieldError> validatePayload(JsonObject payload) {
        return List.of();
    }

    /** Attempts a job of this kind gets unless its submitter says otherwise. */
    default int maxAttempts() {
        return 5;
    }

    /**
     * Whether the dispatcher may claim jobs of this kind ahead of its free workers, once it has seen them finish fast:
     * for kinds whose run time does not hang on a tenant's model, agent or remote service, which can make a kind
     * that is fast for most tenants slow for one (a workflow's nodes on a slow model, held in one node's buffer while
     * another node's workers idle). No by default.
     */
    default boolean prefetchable() {
        return false;
    }

    /**
     * How long one attempt may run. Past it the worker is interrupted and the attempt recorded as failed (retried
     * with backoff while attempts remain). {@code STEWARD_DISPATCH_MAX_RUN_SECONDS_<KIND>} overrides it.
     */
    default Duration maxRunTime() {
        return Duration.ofMinutes(15);
    }

    void handle(Job job) throws Exception;
}
