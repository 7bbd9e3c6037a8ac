/**
 * Protocols: Steward's agents to clients that speak a standard rather than Steward's own API: the OpenAI-compatible
 * chat completions endpoint ({@code /v1/chat/completions}), where a model is one of the tenant's agents; the MCP
 * server ({@code /mcp}) offering the tenant's agents and read tools; and A2A ({@code /a2a/<agent>}): each agent's
 * card and its JSON-RPC tasks.
 */
@ApplicationModule(dependsOn = {"tenancy", "agents", "sessions", "tools", "audit"})
package dev.steward.protocols;

import dev.steward.shared.ApplicationModule;
