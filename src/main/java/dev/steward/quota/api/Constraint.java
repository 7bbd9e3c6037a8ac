package dev.steward.quota.api;

import java.util.Locale;

/** The limits a job can be held back by; the wire name appears in a deferred task and in metrics. */
public enum Constraint {
    TENANT_CONCURRENCY, TENANT_RATE, AGENT_CONCURRENCY, AGENT_RATE, PROVIDER_REQUESTS, PROVIDER_TOKENS,
    CHANNEL_DAILY_CAP, BUDGET;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
