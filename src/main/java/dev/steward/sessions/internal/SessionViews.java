package dev.steward.sessions.internal;

import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** What the sessions API answers. */
final class SessionViews {

    private SessionViews() {
    }

    /** A session; {@code turns} is its history (oldest first), left out of lists. */
    public record Session(String id, String agentId, int agentVersion, String state, Instant createdAt,
                          Instant lastActivityAt, Instant expiresAt, Instant endedAt, Usage usage,
                          JsonValue agentState, long lastEventId, List<Turn> turns) {

        static Session of(AgentSession session, List<dev.steward.sessions.internal.Turn> turns) {
            return new Session(session.id().toString(), session.agentId().toString(), session.agentVersion(),
                    session.state().name().toLowerCase(Locale.ROOT), session.createdAt(), session.lastActivityAt(),
                    session.expiresAt(), session.endedAt(), new Usage(session.turnCount(), session.inputTokens(),
                    session.outputTokens(), session.cost()), json(session.agentState()), session.lastEventSeq(),
                    turns == null ? null : turns.stream().map(Turn::of).toList());
        }
    }

    /** The session's totals, kept after it is evicted. */
    public record Usage(int turns, long inputTokens, long outputTokens, BigDecimal cost) {
    }

    public record Turn(String id, int number, String input, String state, String answer, String error,
                       long modelMillis, Instant createdAt, Instant updatedAt, Instant finishedAt) {

        static Turn of(dev.steward.sessions.internal.Turn turn) {
            return new Turn(turn.id().toString(), turn.number(), turn.input(), turn.state().wireName(),
                    turn.answer(), turn.error(), turn.modelMillis(), turn.createdAt(), turn.updatedAt(),
                    turn.finishedAt());
        }
    }

    /** {@code POST .../turns}: the turn accepted, whether it waits for an earlier one, and where to watch it. */
    public record AcceptedTurn(String id, String sessionId, int number, String state, boolean queued, String events) {
    }

    public record Confirmation(String id, String sessionId, String turnId, String tool, JsonValue arguments,
                               String state, String comment, Instant createdAt, Instant expiresAt,
                               Instant decidedAt, String decidedBy) {

        static Confirmation of(dev.steward.sessions.internal.Confirmation confirmation) {
            return new Confirmation(confirmation.id().toString(), confirmation.sessionId().toString(),
                    confirmation.turnId().toString(), confirmation.tool(), json(confirmation.arguments()),
                    confirmation.state().name().toLowerCase(Locale.ROOT), confirmation.comment(),
                    confirmation.createdAt(), confirmation.expiresAt(), confirmation.decidedAt(),
                    confirmation.decidedBy());
        }
    }

    public record Event(long id, String type, String turnId, JsonValue data, Instant at) {

        static Event of(SessionEvent event) {
            return new Event(event.seq(), event.type(), event.turnId() == null ? null : event.turnId().toString(),
                    event.data(), event.createdAt());
        }
    }

    /** Stored JSON as a value; arguments a model wrote may not be JSON at all, and then they are a string. */
    static JsonValue json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readValue();
        } catch (RuntimeException e) {
            return Json.createValue(text);
        }
    }
}
