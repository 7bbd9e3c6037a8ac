/**
 * Models: a tenant's model provider accounts (credentials encrypted at rest, never returned) and the models it
 * prices on them, plus the built-in {@code steward-scripted} model every tenant has.
 */
@ApplicationModule(dependsOn = {"tenancy", "billing", "quota", "audit"})
package dev.steward.models;

import dev.steward.shared.ApplicationModule;
