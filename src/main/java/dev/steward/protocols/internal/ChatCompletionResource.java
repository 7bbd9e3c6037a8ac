package dev.steward.protocols.internal;

import dev.steward.sessions.api.Conversations;
import dev.steward.shared.CurrentRequest;
import dev.steward.shared.ProblemException;
import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.RequiresScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /v1/chat/completions}, as OpenAI's clients speak it, where {@code model} names one of the tenant's
 * agents. Each request is a session of that agent seeded with the conversation the client sent; its turn runs like
 * any other (the agent's model, tools, quotas, metering and audit) and is followed through the session's events:
 * awaited whole, or streamed as {@code chat.completion.chunk} events ending in {@code [DONE]}. Errors take OpenAI's
 * shape ({@code {"error": {"message", "type", "param", "code"}}}).
 */
@ApplicationScoped
@Path("v1/chat/completions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "openai", description = "OpenAI-compatible chat completions over the tenant's agents")
public class ChatCompletionResource {

    static final String SCOPE = "sessions:write";

    @Inject
    Conversations conversations;

    @Inject
    TurnFollower follower;

    @POST
    @RequiresScope(SCOPE)
    @Operation(summary = "Chat with an agent as with an OpenAI model", description = "{model: <agent name>,"
            + " messages: [{role, content}], stream, stream_options: {include_usage}}; the agent's instructions,"
            + " model and tools apply")
    public Response create(@NotNull JsonObject body) {
        ChatRequest request;
        try {
            request = ChatRequest.parse(body);
        } catch (ChatRequest.Invalid e) {
            return error(400, e.getMessage(), "invalid_request_error", e.param, null);
        }
        Optional<Conversations.Opened> opened;
        try {
            opened = conversations.open(request.model(), request.history(), request.input());
        } catch (ProblemException refused) { // a quota, a budget, an agent that cannot take the turn
            return error(refused.type().status(), refused.getMessage(), refused.type().status() == 429
                    ? "rate_limit_error" : "invalid_request_error", null, null);
        }
        if (opened.isEmpty()) {
            return error(404, "The model " + request.model() + " does not exist: name one of your agents",
                    "invalid_request_error", "model", "model_not_found");
        }
        TenantId tenant = CurrentRequest.get().requireTenant();
        Followed turn = new Followed(opened.get(), tenant, Instant.now());
        if (request.stream()) {
            return Response.ok((StreamingOutput) out -> stream(turn, request.includeUsage(), out),
                    "text/event-stream").header("Cache-Control", "no-cache").build();
        }
        Conversations.Ending ending = follow(turn, delta -> { });
        if (ending == null) {
            return error(504, "The agent did not answer within " + TurnFollower.MAX_WAIT.toSeconds() + " s", "server_error",
                    null, "timeout");
        }
        if (ending.failed()) {
            return ending.awaitsApproval() ? error(409, ending.error(), "invalid_request_error", null,
                    "approval_required") : error(502, ending.error(), "server_error", null, "agent_failed");
        }
        return Response.ok(Json.createObjectBuilder(envelope(turn, "chat.completion"))
                .add("choices", Json.createArrayBuilder().add(Json.createObjectBuilder().add("index", 0)
                        .add("message", Json.createObjectBuilder().add("role", "assistant")
                                .add("content", ending.answer()))
                        .add("finish_reason", "stop")))
                .add("usage", usage(ending)).build()).build();
    }

    /** A turn being followed: what was opened, for whom, and when. */
    private record Followed(Conversations.Opened opened, TenantId tenant, Instant started) {
    }

    private Conversations.Ending follow(Followed turn, TurnFollower.Deltas deltas) {
        return follower.follow(turn.tenant(), turn.opened(), deltas);
    }

    private void stream(Followed turn, boolean includeUsage, OutputStream out) throws IOException {
        send(out, chunk(turn, Json.createObjectBuilder().add("role", "assistant").add("content", ""), null));
        Conversations.Ending ending = follow(turn, delta -> send(out, chunk(turn, Json.createObjectBuilder()
                .add("content", delta), null)));
        if (ending == null || ending.failed()) {
            send(out, Json.createObjectBuilder().add("error", errorBody(ending == null ? "The agent did not answer"
                    + " within " + TurnFollower.MAX_WAIT.toSeconds() + " s" : ending.error(), "server_error", null,
                    ending == null ? "timeout" : "agent_failed")).build());
        } else {
            send(out, chunk(turn, Json.createObjectBuilder(), "stop"));
            if (includeUsage) {
                send(out, Json.createObjectBuilder(envelope(turn, "chat.completion.chunk"))
                        .add("choices", Json.createArrayBuilder()).add("usage", usage(ending)).build());
            }
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static JsonObject chunk(Followed turn, JsonObjectBuilder delta, String finishReason) {
        JsonObjectBuilder choice = Json.createObjectBuilder().add("index", 0).add("delta", delta);
        if (finishReason == null) {
            choice.addNull("finish_reason");
        } else {
            choice.add("finish_reason", finishReason);
        }
        return Json.createObjectBuilder(envelope(turn, "chat.completion.chunk"))
                .add("choices", Json.createArrayBuilder().add(choice)).build();
    }

    private static JsonObject envelope(Followed turn, String object) {
        return Json.createObjectBuilder().add("id", "chatcmpl-" + turn.opened().turnId()).add("object", object)
                .add("created", turn.started().getEpochSecond()).add("model", turn.opened().agent()).build();
    }

    private static JsonObject usage(Conversations.Ending ending) {
        return Json.createObjectBuilder().add("prompt_tokens", ending.inputTokens())
                .add("completion_tokens", ending.outputTokens())
                .add("total_tokens", ending.inputTokens() + ending.outputTokens()).build();
    }

    private static void send(OutputStream out, JsonObject event) throws IOException {
        out.write(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static Response error(int status, String message, String type, String param, String code) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Json.createObjectBuilder().add("error", errorBody(message, type, param, code)).build())
                .build();
    }

    private static JsonObject errorBody(String message, String type, String param, String code) {
        JsonObjectBuilder error = Json.createObjectBuilder().add("message", message).add("type", type);
        if (param == null) {
            error.addNull("param");
        } else {
            error.add("param", param);
        }
        if (code == null) {
            error.addNull("code");
        } else {
            error.add("code", code);
        }
        return error.build();
    }
}
