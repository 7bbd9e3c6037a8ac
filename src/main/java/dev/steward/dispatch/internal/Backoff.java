package dev.steward.dispatch.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed attempt runs again: exponential (2 s, 4 s, 8 s, ...) up to a cap of 10 minutes, with "equal jitter"
 * (half the delay fixed, half random) so that jobs failing together do not come back together as a retry storm.
 */
final class Backoff {

    static final Duration BASE = Duration.ofSeconds(2);
    static final Duration CAP = Duration.ofMinutes(10);

    private Backoff() {
    }

    static Duration delay(int attempt) {
        long exponential = BASE.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        long capped = Math.min(exponential, CAP.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    static Instant retryAt(int attempt, Instant now) {
        return now.plus(delay(attempt));
    }
}
