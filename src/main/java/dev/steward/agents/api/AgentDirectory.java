package dev.steward.agents.api;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The tenant in scope's agents, for the modules that run them. */
public interface AgentDirectory {

    /** The agent at its current version; empty for an unknown or deleted agent. */
    Optional<AgentDefinition> current(UUID agentId);

    /** The tenant's live agents at their current versions, by name (at most 500). */
    List<AgentDefinition> all();

    /** The live agent of that name at its current version. */
    Optional<AgentDefinition> named(String name);

    /**
     * Capability discovery: the live agent offering {@code capability} (the first by name when several do), at its
     * current version.
     */
    Optional<AgentDefinition> withCapability(String capability);

    /**
     * The agent at a version it had, as sessions pinned to it see it: served after the agent is deleted too, so
     * that its open sessions can finish.
     */
    Optional<AgentDefinition> version(UUID agentId, int version);

    /**
     * The key requests to a remote agent are signed with (HMAC-SHA256 over {@code <timestamp>.<body>}); the
     * tenant's engine holds the same key, from {@code POST /api/v1/agents/{id}/signing-key}.
     */
    byte[] signingKey(UUID agentId);

    /** The bearer token a remote A2A agent is called with, if its tenant gave one. */
    Optional<String> remoteToken(UUID agentId);
}
