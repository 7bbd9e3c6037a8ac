package dev.steward.sessions.internal;

import dev.steward.agents.api.AgentDefinition;
import dev.steward.models.api.ChatGateway.ChatMessage;
import dev.steward.models.api.ChatGateway.ToolCall;
import dev.steward.tools.api.ToolDescriptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.util.List;
import java.util.Locale;

/**
 * What a {@code remote} agent's turn asks its engine, through {@link RemoteEngine}: the turn and the session (with
 * the engine's own state), the history, the tools the agent was granted, and, once the engine asked for tools, the
 * turn's steps with their results; or, for a job the engine said was pending, its poll token. An agent that speaks
 * A2A is asked through {@link A2aEngine} instead. The turn loop treats the engine as an {@code llm} agent's model.
 */
@ApplicationScoped
class RemoteTurn {

    /** How a pending engine job is named in the turn's waiting state and progress events. */
    static final ToolCall ENGINE = new ToolCall("engine", "remote-agent", "{}");

    @Inject
    RemoteEngine engine;

    @Inject
    A2aEngine a2a;

    RemoteEngine.Answer ask(TurnProgress.Work work, AgentDefinition agent, List<ChatMessage> steps,
                            List<ToolDescriptor> granted, String pollToken, int polls)
            throws RemoteEngine.Unavailable, InterruptedException {
        if (agent.protocol() == AgentDefinition.Protocol.A2A) {
            return a2a.ask(work, agent, pollToken);
        }
        String type = pollToken != null ? "poll" : steps.isEmpty() ? "turn" : "tool_results";
        JsonObjectBuilder request = Json.createObjectBuilder().add("type", type)
                .add("session", Json.createObjectBuilder().add("id", work.sessionId().toString())
                        .add("state", work.agentState()))
                .add("turn", Json.createObjectBuilder().add("id", work.turnId().toString())
                        .add("number", work.number()).add("input", work.input()))
                .add("history", history(work.history()))
                .add("tools", tools(granted));
        if (!steps.isEmpty()) {
            try (JsonReader reader = Json.createReader(new StringReader(Steps.render(steps)))) {
                request.add("steps", reader.readArray());
            }
        }
        if (pollToken != null) {
            request.add("pollToken", pollToken);
        }
        String step = (pollToken != null ? "poll-" + polls + "-" : type + "-") + steps.size();
        return engine.call(agent, request.build(), work.turnId() + ":" + step);
    }

    private static JsonArrayBuilder history(List<ChatMessage> history) {
        JsonArrayBuilder turns = Json.createArrayBuilder();
        history.forEach(message -> turns.add(Json.createObjectBuilder()
                .add("role", message.role().name().toLowerCase(Locale.ROOT)).add("text", message.text())));
        return turns;
    }

    private static JsonArrayBuilder tools(List<ToolDescriptor> granted) {
        JsonArrayBuilder tools = Json.createArrayBuilder();
        for (ToolDescriptor tool : granted) {
            try (JsonReader schema = Json.createReader(new StringReader(tool.parametersSchema()))) {
                tools.add(Json.createObjectBuilder().add("name", tool.name()).add("description", tool.description())
                        .add("parameters", schema.readObject())
                        .add("sideEffect", tool.sideEffect().name().toLowerCase(Locale.ROOT)));
            }
        }
        return tools;
    }
}
