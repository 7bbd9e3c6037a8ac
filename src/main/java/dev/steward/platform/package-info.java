/**
 * The deployable's frame: the JAX-RS application, problem+json mapping, request ids and body limits, health, and
 * the start-up sequence (database roles, migrations, demo tenant). Uses other modules only through their api.
 */
@ApplicationModule(dependsOn = {"tenancy"})
package dev.steward.platform;

import dev.steward.shared.ApplicationModule;
