package dev.steward.agents.internal;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.List;

/** The agents API's answers. */
final class AgentViews {

    private AgentViews() {
    }

    /** An agent at its current version: {@code sha256} identifies the version's configuration. */
    public record Agent(String id, String name, String kind, int version, String sha256, JsonObject config,
                        Instant createdAt, Instant updatedAt) {

        static Agent of(AgentStore.Stored agent) {
            return new Agent(agent.id().toString(), agent.name(), agent.config().kind(), agent.version(),
                    agent.config().sha256(), agent.config().json(), agent.createdAt(), agent.updatedAt());
        }
    }

    /** One immutable version; {@code createdBy} is who made it (an API key, the operator, Steward). */
    public record Version(int version, String sha256, JsonObject config, Instant createdAt, String createdBy) {

        static Version of(AgentStore.Stored version) {
            return new Version(version.version(), version.config().sha256(), version.config().json(),
                    version.createdAt(), version.createdBy());
        }
    }

    /** What changed from one version to another. */
    public record Diff(String agentId, int from, int to, List<ConfigDiff.Change> changes) {
    }

    /** A capability an agent advertises, with the agent that has it. */
    public record Capability(String name, String description, JsonValue input, JsonValue output, String agentId,
                             String agentName) {
    }

    /** A remote agent's signing key (hex) and how requests carry the signature. */
    public record SigningKey(String key, String algorithm, String timestampHeader, String signatureHeader) {
    }
}
