/**
 * Audit: the tenant's append-only, hash-chained trail of what agents, people and Steward did, readable and
 * verifiable through {@code /api/v1/audit}.
 */
@ApplicationModule(dependsOn = {"tenancy"})
package dev.steward.audit;

import dev.steward.shared.ApplicationModule;
