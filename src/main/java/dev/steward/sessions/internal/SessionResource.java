package dev.steward.sessions.internal;

import dev.steward.models.api.VoiceGateway;
import dev.steward.shared.CurrentRequest;
import dev.steward.shared.FieldError;
import dev.steward.shared.Ids;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import dev.steward.tenancy.api.RequiresScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A tenant's sessions with its agents. Another tenant's session is a 404. */
@ApplicationScoped
@Path("api/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "sessions", description = "Multi-turn conversations with an agent, streamed over SSE")
public class SessionResource {

    static final String READ = "sessions:read";
    static final String WRITE = "sessions:write";

    @Inject
    SessionService service;

    @Inject
    SessionQueries queries;

    @Inject
    SessionStreams streams;

    @Inject
    VoiceProgress voice;

    @POST
    @RequiresScope(WRITE)
    @Operation(summary = "Start a session with an agent", description = "Pins the agent's current version")
    public Response start(@NotNull @Valid SessionRequests.Start request) {
        AgentSession session = service.start(request.agentId()).orThrow();
        return Response.created(UriBuilder.fromPath("/api/v1/sessions/{id}").build(session.id()))
                .entity(SessionViews.Session.of(session, List.of())).build();
    }

    @GET
    @RequiresScope(READ)
    @Operation(summary = "The tenant's sessions, newest first", description = "Filters: agentId, state")
    public List<SessionViews.Session> list(@QueryParam("agentId") String agentId, @QueryParam("state") String state,
                                           @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        if (state != null && !List.of("active", "ended", "evicted").contains(state)) {
            throw ProblemException.invalid("state", "must be active, ended or evicted");
        }
        return queries.sessions(Ids.fromQuery("agentId", agentId), state, limit);
    }

    @GET
    @Path("{id}")
    @RequiresScope(READ)
    @Operation(summary = "A session with its state, totals and history")
    public SessionViews.Session get(@PathParam("id") String id) {
        return queries.session(sessionId(id)).orElseThrow(() -> ProblemException.notFound("session", id));
    }

    @POST
    @Path("{id}/turns")
    @RequiresScope(WRITE)
    @Operation(summary = "Send a message", description = "202 with the turn; it runs on the queue and streams its"
            + " progress on /events. While another turn runs the agent's double-texting policy applies: 409"
            + " (reject), queued behind it (queue), or the running turn fails as interrupted (interrupt)")
    public Response send(@PathParam("id") String id, @NotNull @Valid SessionRequests.Send request) {
        SessionService.Accepted accepted = service.send(sessionId(id), request.input()).orThrow();
        Turn turn = accepted.turn();
        return Response.accepted(new SessionViews.AcceptedTurn(turn.id().toString(), id, turn.number(),
                turn.state().wireName(), accepted.queued(), "/api/v1/sessions/" + id + "/events")).build();
    }

    @POST
    @Path("{id}/voice-turns")
    @Consumes("audio/*")
    @RequiresScope(WRITE)
    @Operation(summary = "Speak a message", description = "The body is the audio (Content-Type audio/wav,"
            + " audio/mpeg, audio/webm, ...; at most STEWARD_HTTP_MAX_AUDIO_BYTES, else 413; other types 415). 202"
            + " with the turn, as for /turns; the agent needs voice settings (409 otherwise). The turn's job"
            + " transcribes the audio (turn.transcribed), runs the turn, and speaks the answer: audio.chunk events"
            + " (base64), then audio.completed and turn.completed; the whole audio at /turns/{turnId}/audio")
    public Response sendVoice(@PathParam("id") String id, @HeaderParam("Content-Type") String contentType,
                              byte[] audio) {
        String mediaType = VoiceGateway.transcribable(contentType).orElseThrow(() -> new ProblemException(
                ProblemType.UNSUPPORTED_MEDIA_TYPE, "Audio must be one of "
                + String.join(", ", VoiceGateway.TRANSCRIBABLE.stream().sorted().toList()),
                List.of(new FieldError("Content-Type", "is not a transcribable audio type"))));
        if (audio == null || audio.length == 0) {
            throw ProblemException.invalid("body", "must be the audio; it is empty");
        }
        SessionService.Accepted accepted = service.send(sessionId(id), "",
                new SessionService.Audio(audio, mediaType)).orThrow();
        Turn turn = accepted.turn();
        return Response.accepted(new SessionViews.AcceptedTurn(turn.id().toString(), id, turn.number(),
                turn.state().wireName(), accepted.queued(), "/api/v1/sessions/" + id + "/events")).build();
    }

    @GET
    @Path("{id}/turns/{turnId}/audio")
    @Produces(MediaType.WILDCARD)
    @RequiresScope(READ)
    @Operation(summary = "A voice turn's spoken answer", description = "The audio, in the agent's format; 404"
            + " until it is spoken, and for turns that are not voice turns or whose speech failed")
    public Response audio(@PathParam("id") String id, @PathParam("turnId") String turnId) {
        UUID turn = Ids.fromPath("turn", turnId);
        VoiceProgress.Audio audio = voice.output(sessionId(id), turn).orElseThrow(() -> new ProblemException(
                ProblemType.NOT_FOUND, "No spoken audio for turn " + turnId + " (yet)"));
        return Response.ok(audio.audio(), audio.mediaType()).build();
    }

    @GET
    @Path("{id}/turns/{turnId}")
    @RequiresScope(READ)
    @Operation(summary = "One turn")
    public SessionViews.Turn turn(@PathParam("id") String id, @PathParam("turnId") String turnId) {
        UUID turn = Ids.fromPath("turn", turnId);
        return queries.turn(sessionId(id), turn).orElseThrow(() -> ProblemException.notFound("turn", turnId));
    }

    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RequiresScope(READ)
    @Operation(summary = "The session's events as Server-Sent Events",
            description = "Each event's id is its number in the session: reconnect with Last-Event-ID (or"
                    + " ?after=) to get what was missed. Names: session.started, turn.received, turn.state, token,"
                    + " tool.call, tool.result, confirmation.requested, confirmation.decided, progress,"
                    + " turn.completed, turn.failed, session.ended")
    public void stream(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId,
                       @QueryParam("after") String after, @Context SseEventSink sink, @Context Sse sse) {
        UUID session = sessionId(id);
        long from = position(lastEventId != null ? lastEventId : after);
        if (!queries.exists(session)) {
            throw ProblemException.notFound("session", id);
        }
        streams.open(CurrentRequest.get().requireTenant(), session, from, sink, sse);
    }

    @GET
    @Path("{id}/events")
    @Produces("application/json;qs=0.9") // a client that accepts anything gets the stream
    @RequiresScope(READ)
    @Operation(summary = "The session's events as a JSON page",
            description = "With Accept: application/json; after=<event id>, limit")
    public List<SessionViews.Event> events(@PathParam("id") String id, @QueryParam("after") String after,
                                           @QueryParam("limit") @DefaultValue("500") @Min(1) @Max(1000) int limit) {
        UUID session = sessionId(id);
        if (!queries.exists(session)) {
            throw ProblemException.notFound("session", id);
        }
        return queries.events(session, position(after), limit);
    }

    @GET
    @Path("{id}/confirmations")
    @RequiresScope(READ)
    @Operation(summary = "The session's confirmations", description = "Filter: state=pending|approved|denied|expired")
    public List<SessionViews.Confirmation> confirmations(@PathParam("id") String id,
                                                         @QueryParam("state") String state) {
        if (state != null && !List.of("pending", "approved", "denied", "expired").contains(state)) {
            throw ProblemException.invalid("state", "must be pending, approved, denied or expired");
        }
        UUID session = sessionId(id);
        if (!queries.exists(session)) {
            throw ProblemException.notFound("session", id);
        }
        return queries.confirmations(session, state);
    }

    @POST
    @Path("{id}/confirmations/{confirmationId}")
    @RequiresScope(WRITE)
    @Operation(summary = "Approve or deny a tool call", description = "The turn resumes; 409 once decided")
    public SessionViews.Confirmation decide(@PathParam("id") String id,
                                            @PathParam("confirmationId") String confirmationId,
                                            @NotNull @Valid SessionRequests.Decide request) {
        UUID confirmation = Ids.fromPath("confirmation", confirmationId);
        return SessionViews.Confirmation.of(service.decide(sessionId(id), confirmation, request.approve(),
                request.comment()).orThrow());
    }

    @POST
    @Path("{id}/end")
    @RequiresScope(WRITE)
    @Operation(summary = "End a session", description = "Running turns fail; its history stays until eviction")
    public SessionViews.Session end(@PathParam("id") String id) {
        service.end(sessionId(id)).orThrow();
        return get(id);
    }

    @DELETE
    @Path("{id}")
    @RequiresScope(WRITE)
    @Operation(summary = "End a session (as POST .../end)", description = "204")
    public void delete(@PathParam("id") String id) {
        service.end(sessionId(id)).orThrow();
    }

    private static UUID sessionId(String id) {
        return Ids.fromPath("session", id);
    }

    private static long position(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            long position = Long.parseLong(value.trim());
            if (position >= 0) {
                return position;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.invalid("Last-Event-ID", "must be the id of an event (a whole number)");
    }

}
