package dev.steward.quota.internal;

import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Platform defaults for subjects without limits of their own ({@code STEWARD_QUOTA_*}); an empty default means no
 * limit. Read once, at first use.
 *
 * @param tenantConcurrency jobs one tenant runs at once
 * @param tenantPerMinute   jobs one tenant starts per minute
 * @param agentConcurrency  jobs one agent runs at once
 * @param agentPerMinute    jobs one agent starts per minute
 * @param smtpPerDay        sends per day of a channel account of type smtp, or of no declared type
 * @param recheck           how long a job held back by a concurrency limit waits before it is looked at again
 */
record QuotaSettings(Optional<Integer> tenantConcurrency, Optional<Integer> tenantPerMinute,
                     Optional<Integer> agentConcurrency, Optional<Integer> agentPerMinute, int smtpPerDay,
                     Duration recheck) {

    static final int GMAIL_PER_DAY = 2_000;
    static final int O365_PER_DAY = 10_000;

    static QuotaSettings from(Config config) {
        return new QuotaSettings(
                positive(config, "steward.quota.tenant-concurrency", 100),
                positive(config, "steward.quota.tenant-per-minute", 60_000),
                positive(config, "steward.quota.agent-concurrency", 25),
                positive(config, "steward.quota.agent-per-minute", 0),
                config.getOptionalValue("steward.quota.smtp-per-day", Integer.class).orElse(1_000),
                Duration.ofMillis(config.getOptionalValue("steward.quota.recheck-millis", Long.class).orElse(1_000L)));
    }

    /** The default daily cap of a channel account by its type: what the mail providers allow, SMTP configurable. */
    int perDay(String channelType) {
        if ("gmail".equals(channelType)) {
            return GMAIL_PER_DAY;
        }
        return "o365".equals(channelType) ? O365_PER_DAY : smtpPerDay;
    }

    /** A configured limit; 0 (or less) turns the default off. */
    private static Optional<Integer> positive(Config config, String name, int fallback) {
        int value = config.getOptionalValue(name, Integer.class).orElse(fallback);
        return value > 0 ? Optional.of(value) : Optional.empty();
    }
}
