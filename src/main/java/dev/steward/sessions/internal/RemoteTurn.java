package dev.steward.sessions.internal;

import dev.steward.agents.api.AgentDefinition;
import dev.steward.models.api.ChatGateway.ChatMessage;
import dev.steward.models.api.ChatGateway.ChatResult;
import dev.steward.models.api.ChatGateway.ToolCall;
import dev.steward.tools.api.ToolOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A turn of a {@code remote} agent: one request to the tenant's engine through {@link RemoteEngine}, and its answer
 * recorded like a model's (the output as the answer, the engine's state kept for its next turn), or the engine's
 * "pending" polled with backoff through scheduled jobs, like a long tool call.
 */
@ApplicationScoped
class RemoteTurn {

    /** How a pending engine job is named in the turn's waiting state and progress events. */
    private static final ToolCall ENGINE = new ToolCall("engine", "remote-agent", "{}");

    @Inject
    RemoteEngine engine;

    @Inject
    TurnProgress progress;

    @Inject
    SessionSettings settings;

    void run(TurnProgress.Work work, AgentDefinition agent)
            throws RemoteEngine.Unavailable, InterruptedException {
        boolean polling = work.state() == TurnState.POLLING;
        int polls = polling ? work.waitingFor().getInt("polls") + 1 : 0;
        JsonObjectBuilder request = Json.createObjectBuilder().add("type", polling ? "poll" : "turn")
                .add("session", Json.createObjectBuilder().add("id", work.sessionId().toString())
                        .add("state", work.agentState()))
                .add("turn", Json.createObjectBuilder().add("id", work.turnId().toString())
                        .add("number", work.number()).add("input", work.input()))
                .add("history", history(work.history()));
        if (polling) {
            request.add("pollToken", work.waitingFor().getString("pollToken"));
        }
        long started = System.nanoTime();
        RemoteEngine.Answer answer = engine.call(agent, request.build(),
                work.turnId() + (polling ? ":poll-" + polls : ":turn"));
        if (answer instanceof RemoteEngine.Output output) {
            ChatResult result = new ChatResult("remote:" + agent.name(), output.text(), List.of(), 0, 0, 0,
                    BigDecimal.ZERO, Map.of(), (System.nanoTime() - started) / 1_000_000);
            progress.answered(work, result, output.text().isEmpty() ? List.of() : List.of(output.text()),
                    output.state(), output.actions());
        } else if (answer instanceof RemoteEngine.Pending pending) {
            progress.pending(work, ENGINE, new ToolOutcome.Pending(pending.pollToken(), pending.progress(),
                    pending.status(), pending.pollAfter()), polls, settings.pollDelay(polls, pending.pollAfter()));
        } else {
            progress.fail(work, ((RemoteEngine.Refused) answer).reason());
        }
    }

    private static JsonArrayBuilder history(List<ChatMessage> history) {
        JsonArrayBuilder turns = Json.createArrayBuilder();
        history.forEach(message -> turns.add(Json.createObjectBuilder()
                .add("role", message.role().name().toLowerCase(Locale.ROOT)).add("text", message.text())));
        return turns;
    }
}
