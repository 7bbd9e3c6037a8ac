package dev.steward.dispatch.api;

import java.time.Instant;
import java.util.List;

/**
 * The tenant in scope's dead letters (jobs that failed for good), for people handling them outside the REST API
 * (the admin UI): retried with fresh attempts, or discarded, exactly as {@code POST /api/v1/tasks/{id}/retry} and
 * {@code .../discard} do.
 */
public interface DeadLetters {

    /** The most recent first. */
    List<DeadLetter> list(int limit);

    Outcome retry(long job);

    Outcome discard(long job);

    enum Outcome { DONE, UNKNOWN, NOT_DEAD }

    record DeadLetter(long id, String kind, Priority priority, int attempts, String lastError, Instant finishedAt) {
    }
}
