package dev.steward.sessions.internal;

import dev.steward.audit.api.AuditEntry;
import dev.steward.audit.api.AuditTrail;
import dev.steward.models.api.ChatGateway.ChatMessage;
import dev.steward.models.api.ChatGateway.ChatResult;
import dev.steward.models.api.ChatGateway.Role;
import dev.steward.models.api.ChatGateway.ToolCall;
import dev.steward.tools.api.ToolOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The turn loop's writes: each moves a turn and appends its events (in one statement) in one transaction, holding
 * the session row's lock (which also numbers the events). Each re-reads the turn under that lock, so a turn that was
 * interrupted or whose session ended meanwhile is left alone: the method answers {@code false} and the loop stops.
 */
@ApplicationScoped
class TurnProgress {

    /** How many earlier turns a model sees. */
    static final int HISTORY_TURNS = 20;

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Inject
    EventLog events;

    @Inject
    TurnJobs jobs;

    @Inject
    AuditTrail audit;

    /** What the loop works from: the turn as it stands, and the conversation before it; whether it is spoken. */
    record Work(UUID sessionId, UUID turnId, UUID agentId, int agentVersion, int number, String input,
                TurnState state, List<ChatMessage> steps, JsonObject waitingFor, List<ChatMessage> history,
                JsonObject agentState, boolean voice) {

        /** The work once a voice turn's audio was transcribed: that is its input, and the model is next. */
        Work heard(String transcript) {
            return new Work(sessionId, turnId, agentId, agentVersion, number, transcript, TurnState.CALLING_MODEL,
                    steps, waitingFor, history, agentState, voice);
        }
    }

    /**
     * Takes up a turn where it stands; empty when there is nothing to do: it is finished, waits for an earlier turn,
     * or waits for a confirmation nobody gave yet.
     */
    @Transactional
    Optional<Work> begin(UUID sessionId, UUID turnId) {
        AgentSession session = em.find(AgentSession.class, sessionId, LockModeType.PESSIMISTIC_WRITE);
        Turn turn = em.find(Turn.class, turnId);
        if (session == null || turn == null || turn.state().finished()) {
            return Optional.empty();
        }
        boolean voice = isVoice(turnId);
        if (turn.state() == TurnState.RECEIVED) {
            if (earlierUnfinished(turn)) {
                return Optional.empty();
            }
            List<SessionEvent.New> out = new ArrayList<>();
            if (voice) {
                move(turn, TurnState.TRANSCRIBING, out); // planning follows once the audio is heard
            } else {
                // Planning is assembling the context below, in this transaction; the model is called next.
                move(turn, TurnState.PLANNING, out);
                move(turn, TurnState.CALLING_MODEL, out);
            }
            events.append(session, out);
        }
        JsonObject waitingFor = turn.waitingFor() == null ? null : parse(turn.waitingFor());
        if (turn.state() == TurnState.AWAITING_CONFIRMATION
                && decision(turnId, waitingFor.getString("callId")).orElse(Confirmation.State.PENDING)
                == Confirmation.State.PENDING) {
            return Optional.empty();
        }
        return Optional.of(new Work(sessionId, turnId, session.agentId(), session.agentVersion(), turn.number(),
                turn.input(), turn.state(), Steps.parse(turn.steps()), waitingFor, history(turn),
                parse(session.agentState()), voice));
    }

    /** Moves the turn (staying put is allowed and announces nothing) and appends {@code extra} events. */
    @Transactional
    boolean moveTo(Work work, TurnState next, List<SessionEvent.New> extra) {
        return locked(work, (session, turn, out) -> {
            if (turn.state() != next) {
                move(turn, next, out);
            }
            out.addAll(extra);
        });
    }

    /** A model call that asked for tools: its usage, the steps so far, its text as tokens and its calls. */
    @Transactional
    boolean modelAskedForTools(Work work, ChatResult result, List<ToolCall> calls, List<ChatMessage> steps,
                               List<String> deltas) {
        return locked(work, (session, turn, out) -> {
            account(session, turn, result);
            turn.steps(Steps.render(steps));
            out.addAll(tokenEvents(work, deltas));
            for (ToolCall call : calls) {
                out.add(SessionEvent.New.of("tool.call", work.turnId(), SessionEvent.New.fields()
                        .add("callId", call.id()).add("tool", call.name()).add("arguments", call.argumentsJson())));
            }
        });
    }

    /** Token deltas of a model that is still answering. */
    @Transactional
    boolean streamed(Work work, List<String> deltas) {
        return locked(work, (session, turn, out) -> out.addAll(tokenEvents(work, deltas)));
    }

    /** How a tool call ended, as the audit trail names it. */
    enum ToolVerdict {
        CALLED("tool.called"), FAILED("tool.failed"), REFUSED("tool.refused"), DENIED("tool.denied");

        final String action;

        ToolVerdict(String action) {
            this.action = action;
        }
    }

