/**
 * Protocols: Steward's agents to clients that speak a standard rather than Steward's own API. For now the
 * OpenAI-compatible chat completions endpoint ({@code /v1/chat/completions}, {@code /v1/models}), where a model is
 * one of the tenant's agents; MCP and A2A come to the same module.
 */
@ApplicationModule(dependsOn = {"tenancy", "agents", "sessions"})
package dev.steward.protocols;

import dev.steward.shared.ApplicationModule;
