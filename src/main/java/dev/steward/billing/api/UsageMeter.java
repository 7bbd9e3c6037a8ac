package dev.steward.billing.api;

/** Records usage events for the tenant in scope, in the caller's transaction (or its own). */
public interface UsageMeter {

    void record(UsageEvent event);
}
