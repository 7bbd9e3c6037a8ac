/**
 * Agents: a tenant's agent definitions with immutable, content-addressed versions ({@code llm} agents on a model,
 * {@code remote} agents that are a tenant's own reasoning engine), and their capabilities for discovery.
 */
@ApplicationModule(dependsOn = {"tenancy", "models", "audit"})
package dev.steward.agents;

import dev.steward.shared.ApplicationModule;