    /** A tool call's result (or why it did not run), added to the steps and put on the audit trail. */
    @Transactional
    boolean toolAnswered(Work work, List<ChatMessage> steps, ToolCall call, String result, ToolVerdict verdict) {
        return locked(work, (session, turn, out) -> {
            turn.steps(Steps.render(steps));
            boolean failed = verdict != ToolVerdict.CALLED;
            out.add(SessionEvent.New.of("tool.result", work.turnId(), SessionEvent.New.fields()
                    .add("callId", call.id()).add("tool", call.name()).add(failed ? "error" : "result", result)));
            audit.record(new AuditEntry(verdict.action, session.agentId(), session.id(), null, null,
                    Json.createObjectBuilder().add("tool", call.name()).add("callId", call.id())
                            .add("turnId", turn.id().toString()).build()));
        });
    }

    /** The model's final answer: usage, tokens, responding, done, and the next queued turn started. */
    @Transactional
    boolean answered(Work work, ChatResult result, List<String> deltas) {
        return answered(work, result, deltas, null, null);
    }

    /**
     * A final answer; a remote agent's may carry its new state (kept on the session for its next turn) and the
     * actions it proposes (passed on in {@code turn.completed}).
     */
    @Transactional
    boolean answered(Work work, ChatResult result, List<String> deltas, JsonObject agentState, JsonArray actions) {
        return locked(work, (session, turn, out) -> {
            account(session, turn, result);
            out.addAll(tokenEvents(work, deltas));
            move(turn, TurnState.RESPONDING, out);
            if (!work.voice()) {
                turn.complete(result.text(), Instant.now());
            }
            session.touch(Instant.now());
            if (agentState != null) {
                session.agentState(agentState.toString());
            }
            JsonObjectBuilder completed = SessionEvent.New.fields().add("answer", result.text())
                    .add("model", result.model()).add("inputTokens", session.inputTokens())
                    .add("outputTokens", session.outputTokens());
            if (actions != null) {
                completed.add("actions", actions);
            }
            if (!result.masked().isEmpty()) {
                JsonObjectBuilder masked = Json.createObjectBuilder();
                result.masked().forEach(masked::add);
                completed.add("masked", masked); // kinds and counts, never the values
            }
            if (work.voice()) {
                // The answer is spoken before the turn is done; turn.completed waits for the audio, kept till then.
                turn.speak(result.text(), Instant.now());
                turn.waitFor(Json.createObjectBuilder().add("completed", completed).build().toString());
                out.add(stateEvent(work.turnId(), TurnState.RESPONDING, TurnState.SPEAKING));
                return;
            }
            out.add(stateEvent(work.turnId(), TurnState.RESPONDING, TurnState.DONE));
            out.add(SessionEvent.New.of("turn.completed", work.turnId(), completed));
            jobs.startNext(session);
        });
    }

    /** A write waits for a person: a confirmation, the turn parked until it is decided or expires. */
    @Transactional
    boolean awaitConfirmation(Work work, ToolCall call, Duration expiresIn) {
        return locked(work, (session, turn, out) -> {
            Instant now = Instant.now();
            Confirmation confirmation = new Confirmation(session.tenantId(), session.id(), turn.id(), call.id(),
                    call.name(), SessionViews.json(call.argumentsJson()).toString(), now, now.plus(expiresIn));
            em.persist(confirmation);
            turn.waitFor(Json.createObjectBuilder().add("confirmationId", confirmation.id().toString())
                    .add("callId", call.id()).build().toString());
            move(turn, TurnState.AWAITING_CONFIRMATION, out);
            out.add(SessionEvent.New.of("confirmation.requested", turn.id(), SessionEvent.New.fields()
                    .add("confirmationId", confirmation.id().toString()).add("callId", call.id())
                    .add("tool", call.name()).add("arguments", call.argumentsJson())
                    .add("expiresAt", confirmation.expiresAt().toString())));
        });
    }

    /** How the person decided on a call, if a confirmation was asked for. */
    @Transactional
    Optional<Confirmation.State> decision(UUID turnId, String callId) {
        return em.createQuery("SELECT c FROM Confirmation c WHERE c.turnId = :turn AND c.callId = :call",
                        Confirmation.class)
                .setParameter("turn", turnId).setParameter("call", callId).getResultStream()
                .findFirst().map(Confirmation::state);
    }

    /** A long job answered "pending": the turn polls it again after {@code delay}, its progress announced. */
    @Transactional
    boolean pending(Work work, ToolCall call, ToolOutcome.Pending pending, int round, int polls, Duration delay) {
        return locked(work, (session, turn, out) -> {
            turn.waitFor(Json.createObjectBuilder().add("callId", call.id()).add("tool", call.name())
                    .add("arguments", call.argumentsJson()).add("pollToken", pending.pollToken())
                    .add("polls", polls).build().toString());
            SessionEvent.New progress = SessionEvent.New.of("progress", turn.id(), SessionEvent.New.fields()
                    .add("callId", call.id()).add("tool", call.name()).add("progress", pending.progress())
                    .add("status", pending.status()));
            if (turn.state() != TurnState.POLLING) {
                move(turn, TurnState.POLLING, out);
            }
            out.add(progress);
            jobs.submit(session, turn.id(), Instant.now().plus(delay), "poll-" + round + "-" + call.id() + "-" + polls,
                    0);
        });
    }

