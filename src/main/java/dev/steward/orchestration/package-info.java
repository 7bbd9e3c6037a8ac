/**
 * Orchestration: the tenant's business records that agents work on (typed, versioned, with their history); the
 * supervisor, routing rules, approvals and workflows build on them.
 */
@ApplicationModule(dependsOn = {"tenancy", "audit", "dispatch", "agents", "models", "tools"})
package dev.steward.orchestration;

import dev.steward.shared.ApplicationModule;
