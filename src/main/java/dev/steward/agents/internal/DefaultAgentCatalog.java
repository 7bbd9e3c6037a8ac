package dev.steward.agents.internal;

import dev.steward.agents.api.AgentCatalog;
import dev.steward.agents.api.AgentDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** {@link AgentCatalog} over the agent store, under the tenant in scope's row-level security. */
@ApplicationScoped
class DefaultAgentCatalog implements AgentCatalog {

    @Inject
    AgentStore store;

    @Override
    public List<AgentSummary> page(String nameContains, int offset, int limit) {
        String filter = nameContains == null || nameContains.isBlank() ? null : nameContains.strip();
        return store.page(filter, offset, limit).stream().map(DefaultAgentCatalog::summary).toList();
    }

    @Override
    public Optional<AgentSummary> find(UUID agent) {
        return store.find(agent).map(DefaultAgentCatalog::summary);
    }

    @Override
    public List<AgentVersion> versions(UUID agent) {
        return store.versions(agent, null).stream().map(version -> new AgentVersion(version.version(),
                version.config().sha256(), version.createdAt(), version.createdBy())).toList();
    }

    @Override
    public Optional<VersionDiff> diff(UUID agent, Integer from, Integer to) {
        List<AgentStore.Stored> versions = store.versions(agent, null);
        if (versions.isEmpty()) {
            return Optional.empty();
        }
        VersionComparison comparison = VersionComparison.of(versions, from, to);
        if (comparison.missing() != null) {
            return Optional.empty();
        }
        return Optional.of(new VersionDiff(comparison.from(), comparison.to(), comparison.changes().stream()
                .map(change -> new FieldChange(change.path(), change.op(), text(change.from()), text(change.to())))
                .toList()));
    }

    private static AgentSummary summary(AgentStore.Stored agent) {
        AgentDefinition definition = DefaultAgentDirectory.definition(agent);
        return new AgentSummary(agent.id(), agent.name(), agent.config().kind(), agent.version(), definition.model(),
                definition.fallbackModels(), definition.endpoint(),
                definition.protocol().name().toLowerCase(Locale.ROOT), agent.createdAt(), agent.updatedAt());
    }

    /** A value as a person reads it: a string as it is, anything else as JSON; absent as null. */
    private static String text(JsonValue value) {
        if (value == null) {
            return null;
        }
        return value instanceof JsonString string ? string.getString() : AgentConfig.text(value);
    }
}
