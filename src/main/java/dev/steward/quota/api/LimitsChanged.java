package dev.steward.quota.api;

import dev.steward.shared.TenantId;

/**
 * Fired inside the transaction that changed a tenant's limits: work held back by the old limits may run now, so
 * the queue puts it back in line at once rather than at the time the old limits gave it.
 */
public record LimitsChanged(TenantId tenant) {
}
