/**
 * The constraint engine: limits as data per tenant and subject (the tenant, its agents, model provider accounts,
 * channel accounts), and the admission check the dispatcher runs on every claimed job before a worker gets it.
 * Counters live in PostgreSQL under row locks, so they stay exact with any number of Steward nodes.
 */
@ApplicationModule(dependsOn = {"tenancy", "audit"})
package dev.steward.quota;

import dev.steward.shared.ApplicationModule;
