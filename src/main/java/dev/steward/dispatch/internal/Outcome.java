package dev.steward.dispatch.internal;

import java.time.Instant;

/**
 * How an attempt ended, waiting for {@link Completer} to record it: completed; failed ({@code at} the retry time,
 * null for a permanent failure); or deferred by its handler until {@code at} ({@code detail} the reason).
 */
record Outcome(JobRow job, Kind kind, String detail, Instant at) {

    enum Kind { COMPLETED, FAILED, DEFERRED }

    static Outcome completed(JobRow job) {
        return new Outcome(job, Kind.COMPLETED, null, null);
    }

    static Outcome failed(JobRow job, String error, Instant retryAt) {
        return new Outcome(job, Kind.FAILED, error, retryAt);
    }

    static Outcome deferred(JobRow job, Instant until, String reason) {
        return new Outcome(job, Kind.DEFERRED, reason, until);
    }
}
