package dev.steward.agents.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The tenant in scope's live agents as people look them over (the admin UI): pages of them, an agent's versions, and
 * what changed between two of them, read as {@code GET /api/v1/agents/{id}/versions} and {@code .../diff} read them.
 * Configurations hold no secrets (a remote agent's token is kept apart from its versions), so none can show here.
 */
public interface AgentCatalog {

    /** By name, from {@code offset}, at most {@code limit}; only names containing {@code nameContains} if given. */
    List<AgentSummary> page(String nameContains, int offset, int limit);

    /** The live agent at its current version; empty for an unknown, deleted or another tenant's agent. */
    Optional<AgentSummary> find(UUID agent);

    /** The agent's versions, oldest first; empty for an unknown agent. */
    List<AgentVersion> versions(UUID agent);

    /**
     * What changed from version {@code from} to version {@code to} (null: the one before {@code to}, and the current
     * one); empty for an unknown agent or a version it never had.
     */
    Optional<VersionDiff> diff(UUID agent, Integer from, Integer to);

    /**
     * An agent at its current version: an llm agent's model and fallbacks, a remote agent's endpoint and protocol
     * ({@code steward} or {@code a2a}).
     */
    record AgentSummary(UUID id, String name, String kind, int version, String model, List<String> fallbackModels,
                        String endpoint, String protocol, Instant createdAt, Instant updatedAt) {

        public AgentSummary {
            fallbackModels = List.copyOf(fallbackModels);
        }
    }

    /** One immutable version; {@code createdBy} is who made it (an API key, an admin, the operator, Steward). */
    record AgentVersion(int version, String sha256, Instant createdAt, String createdBy) {
    }

    /** The changes from one version to another, field by field. */
    record VersionDiff(int from, int to, List<FieldChange> changes) {

        public VersionDiff {
            changes = List.copyOf(changes);
        }
    }

    /**
     * One field that changed: its JSON Pointer path into the configuration, {@code added}, {@code removed} or
     * {@code changed}, and its values before and after (strings as they are, other values as JSON; null when absent).
     */
    record FieldChange(String path, String change, String before, String after) {
    }
}
