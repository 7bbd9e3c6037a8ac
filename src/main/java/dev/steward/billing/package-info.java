/**
 * Billing: a usage event per model call (tokens, latency, cost from the model's prices), readable by the tenant
 * through {@code GET /api/v1/usage} and by analysts in SQL.
 */
@ApplicationModule(dependsOn = {"tenancy"})
package dev.steward.billing;

import dev.steward.shared.ApplicationModule;
