package dev.steward.sessions.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/**
 * One turn of a session: the user's input, where the turn stands ({@link TurnState}), its working steps (the
 * model's tool calls and their results, as JSON) and what it waits for, and in the end its answer or error. Every
 * change of state goes through {@link #moveTo}, which refuses a move the state machine does not allow.
 */
@Entity
@Table(schema = "sessions", name = "turns")
class Turn {

    @Id
    private UUID id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private UUID tenantId;

    @Column(name = "session_id", nullable = false, updatable = false)
    private UUID sessionId;

    @Column(nullable = false, updatable = false)
    private int number;

    /** The user's message; a voice turn's is empty until its audio is transcribed. */
    @Column(nullable = false)
    private String input;

    @Column(nullable = false)
    private String state;

    private String answer;

    private String error;

    @Column(nullable = false)
    @ColumnTransformer(read = "steps::text", write = "?::jsonb")
    private String steps;

    @Column(name = "waiting_for")
    @ColumnTransformer(read = "waiting_for::text", write = "?::jsonb")
    private String waitingFor;

    @Column(name = "model_ms", nullable = false)
    private long modelMillis;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Version
    private long version;

    protected Turn() {
    }

    Turn(AgentSession session, int number, String input, Instant now) {
        this.id = UUID.randomUUID();
        this.tenantId = session.tenantId();
        this.sessionId = session.id();
        this.number = number;
        this.input = input;
        this.state = TurnState.RECEIVED.wireName();
        this.steps = "[]";
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** An exchange held before the session existed (a client keeping its own history): done, never run. */
    static Turn recalled(AgentSession session, int number, String input, String answer, Instant now) {
        Turn turn = new Turn(session, number, input, now);
        turn.state = TurnState.DONE.wireName();
        turn.answer = answer;
        turn.finishedAt = now;
        return turn;
    }

    /** The one way a turn changes state. */
    void moveTo(TurnState next, Instant now) {
        TurnState current = state();
        if (!current.canMoveTo(next)) {
            throw new IllegalTurnTransition(id, current, next);
        }
        state = next.wireName();
        updatedAt = now;
        if (next.finished()) {
            finishedAt = now;
            waitingFor = null;
        }
    }

    void complete(String text, Instant now) {
        moveTo(TurnState.DONE, now);
        answer = text;
    }

    /** A voice turn's input: what its audio said. */
    void heard(String transcript) {
        if (state() != TurnState.TRANSCRIBING) {
            throw new IllegalStateException("turn " + id + " is not being transcribed");
        }
        input = transcript;
    }

    /** A voice turn's answer, kept while it is spoken. */
    void speak(String text, Instant now) {
        moveTo(TurnState.SPEAKING, now);
        answer = text;
    }

    void fail(String reason, Instant now) {
        moveTo(TurnState.FAILED, now);
        error = reason;
    }

    void steps(String json) {
        steps = json;
    }

    void waitFor(String json) {
        waitingFor = json;
    }

    void addModelTime(long millis) {
        modelMillis += millis;
    }

    UUID id() {
        return id;
    }

    UUID sessionId() {
        return sessionId;
    }

    int number() {
        return number;
    }

    String input() {
        return input;
    }

    TurnState state() {
        return TurnState.fromWire(state);
    }

    String answer() {
        return answer;
    }

    String error() {
        return error;
    }

    String steps() {
        return steps;
    }

    String waitingFor() {
        return waitingFor;
    }

    long modelMillis() {
        return modelMillis;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    Instant finishedAt() {
        return finishedAt;
    }

    /** A move the state machine does not allow; the turn keeps its state. */
    static final class IllegalTurnTransition extends IllegalStateException {
        IllegalTurnTransition(UUID turn, TurnState from, TurnState to) {
            super("turn " + turn + " cannot move from " + from.wireName() + " to " + to.wireName());
        }
    }
}
