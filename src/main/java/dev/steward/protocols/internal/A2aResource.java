package dev.steward.protocols.internal;

import dev.steward.agents.api.AgentDefinition;
import dev.steward.agents.api.AgentDirectory;
import dev.steward.shared.CurrentRequest;
import dev.steward.shared.Logs;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import dev.steward.shared.TenantId;
import dev.steward.sessions.api.Conversations;
import dev.steward.tenancy.api.RequiresScope;
import dev.steward.tenancy.api.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A2A for the tenant's agents: each agent's card at {@code /a2a/<agent>/.well-known/agent-card.json} and its JSON-RPC
 * endpoint at {@code /a2a/<agent>} (A2A 1.0: {@code SendMessage}, {@code SendStreamingMessage}, {@code GetTask},
 * {@code CancelTask}, {@code SubscribeToTask}). A message without a {@code contextId} opens a session of the agent;
 * one with the {@code contextId} a task answered continues that session; each message is a turn, which runs like
 * any other. The tenant's API key is the bearer token: another tenant's agents, contexts and tasks do not exist.
 */
@ApplicationScoped
@Path("a2a/{agent}")
@Tag(name = "a2a", description = "A2A agent cards and tasks over the tenant's agents")
public class A2aResource {

    static final String SCOPE = "sessions:write";

    @Inject
    AgentDirectory agents;

    @Inject
    Conversations conversations;

    @Inject
    TurnFollower follower;

    @Inject
    TenantScope scope;

    @Context
    UriInfo uri;

