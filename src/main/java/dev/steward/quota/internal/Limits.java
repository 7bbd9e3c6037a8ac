package dev.steward.quota.internal;

import java.math.BigDecimal;

/**
 * A subject's limits; null is "none". Stored limits leave nulls for the platform default, which
 * {@link #withDefaults} fills in.
 */
record Limits(Integer concurrency, Integer perMinute, Integer tokensPerMinute, Integer perDay, String channelType,
              BigDecimal monthlyBudget) {

    static final Limits NONE = new Limits(null, null, null, null, null, null);

    Limits withDefaults(Subject subject, QuotaSettings defaults) {
        return switch (subject.kind()) {
            case TENANT -> new Limits(or(concurrency, defaults.tenantConcurrency().orElse(null)),
                    or(perMinute, defaults.tenantPerMinute().orElse(null)), null, null, null, monthlyBudget);
            case AGENT -> new Limits(or(concurrency, defaults.agentConcurrency().orElse(null)),
                    or(perMinute, defaults.agentPerMinute().orElse(null)), null, null, null, null);
            case PROVIDER -> new Limits(null, perMinute, tokensPerMinute, null, null, null);
            case CHANNEL -> new Limits(null, null, null, or(perDay, defaults.perDay(channelType)), channelType, null);
        };
    }

    private static Integer or(Integer value, Integer fallback) {
        return value != null ? value : fallback;
    }
}
