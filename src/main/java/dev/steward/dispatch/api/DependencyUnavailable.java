package dev.steward.dispatch.api;

import java.time.Duration;

/**
 * Thrown by a handler when what the job needs is unavailable for now (a provider whose circuit is open, a receiver
 * asking to be called later): the job is deferred by {@code retryAfter} and keeps its attempt, instead of burning
 * attempts against a dependency that is known to be down. The task shows {@code deferredBy: dependency}.
 */
public class DependencyUnavailable extends Exception {

    private static final Duration MINIMUM = Duration.ofSeconds(1);

    private final Duration retryAfter;

    /** {@code retryAfter} is taken as at least one second. */
    public DependencyUnavailable(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter == null || retryAfter.compareTo(MINIMUM) < 0 ? MINIMUM : retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