    @GET
    @Path(".well-known/agent-card.json")
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresScope(ModelListResource.SCOPE)
    @Operation(summary = "The agent's A2A agent card")
    public JsonObject card(@PathParam("agent") String name) {
        return A2aCards.card(agent(name), uri.getBaseUri());
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, "text/event-stream"})
    @RequiresScope(SCOPE)
    @Operation(summary = "A2A JSON-RPC", description = "SendMessage, SendStreamingMessage (SSE), GetTask, CancelTask,"
            + " SubscribeToTask (SSE)")
    public Response call(@PathParam("agent") String name, @HeaderParam("A2A-Version") String version, String body) {
        AgentDefinition agent = agent(name);
        JsonValue id = JsonValue.NULL;
        try {
            JsonObject request = parse(body);
            JsonValue rpcId = request.getOrDefault("id", JsonValue.NULL);
            id = rpcId; // for the error answers below; the streams need it final
            if (!"2.0".equals(request.getString("jsonrpc", null)) || !(request.get("method") instanceof JsonString)) {
                throw new A2aError(A2aError.INVALID_REQUEST, "A JSON-RPC 2.0 request has jsonrpc \"2.0\" and a"
                        + " method");
            }
            if (version != null && !version.isBlank() && !version.trim().matches("1(\\.\\d+)?")) {
                throw new A2aError(A2aError.VERSION_NOT_SUPPORTED, "This agent speaks A2A 1.0, not " + version);
            }
            JsonObject params = request.get("params") instanceof JsonObject given ? given
                    : JsonValue.EMPTY_JSON_OBJECT;
            return switch (request.getString("method")) {
                case "SendMessage" -> result(id, send(agent, params));
                case "SendStreamingMessage" -> {
                    Conversations.Opened opened = open(agent, params);
                    yield stream(rpcId, opened);
                }
                case "GetTask" -> result(id, A2aTasks.task(task(agent, params), null, historyLength(params)));
                case "CancelTask" -> result(id, cancel(agent, params));
                case "SubscribeToTask" -> {
                    Conversations.TurnStatus turn = task(agent, params);
                    if (turn.ended()) {
                        throw new A2aError(A2aError.UNSUPPORTED_OPERATION, "Task " + turn.turnId() + " has ended");
                    }
                    yield stream(rpcId, new Conversations.Opened(turn.sessionId(), turn.turnId(), name));
                }
                default -> throw new A2aError(A2aError.METHOD_NOT_FOUND, "No method " + request.getString("method")
                        + " here: SendMessage, SendStreamingMessage, GetTask, CancelTask, SubscribeToTask");
            };
        } catch (A2aError e) {
            return Response.ok(error(id, e.code, e.getMessage()), MediaType.APPLICATION_JSON).build();
        } catch (ProblemException refused) { // a quota, a budget, an ended session, a turn still running
            int code = refused.type() == ProblemType.CONFLICT ? A2aError.UNSUPPORTED_OPERATION
                    : A2aError.INTERNAL_ERROR;
            return Response.ok(error(id, code, refused.getMessage()), MediaType.APPLICATION_JSON).build();
        } catch (RuntimeException e) {
            Logs.of(A2aResource.class).log(Level.WARNING, "An A2A request to " + name + " failed", e);
            return Response.ok(error(id, A2aError.INTERNAL_ERROR, "The request failed; it may be sent again"),
                    MediaType.APPLICATION_JSON).build();
        }
    }

    /** Sends the message and, unless the client asked to return at once, waits for the task to end. */
    private JsonObject send(AgentDefinition agent, JsonObject params) throws A2aError {
        Conversations.Opened opened = open(agent, params);
        boolean immediately = params.get("configuration") instanceof JsonObject configuration
                && configuration.getBoolean("returnImmediately", false);
        String note = null;
        if (!immediately) {
            Conversations.Ending ending = follower.watch(CurrentRequest.get().requireTenant(), opened, delta -> { },
                    TurnFollower.MAX_WAIT);
            note = ending != null && ending.awaitsApproval() ? ending.error() : null;
        }
        Conversations.TurnStatus turn = conversations.status(opened.turnId(), agent.name()).orElseThrow();
        Integer history = params.get("configuration") instanceof JsonObject configuration
                ? historyLength(configuration) : null;
        return Json.createObjectBuilder().add("task", A2aTasks.task(turn, note, history)).build();
    }

    private Conversations.Opened open(AgentDefinition agent, JsonObject params) throws A2aError {
        if (!(params.get("message") instanceof JsonObject message)) {
            throw new A2aError(A2aError.INVALID_PARAMS, "params.message is required");
        }
        if (message.containsKey("taskId") && !message.getString("taskId", "").isEmpty()) {
            throw new A2aError(A2aError.UNSUPPORTED_OPERATION, "A task here ends with its answer and takes no more"
                    + " input: send the next message with the contextId and no taskId");
        }
        String text = text(message);
        String context = message.getString("contextId", "");
        if (context.isEmpty()) {
            return conversations.open(agent.name(), List.of(), text).orElseThrow();
        }
        return conversations.resume(uuid(context, A2aError.INVALID_PARAMS, "contextId"), agent.name(), text)
                .orElseThrow(() ->
                new A2aError(A2aError.INVALID_PARAMS, "No conversation " + context + " with " + agent.name()));
    }

    /** The message's text: its text parts joined; a file or data part is not something an agent here reads. */
    private static String text(JsonObject message) throws A2aError {
        if (!(message.get("parts") instanceof JsonArray parts) || parts.isEmpty()) {
            throw new A2aError(A2aError.INVALID_PARAMS, "params.message.parts must hold a text part");
        }
        StringBuilder text = new StringBuilder();
        for (JsonValue part : parts) {
            if (!(part instanceof JsonObject object) || !(object.get("text") instanceof JsonString piece)) {
                throw new A2aError(A2aError.CONTENT_TYPE_NOT_SUPPORTED, "Only text parts are accepted");
            }
            if (piece.getString().indexOf('\u0000') >= 0) {
                throw new A2aError(A2aError.INVALID_PARAMS, "params.message.parts hold a NUL character");
            }
            text.append(text.isEmpty() ? "" : "\n").append(piece.getString());
        }
        if (text.toString().isBlank()) {
            throw new A2aError(A2aError.INVALID_PARAMS, "params.message.parts hold no text");
        }
        return text.toString();
    }

    private JsonObject cancel(AgentDefinition agent, JsonObject params) throws A2aError {
        Conversations.TurnStatus turn = task(agent, params);
        if (turn.ended() || !conversations.cancel(turn)) {
            throw new A2aError(A2aError.TASK_NOT_CANCELABLE, "Task " + turn.turnId() + " has ended");
        }
        return A2aTasks.task(conversations.status(turn.turnId(), agent.name()).orElseThrow(), null, null);
    }

    private Conversations.TurnStatus task(AgentDefinition agent, JsonObject params) throws A2aError {
        String id = params.getString("id", "");
        return conversations.status(uuid(id, A2aError.TASK_NOT_FOUND, "task"), agent.name()).orElseThrow(() ->
                new A2aError(A2aError.TASK_NOT_FOUND, "No task " + id));
    }

    /**
     * The task as an event stream: the task first, then its answer as it is written (artifact updates), then its
     * final status; a turn that stops for a person's approval ends the stream with its working status.
     */
    private Response stream(JsonValue id, Conversations.Opened opened) {
        TenantId tenant = CurrentRequest.get().requireTenant();
        String agent = opened.agent();
        StreamingOutput events = out -> {
            Conversations.TurnStatus start = scope.call(tenant, () -> conversations.status(opened.turnId(), agent))
                    .orElseThrow();
            send(out, id, Json.createObjectBuilder().add("task", A2aTasks.task(start, null, null)).build());
            boolean[] started = {false};
            Conversations.Ending ending = follower.watch(tenant, opened, delta -> {
                send(out, id, A2aTasks.artifactUpdate(start, delta, started[0], false));
                started[0] = true;
            }, TurnFollower.MAX_WAIT);
            Conversations.TurnStatus end = scope.call(tenant, () -> conversations.status(opened.turnId(), agent))
                    .orElseThrow();
            if (started[0]) {
                send(out, id, A2aTasks.artifactUpdate(end, "", true, true));
            }
            send(out, id, A2aTasks.statusUpdate(end, ending != null && ending.awaitsApproval() ? ending.error()
                    : null));
        };
        return Response.ok(events, "text/event-stream").header("Cache-Control", "no-cache").build();
    }

    private AgentDefinition agent(String name) {
        return agents.named(name).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
                "No agent named " + name));
    }

    private static JsonObject parse(String body) throws A2aError {
        try (JsonReader reader = Json.createReader(new StringReader(body == null ? "" : body))) {
            JsonValue value = reader.readValue();
            if (!(value instanceof JsonObject object)) {
                throw new A2aError(A2aError.INVALID_REQUEST, "A JSON-RPC request is a JSON object");
            }
            return object;
        } catch (JsonException | IllegalStateException e) {
            throw new A2aError(A2aError.PARSE_ERROR, "The body is not JSON");
        } catch (RuntimeException tooDeep) { // Parsson refuses nesting past its limit with a plain RuntimeException
            throw new A2aError(A2aError.PARSE_ERROR, "The body is not JSON Steward reads: nested too deeply");
        }
    }

    private static Integer historyLength(JsonObject params) throws A2aError {
        JsonValue value = params.get("historyLength");
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral() || number.intValue() < 0) {
            throw new A2aError(A2aError.INVALID_PARAMS, "historyLength must be a whole number, 0 or more");
        }
        return number.intValue();
    }

    private static UUID uuid(String text, int code, String what) throws A2aError {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new A2aError(code, "No " + what + " " + text);
        }
    }

    private static Response result(JsonValue id, JsonObject result) {
        return Response.ok(Json.createObjectBuilder().add("jsonrpc", "2.0").add("id", id).add("result", result)
                .build(), MediaType.APPLICATION_JSON).build();
    }

    private static JsonObject error(JsonValue id, int code, String message) {
        return Json.createObjectBuilder().add("jsonrpc", "2.0").add("id", id).add("error", Json.createObjectBuilder()
                .add("code", code).add("message", message)).build();
    }

    private static void send(OutputStream out, JsonValue id, JsonObject result) throws IOException {
        String event = Json.createObjectBuilder().add("jsonrpc", "2.0").add("id", id).add("result", result).build()
                .toString();
        out.write(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
