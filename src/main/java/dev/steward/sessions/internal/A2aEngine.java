package dev.steward.sessions.internal;

import dev.steward.agents.api.AgentDefinition;
import dev.steward.agents.api.AgentDirectory;
import dev.steward.shared.InternalAddresses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A {@code remote} agent that speaks A2A (protocol 1.0, JSON-RPC): its endpoint is its agent card, which names the
 * JSON-RPC URL. A turn is one {@code SendMessage} (blocking, under the agent's timeout) in the A2A context the
 * session keeps in its agent state ({@code a2aContextId}), so the remote agent sees one conversation; a task that is
 * still working when the answer comes is polled with {@code GetTask}. The tenant's bearer token for the agent goes
 * with every request. The remote agent runs its own tools: Steward's are not offered to it.
 */
@ApplicationScoped
class A2aEngine {

    static final String CONTEXT = "a2aContextId";
    private static final int MAX_ANSWER_BYTES = 1 << 20;

    @Inject
    AgentDirectory agents;

    @Inject
    RemoteEngine addresses;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Sends the turn's input, or with {@code taskId} asks how that task is doing. */
    RemoteEngine.Answer ask(TurnProgress.Work work, AgentDefinition agent, String taskId)
            throws RemoteEngine.Unavailable, InterruptedException {
        Optional<String> token = agents.remoteToken(agent.id());
        Object card = get(agent, URI.create(agent.endpoint()), token);
        if (card instanceof RemoteEngine.Refused refused) {
            return refused;
        }
        Optional<URI> endpoint = jsonRpcUrl((JsonObject) card, URI.create(agent.endpoint()));
        if (endpoint.isEmpty()) {
            return new RemoteEngine.Refused("The remote agent's card offers no JSON-RPC interface Steward may call"
                    + " (https, or http to a private IP address)");
        }
        JsonObjectBuilder params = Json.createObjectBuilder();
        String method;
        if (taskId != null) {
            method = "GetTask";
            params.add("id", taskId).add("historyLength", 0);
        } else {
            method = "SendMessage";
            JsonObjectBuilder message = Json.createObjectBuilder().add("messageId", work.turnId().toString())
                    .add("role", "ROLE_USER").add("parts", Json.createArrayBuilder().add(Json.createObjectBuilder()
                            .add("text", work.input())));
            String context = work.agentState() == null ? null : work.agentState().getString(CONTEXT, null);
            if (context != null) {
                message.add("contextId", context);
            }
            params.add("message", message).add("configuration", Json.createObjectBuilder()
                    .add("returnImmediately", false).add("historyLength", 0));
        }
        JsonObject request = Json.createObjectBuilder().add("jsonrpc", "2.0").add("id", work.turnId().toString())
                .add("method", method).add("params", params).build();
        Object answer = post(agent, endpoint.get(), token, request);
        if (answer instanceof RemoteEngine.Refused refused) {
            return refused;
        }
        return heard((JsonObject) answer, work);
    }

    /** The JSON-RPC answer as the turn loop hears it: an answer, a task to poll, or why it cannot go on. */
    static RemoteEngine.Answer heard(JsonObject rpc, TurnProgress.Work work) {
        if (rpc.get("error") instanceof JsonObject error) {
            return new RemoteEngine.Refused("The remote A2A agent refused the turn: " + error.getString("message",
                    "error " + error.get("code")));
        }
        JsonObject result = rpc.get("result") instanceof JsonObject object ? object : JsonValue.EMPTY_JSON_OBJECT;
        JsonObject task = result.get("task") instanceof JsonObject wrapped ? wrapped
                : result.containsKey("status") ? result : null;
        if (task == null) {
            if (result.get("message") instanceof JsonObject message) {
                return new RemoteEngine.Output(text(message.get("parts")), state(work, message), null);
            }
            return new RemoteEngine.Refused("The remote A2A agent answered neither a task nor a message");
        }
        JsonObject status = task.get("status") instanceof JsonObject given ? given : JsonValue.EMPTY_JSON_OBJECT;
        String said = status.get("message") instanceof JsonObject message ? text(message.get("parts")) : "";
        return switch (status.getString("state", "")) {
            case "TASK_STATE_COMPLETED" -> new RemoteEngine.Output(answer(task, said), state(work, task), null);
            case "TASK_STATE_SUBMITTED", "TASK_STATE_WORKING" -> new RemoteEngine.Pending(task.getString("id", ""),
                    0, said.isEmpty() ? "the remote agent is working" : said, Duration.ofSeconds(2));
            case "TASK_STATE_INPUT_REQUIRED", "TASK_STATE_AUTH_REQUIRED" -> new RemoteEngine.Refused(
                    "The remote A2A agent needs more input or authorization than Steward can give: " + said);
            default -> new RemoteEngine.Refused("The remote A2A agent's task ended "
                    + status.getString("state", "in no known state") + (said.isEmpty() ? "" : ": " + said));
        };
    }

    /** The answer: the task's artifacts' text, else its status message's. */
    private static String answer(JsonObject task, String said) {
        StringBuilder text = new StringBuilder();
        if (task.get("artifacts") instanceof JsonArray artifacts) {
            for (JsonValue artifact : artifacts) {
                if (artifact instanceof JsonObject object) {
                    text.append(text.isEmpty() ? "" : "\n").append(text(object.get("parts")));
                }
            }
        }
        return text.isEmpty() ? said : text.toString();
    }

    private static String text(JsonValue parts) {
        StringBuilder text = new StringBuilder();
        if (parts instanceof JsonArray list) {
            for (JsonValue part : list) {
                if (part instanceof JsonObject object && object.get("text") instanceof JsonString piece) {
                    text.append(piece.getString());
                }
            }
        }
        return text.toString();
    }

    /** The session's agent state with the remote context remembered, so the next turn continues it. */
    private static JsonObject state(TurnProgress.Work work, JsonObject answered) {
        JsonObjectBuilder state = Json.createObjectBuilder(work.agentState() == null ? JsonValue.EMPTY_JSON_OBJECT
                : work.agentState());
        if (answered.get("contextId") instanceof JsonString context) {
            state.add(CONTEXT, context.getString());
        }
        return state.build();
    }

    /**
     * The card's JSON-RPC interface (protocol 1.0 preferred), resolved against the card's own URL; only one Steward
     * may send the agent's token to: https, or http to a private address written as such.
     */
    private static Optional<URI> jsonRpcUrl(JsonObject card, URI cardUrl) {
        if (!(card.get("supportedInterfaces") instanceof JsonArray interfaces)) {
            return Optional.empty();
        }
        JsonObject chosen = null;
        for (JsonValue entry : interfaces) {
            if (entry instanceof JsonObject candidate && "JSONRPC".equalsIgnoreCase(candidate.getString(
                    "protocolBinding", "")) && candidate.get("url") instanceof JsonString
                    && (chosen == null || "1.0".equals(candidate.getString("protocolVersion", "")))) {
                chosen = candidate;
            }
        }
        try {
            URI url = chosen == null ? null : cardUrl.resolve(chosen.getString("url"));
            return url != null && InternalAddresses.isCallableUrl(url) ? Optional.of(url) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Object get(AgentDefinition agent, URI url, Optional<String> token)
            throws RemoteEngine.Unavailable, InterruptedException {
        return exchange(agent, url, token, HttpRequest.newBuilder(url).GET());
    }

    private Object post(AgentDefinition agent, URI url, Optional<String> token, JsonObject body)
            throws RemoteEngine.Unavailable, InterruptedException {
        return exchange(agent, url, token, HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /** The JSON object the URL answered, or a {@link RemoteEngine.Refused}. */
    private Object exchange(AgentDefinition agent, URI url, Optional<String> token, HttpRequest.Builder request)
            throws RemoteEngine.Unavailable, InterruptedException {
        String refusal = addresses.addressRefusal(url);
        if (refusal != null) {
            return new RemoteEngine.Refused(refusal);
        }
        request.timeout(agent.timeout()).header("Accept", "application/json").header("A2A-Version", "1.0");
        token.ifPresent(bearer -> request.header("Authorization", "Bearer " + bearer));
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                int status = response.statusCode();
                if (status >= 500 || status == 429 || status == 408) {
                    throw new RemoteEngine.Unavailable("the remote A2A agent answered HTTP " + status, null);
                }
                byte[] bytes = body.readNBytes(MAX_ANSWER_BYTES + 1);
                if (status != 200) {
                    return new RemoteEngine.Refused("The remote A2A agent refused the request (HTTP " + status + ")");
                }
                if (bytes.length > MAX_ANSWER_BYTES) {
                    return new RemoteEngine.Refused("The remote A2A agent's answer is larger than 1 MiB");
                }
                try (JsonReader reader = Json.createReader(new StringReader(new String(bytes,
                        StandardCharsets.UTF_8)))) {
                    JsonValue value = reader.readValue();
                    return value instanceof JsonObject object ? object
                            : new RemoteEngine.Refused("The remote A2A agent's answer is not a JSON object");
                } catch (JsonException e) {
                    return new RemoteEngine.Refused("The remote A2A agent's answer is not JSON");
                }
            }
        } catch (HttpTimeoutException e) {
            throw new RemoteEngine.Unavailable("the remote A2A agent did not answer within "
                    + agent.timeout().toSeconds() + " s", e);
        } catch (IOException e) {
            throw new RemoteEngine.Unavailable("the remote A2A agent could not be reached", e);
        }
    }
}
