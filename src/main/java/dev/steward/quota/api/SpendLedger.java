package dev.steward.quota.api;

import java.math.BigDecimal;

/**
 * Adds to the tenant in scope's spend this month (UTC), which the budget check compares with its monthly budget.
 * Called by metering, in the transaction that records the usage.
 */
public interface SpendLedger {

    void add(BigDecimal amount);

    /** Whether the tenant in scope has a monthly budget and has spent it this month. */
    boolean budgetSpent();
}