    /** The turn fails with {@code reason}; the next queued turn starts. */
    @Transactional
    boolean fail(Work work, String reason) {
        return locked(work, (session, turn, out) -> {
            fail(em, turn, reason, out);
            jobs.startNext(session);
        });
    }

    /**
     * Fails a turn that is not finished, and closes the confirmations it still waited for (nobody can approve a
     * call of a turn that is over); its events go to {@code out}, which the caller appends. For the loop and for
     * interruptions alike.
     */
    static void fail(EntityManager em, Turn turn, String reason, List<SessionEvent.New> out) {
        TurnState from = turn.state();
        turn.fail(reason, Instant.now());
        em.createQuery("UPDATE Confirmation c SET c.state = 'expired', c.decidedAt = :now, c.decidedBy ="
                        + " 'system:turn-ended' WHERE c.turnId = :turn AND c.state = 'pending'")
                .setParameter("now", Instant.now()).setParameter("turn", turn.id()).executeUpdate();
        out.add(stateEvent(turn.id(), from, TurnState.FAILED));
        out.add(SessionEvent.New.of("turn.failed", turn.id(), SessionEvent.New.fields().add("error", reason)));
    }

    static void move(Turn turn, TurnState next, List<SessionEvent.New> out) {
        TurnState from = turn.state();
        turn.moveTo(next, Instant.now());
        out.add(stateEvent(turn.id(), from, next));
    }

    static SessionEvent.New stateEvent(UUID turnId, TurnState from, TurnState to) {
        return SessionEvent.New.of("turn.state", turnId, SessionEvent.New.fields().add("from", from.wireName())
                .add("to", to.wireName()));
    }

    private static List<SessionEvent.New> tokenEvents(Work work, List<String> deltas) {
        List<SessionEvent.New> tokens = new ArrayList<>();
        deltas.forEach(delta -> tokens.add(SessionEvent.New.of("token", work.turnId(),
                SessionEvent.New.fields().add("delta", delta))));
        return tokens;
    }

    static void account(AgentSession session, Turn turn, ChatResult result) {
        session.addUsage(result.inputTokens(), result.outputTokens(), result.cost());
        turn.addModelTime(result.latencyMillis());
    }

    private boolean isVoice(UUID turnId) {
        return !em.createQuery("SELECT v.inputType FROM VoiceTurn v WHERE v.turnId = :turn", String.class)
                .setParameter("turn", turnId).getResultList().isEmpty();
    }

    private boolean earlierUnfinished(Turn turn) {
        return !em.createQuery("SELECT t.id FROM Turn t WHERE t.sessionId = :session AND t.number < :number"
                        + " AND t.state NOT IN ('done', 'failed')", UUID.class)
                .setParameter("session", turn.sessionId()).setParameter("number", turn.number())
                .setMaxResults(1).getResultList().isEmpty();
    }

    private List<ChatMessage> history(Turn turn) {
        List<Turn> earlier = em.createQuery("SELECT t FROM Turn t WHERE t.sessionId = :session"
                        + " AND t.number < :number AND t.state = 'done' ORDER BY t.number DESC", Turn.class)
                .setParameter("session", turn.sessionId()).setParameter("number", turn.number())
                .setMaxResults(HISTORY_TURNS).getResultList();
        List<ChatMessage> history = new ArrayList<>();
        for (int i = earlier.size() - 1; i >= 0; i--) {
            history.add(new ChatMessage(Role.USER, earlier.get(i).input()));
            history.add(new ChatMessage(Role.ASSISTANT, earlier.get(i).answer()));
        }
        return history;
    }

    /** A change to a turn; the events it adds to {@code out} are appended in one statement after it. */
    interface Change {
        void apply(AgentSession session, Turn turn, List<SessionEvent.New> out);
    }

    /** Applies {@code change} under the session's lock, unless the turn is gone or finished (then false). */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean locked(Work work, Change change) {
        AgentSession session = em.find(AgentSession.class, work.sessionId(), LockModeType.PESSIMISTIC_WRITE);
        Turn turn = session == null ? null : em.find(Turn.class, work.turnId());
        if (turn == null || turn.state().finished()) {
            return false;
        }
        List<SessionEvent.New> out = new ArrayList<>();
        change.apply(session, turn, out);
        session.touch(Instant.now()); // a turn at work keeps its session from being evicted as idle
        events.append(session, out);
        return true;
    }

    static JsonObject parse(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }
}
