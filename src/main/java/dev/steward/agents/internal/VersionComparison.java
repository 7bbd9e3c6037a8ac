package dev.steward.agents.internal;

import jakarta.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * Two versions of an agent compared: what the REST diff ({@code GET /api/v1/agents/{id}/diff}) and the admin UI both
 * read. Without {@code to} the current version is compared, without {@code from} the one before {@code to}.
 */
record VersionComparison(int from, int to, List<ConfigDiff.Change> changes, Missing missing) {

    /** Which version asked for the agent never had; null when both exist. */
    enum Missing { FROM, TO }

    /** The comparison of an agent's {@code versions} (oldest first, not empty). */
    static VersionComparison of(List<AgentStore.Stored> versions, Integer from, Integer to) {
        int newest = versions.get(versions.size() - 1).version();
        int toVersion = to == null ? newest : to;
        int fromVersion = from == null ? Math.max(1, toVersion - 1) : from;
        Optional<JsonObject> before = config(versions, fromVersion);
        Optional<JsonObject> after = config(versions, toVersion);
        if (before.isEmpty() || after.isEmpty()) {
            return new VersionComparison(fromVersion, toVersion, List.of(), before.isEmpty() ? Missing.FROM
                    : Missing.TO);
        }
        return new VersionComparison(fromVersion, toVersion, ConfigDiff.between(before.get(), after.get()), null);
    }

    private static Optional<JsonObject> config(List<AgentStore.Stored> versions, int version) {
        return versions.stream().filter(v -> v.version() == version).findFirst().map(v -> v.config().json());
    }
}
