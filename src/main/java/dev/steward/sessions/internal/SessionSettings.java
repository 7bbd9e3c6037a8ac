package dev.steward.sessions.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sessions' settings: how long a confirmation waits for a person ({@code STEWARD_SESSIONS_CONFIRMATION_SECONDS},
 * default an hour), how often the timer evicts idle sessions and expires confirmations
 * ({@code STEWARD_SESSIONS_SWEEP_SECONDS}, default 60), and the polling of long jobs: from
 * {@code STEWARD_SESSIONS_POLL_MILLIS} (default 500) doubling per poll up to 30 s, never later than the job said.
 */
@ApplicationScoped
class SessionSettings {

    private static final Duration MAX_POLL_DELAY = Duration.ofSeconds(30);

    @Inject
    @ConfigProperty(name = "steward.sessions.confirmation-seconds", defaultValue = "3600")
    long confirmationSeconds;

    @Inject
    @ConfigProperty(name = "steward.sessions.sweep-seconds", defaultValue = "60")
    long sweepSeconds;

    @Inject
    @ConfigProperty(name = "steward.sessions.poll-millis", defaultValue = "500")
    long pollMillis;

    Duration confirmationTimeout() {
        return Duration.ofSeconds(confirmationSeconds);
    }

    Duration sweepInterval() {
        return Duration.ofSeconds(sweepSeconds);
    }

    /** The wait before poll number {@code polls} (from 0): backoff, capped, and no later than the job expects. */
    Duration pollDelay(int polls, Duration expected) {
        Duration backoff = Duration.ofMillis(pollMillis).multipliedBy(1L << Math.min(polls, 16));
        Duration delay = backoff.compareTo(MAX_POLL_DELAY) > 0 ? MAX_POLL_DELAY : backoff;
        return expected != null && !expected.isNegative() && expected.compareTo(delay) < 0 ? expected : delay;
    }
}
