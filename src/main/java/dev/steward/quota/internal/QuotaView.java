package dev.steward.quota.internal;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One subject's limits as they apply (its own, or the platform defaults; an absent limit is no limit), which of them
 * are the subject's own, and its counters now.
 */
public record QuotaView(String subject, LimitsView limits, LimitsView own, UsageView usage, Instant updatedAt) {

    /** Limits on the wire; absent fields are no limit (in {@code limits}) or the default (in {@code own}). */
    public record LimitsView(Integer concurrency, Integer perMinute, Integer tokensPerMinute, Integer perDay,
                             String channelType, BigDecimal monthlyBudget) {

        static LimitsView of(Limits limits) {
            return new LimitsView(limits.concurrency(), limits.perMinute(), limits.tokensPerMinute(),
                    limits.perDay(), limits.channelType(), limits.monthlyBudget());
        }
    }

    /** Room left in the per-minute buckets, sends today, spend this month: whichever apply to the subject. */
    public record UsageView(Integer requestsLeft, Integer tokensLeft, Integer usedToday, BigDecimal spentThisMonth) {
    }

    static QuotaView of(LimitStore.Stored stored, QuotaSettings defaults, Instant now) {
        Limits effective = stored.limits().withDefaults(stored.subject(), defaults);
        Usage usage = stored.usage();
        UsageView usageView = new UsageView(
                effective.perMinute() == null ? null : (int) usage.requestsLeft(effective.perMinute(), now),
                effective.tokensPerMinute() == null ? null : (int) usage.tokensLeft(effective.tokensPerMinute(), now),
                effective.perDay() == null ? null : usage.usedOn(Usage.utcDay(now)),
                stored.subject().kind() == Subject.Kind.TENANT ? usage.spentIn(Usage.utcMonth(now)) : null);
        return new QuotaView(stored.subject().key(), LimitsView.of(effective), LimitsView.of(stored.limits()),
                usageView, stored.updatedAt());
    }
}
