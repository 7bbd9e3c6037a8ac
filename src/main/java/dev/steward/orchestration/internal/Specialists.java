package dev.steward.orchestration.internal;

import dev.steward.agents.api.AgentDefinition;
import dev.steward.audit.api.AuditTrail;
import dev.steward.dispatch.api.PermanentJobFailure;
import dev.steward.models.api.ChatGateway;
import dev.steward.models.api.ChatGateway.CallContext;
import dev.steward.models.api.ChatGateway.ChatMessage;
import dev.steward.models.api.ChatGateway.ChatRequest;
import dev.steward.models.api.ChatGateway.ChatResult;
import dev.steward.models.api.ChatGateway.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Asks a specialist for its proposal: the agent a node names (or the one capability discovery finds) gets its own
 * instructions, the proposal protocol and its scope, and the run's context package as the message. Called outside
 * a transaction: the model call holds no connection.
 */
@ApplicationScoped
class Specialists {

    @Inject
    NodeQueue nodes;

    @Inject
    ChatGateway gateway;

    @Inject
    Recorder recorder;

    /** The node's output: which agent answered, with which model, and its proposal. */
    JsonObject propose(Runs.NodeWork work) throws Exception {
        AgentDefinition agent = nodes.specialist(work.node()).orElseThrow(() -> new PermanentJobFailure(
                work.node().spec().containsKey("agent") ? "No agent named " + work.node().spec().getString("agent")
                        : "No agent offers the capability " + work.node().spec().getString("capability")));
        if (agent.kind() == AgentDefinition.Kind.REMOTE) {
            throw new PermanentJobFailure("Agent " + agent.name() + " is remote; workflow specialists are llm agents");
        }
        String system = (agent.instructions() == null ? "" : agent.instructions() + "\n\n") + Proposal.PROTOCOL
                + "\nYou may propose: " + scope(agent) + "."
                + (work.node().spec().containsKey("instructions") ? "\nThis step: "
                + work.node().spec().getString("instructions") : "");
        ChatResult result;
        try {
            result = gateway.chat(new ChatRequest(agent.model(), agent.fallbackModels(), List.of(
                    new ChatMessage(Role.SYSTEM, system), new ChatMessage(Role.USER, work.facts().toString())),
                    List.of(), CallContext.ofRun(agent.id(), agent.version(), work.run().id()), null,
                    agent.restorePersonalData()));
        } catch (ChatGateway.ModelCallFailed e) {
            if (e.failure() == ChatGateway.Failure.PROVIDER_FAILED) {
                throw e;
            }
            throw new PermanentJobFailure("The model call was refused: " + e.getMessage());
        }
        Proposal proposal = Proposal.parse(result.text());
        JsonObject output = Json.createObjectBuilder()
                .add("agent", Json.createObjectBuilder().add("id", agent.id().toString()).add("name", agent.name())
                        .add("version", agent.version()))
                .add("model", result.model()).add("proposal", proposal.json()).build();
        recorder.proposed(work, agent, result, output);
        return output;
    }

    private static String scope(AgentDefinition agent) {
        if (agent.proposes().isEmpty()) {
            return "nothing (an empty actions list)";
        }
        return agent.proposes().stream().map(scope -> String.join("/", scope.actions()) + " " + scope.type()
                + (scope.fields().isEmpty() ? "" : " (fields " + String.join(", ", scope.fields()) + ")"))
                .collect(Collectors.joining("; "));
    }

    /** Puts a specialist's answer on the audit trail: digests of what went in and came out, never the content. */
    @ApplicationScoped
    static class Recorder {

        @Inject
        AuditTrail audit;

        @Transactional
        void proposed(Runs.NodeWork work, AgentDefinition agent, ChatResult result, JsonObject output) {
            JsonObjectBuilder masked = Json.createObjectBuilder();
            result.masked().forEach(masked::add);
            JsonObject proposal = output.getJsonObject("proposal");
            audit.record(new dev.steward.audit.api.AuditEntry("specialist.proposed", agent.id(), null,
                    work.run().id(), work.run().recordId() == null ? null : work.run().recordId().toString(),
                    Json.createObjectBuilder().add("node", work.node().id()).add("agentVersion", agent.version())
                            .add("model", result.model())
                            .add("input", ContextAssembler.sha256(work.facts().toString()))
                            .add("output", ContextAssembler.sha256(output.toString())).add("masked", masked)
                            .add("actions", proposal.getJsonArray("actions").size())
                            .add("confidence", proposal.getJsonNumber("confidence")).build()));
        }
    }
}
