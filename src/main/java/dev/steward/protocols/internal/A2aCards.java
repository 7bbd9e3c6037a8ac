package dev.steward.protocols.internal;

import dev.steward.agents.api.AgentDefinition;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.net.URI;

/**
 * An agent's A2A agent card (protocol 1.0): where to reach it (JSON-RPC at {@code /a2a/<agent>}), that it streams,
 * that a Steward API key of its tenant is the bearer token, and its capabilities as skills. The agent's instructions
 * are its tenant's and never appear.
 */
final class A2aCards {

    static final String SCHEME = "steward-api-key";

    private A2aCards() {
    }

    static JsonObject card(AgentDefinition agent, URI base) {
        String endpoint = base.resolve("a2a/" + agent.name()).toString();
        JsonArrayBuilder skills = Json.createArrayBuilder();
        if (agent.capabilities().isEmpty()) {
            skills.add(skill(agent.name(), "Converses as " + agent.name()));
        }
        agent.capabilities().forEach(capability -> skills.add(skill(capability, capability + ", as "
                + agent.name())));
        return Json.createObjectBuilder().add("name", agent.name())
                .add("description", "Steward agent " + agent.name() + " (version " + agent.version() + ")")
                .add("supportedInterfaces", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("url", endpoint).add("protocolBinding", "JSONRPC").add("protocolVersion", "1.0")))
                .add("provider", Json.createObjectBuilder().add("organization", "Steward")
                        .add("url", base.toString()))
                .add("version", String.valueOf(agent.version()))
                .add("capabilities", Json.createObjectBuilder().add("streaming", true)
                        .add("pushNotifications", false).add("extendedAgentCard", false))
                .add("securitySchemes", Json.createObjectBuilder().add(SCHEME, Json.createObjectBuilder()
                        .add("httpAuthSecurityScheme", Json.createObjectBuilder().add("scheme", "Bearer")
                                .add("description", "A Steward API key of the agent's tenant, scope"
                                        + " sessions:write"))))
                .add("securityRequirements", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("schemes", Json.createObjectBuilder().add(SCHEME, Json.createObjectBuilder()
                                .add("list", Json.createArrayBuilder())))))
                .add("defaultInputModes", Json.createArrayBuilder().add("text/plain"))
                .add("defaultOutputModes", Json.createArrayBuilder().add("text/plain"))
                .add("skills", skills).build();
    }

    private static JsonObject skill(String id, String description) {
        return Json.createObjectBuilder().add("id", id).add("name", id).add("description", description)
                .add("tags", Json.createArrayBuilder().add(id)).build();
    }
}
