package dev.steward.sessions.internal;

import dev.steward.agents.api.AgentDefinition;
import dev.steward.agents.api.AgentDefinition.DoubleTexting;
import dev.steward.agents.api.AgentDirectory;
import dev.steward.audit.api.AuditEntry;
import dev.steward.audit.api.AuditTrail;
import dev.steward.sessions.api.Conversations;
import dev.steward.shared.CurrentRequest;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * What clients do to sessions: start one, send turns (with the agent's double-texting policy), decide on
 * confirmations, end it. Each is one transaction holding the session row's lock, so a turn, its job and its events
 * commit together, and two messages to one session are ordered. Refusals are {@link ProblemException}s thrown
 * before anything is written.
 */
@ApplicationScoped
class SessionService {

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Inject
    AgentDirectory agents;

    @Inject
    EventLog events;

    @Inject
    TurnJobs jobs;

    @Inject
    AuditTrail audit;


    /** A turn as accepted: queued when it waits for an earlier one. */
    record Accepted(Turn turn, boolean queued) {
    }

    @Transactional
    Outcome<AgentSession> start(UUID agentId) {
        Optional<AgentDefinition> found = agents.current(agentId);
        if (found.isEmpty()) {
            return Outcome.refused(ProblemException.invalid("agentId", "no such agent"));
        }
        AgentDefinition agent = found.get();
        AgentSession session = new AgentSession(CurrentRequest.get().requireTenant().value(), agent.id(),
                agent.version(), agent.sessions().idleTtl(), Instant.now());
        em.persist(session);
        em.flush(); // the events' foreign key needs the row
        events.append(session, List.of(SessionEvent.New.of("session.started", null, SessionEvent.New.fields()
                .add("agentId", agent.id().toString()).add("agentVersion", agent.version()))));
        audit.record(new AuditEntry("session.started", agent.id(), session.id(), null, null,
                Json.createObjectBuilder().add("agentVersion", agent.version()).build()));
        return Outcome.of(session);
    }

    /**
     * A session of the agent whose earlier exchanges are {@code history} (stored as done turns, never run), and the
     * turn for {@code input}: all in one transaction, so a refused start leaves nothing behind.
     */
    @Transactional
    Outcome<Accepted> openWithHistory(UUID agentId, List<Conversations.Exchange> history, String input) {
        Outcome<AgentSession> started = start(agentId);
        if (started.refusal() != null) {
            return Outcome.refused(started.refusal());
        }
        AgentSession session = started.value();
        Instant now = Instant.now();
        for (Conversations.Exchange exchange : history) {
            em.persist(Turn.recalled(session, session.nextTurnNumber(), exchange.user(), exchange.assistant(), now));
        }
        em.flush();
        return send(session.id(), input);
    }

    @Transactional
    Outcome<Accepted> send(UUID sessionId, String input) {
        return send(sessionId, input, null);
    }

    /** Audio a voice turn was asked with, and its media type. */
    record Audio(byte[] bytes, String mediaType) {
    }

    /**
     * A turn: a text message, or ({@code audio} not null) a voice turn, whose input is empty until the turn's job
     * has transcribed the audio; only agents with voice settings take those.
     */
    @Transactional
    Outcome<Accepted> send(UUID sessionId, String input, Audio audio) {
        Outcome<AgentSession> active = active(sessionId);
        if (active.refusal() != null) {
            return Outcome.refused(active.refusal());
        }
        AgentSession session = active.value();
        Optional<AgentDefinition> pinned = agents.version(session.agentId(), session.agentVersion());
        if (pinned.isEmpty()) {
            return Outcome.refused(new ProblemException(ProblemType.CONFLICT, "The session's agent is gone"));
        }
        AgentDefinition agent = pinned.get();
        if (audio != null && agent.voice() == null) {
            return Outcome.refused(new ProblemException(ProblemType.CONFLICT, "The session's agent takes no voice"
                    + " turns: its version has no voice settings"));
        }
        List<Turn> unfinished = em.createQuery("SELECT t FROM Turn t WHERE t.sessionId = :session"
                        + " AND t.state NOT IN ('done', 'failed') ORDER BY t.number", Turn.class)
                .setParameter("session", sessionId).getResultList();
        DoubleTexting policy = agent.sessions().doubleTexting();
        if (!unfinished.isEmpty() && policy == DoubleTexting.REJECT) {
            return Outcome.refused(new ProblemException(ProblemType.CONFLICT, "A turn is still running; this agent"
                    + " rejects messages until it is done (its double-texting policy is reject)"));
        }
        List<SessionEvent.New> out = new ArrayList<>();
        if (policy == DoubleTexting.INTERRUPT) {
            unfinished.forEach(turn -> TurnProgress.fail(em, turn, "Interrupted by a newer message", out));
        }
        Instant now = Instant.now();
        Turn turn = new Turn(session, session.nextTurnNumber(), input, now);
        em.persist(turn);
        session.touch(now);
        em.flush();
        JsonObjectBuilder received = SessionEvent.New.fields().add("number", turn.number()).add("input", input);
        if (audio != null) {
            em.persist(new VoiceTurn(turn, session.tenantId(), audio.bytes(), audio.mediaType(), now));
            received.add("audio", SessionEvent.New.fields().add("type", audio.mediaType())
                    .add("bytes", audio.bytes().length));
        }
        out.add(SessionEvent.New.of("turn.received", turn.id(), received));
        events.append(session, out);
        boolean queued = policy == DoubleTexting.QUEUE && !unfinished.isEmpty();
        if (!queued) {
            jobs.submit(session, turn.id(), null, "start", TurnJobs.estimate(input));
        }
        return Outcome.of(new Accepted(turn, queued));
    }

    @Transactional
    Outcome<Confirmation> decide(UUID sessionId, UUID confirmationId, boolean approve, String comment) {
        Outcome<AgentSession> active = active(sessionId);
        if (active.refusal() != null) {
            return Outcome.refused(active.refusal());
        }
        AgentSession session = active.value();
        // Locked: the sweep expiring it (which skips locked rows) and a decision never both win.
        Confirmation confirmation = em.find(Confirmation.class, confirmationId, LockModeType.PESSIMISTIC_WRITE);
        if (confirmation == null || !confirmation.sessionId().equals(sessionId)) {
            return Outcome.refused(ProblemException.notFound("confirmation", confirmationId));
        }
        if (confirmation.state() != Confirmation.State.PENDING) {
            return Outcome.refused(new ProblemException(ProblemType.CONFLICT, "The confirmation was already"
                    + " decided: it is " + confirmation.state().name().toLowerCase(Locale.ROOT)));
        }
        confirmation.decide(approve, comment, CurrentRequest.get().principal().tag(), Instant.now());
        audit.record(new AuditEntry(approve ? "confirmation.approved" : "confirmation.denied", session.agentId(),
                session.id(), null, null, Json.createObjectBuilder().add("confirmationId", confirmationId.toString())
                        .add("tool", confirmation.tool()).add("comment", comment == null ? "" : comment).build()));
        session.touch(Instant.now());
        events.append(session, List.of(SessionEvent.New.of("confirmation.decided", confirmation.turnId(),
                SessionEvent.New.fields().add("confirmationId", confirmationId.toString())
                        .add("approved", approve))));
        resume(session, confirmation);
        return Outcome.of(confirmation);
    }

    /** A confirmation the timer expired: announced, and its turn resumes (the call was not approved). */
    @Transactional
    void expired(UUID sessionId, UUID confirmationId) {
        AgentSession session = em.find(AgentSession.class, sessionId, LockModeType.PESSIMISTIC_WRITE);
        Confirmation confirmation = em.find(Confirmation.class, confirmationId);
        if (session == null || confirmation == null) {
            return;
        }
        events.append(session, List.of(SessionEvent.New.of("confirmation.decided", confirmation.turnId(),
                SessionEvent.New.fields().add("confirmationId", confirmationId.toString()).add("approved", false)
                        .add("expired", true))));
        audit.record(new AuditEntry("confirmation.expired", session.agentId(), session.id(), null, null,
                Json.createObjectBuilder().add("confirmationId", confirmationId.toString())
                        .add("tool", confirmation.tool()).build()));
        resume(session, confirmation);
    }

    /** The turn a decided (or expired) confirmation parked goes back on the queue. */
    @Transactional(Transactional.TxType.MANDATORY)
    void resume(AgentSession session, Confirmation confirmation) {
        jobs.submit(session, confirmation.turnId(), null, "confirmation-" + confirmation.id(), 0);
    }

    /**
     * Stops an unfinished turn at a client's request: it fails with {@link Conversations#CANCELED} (a step already
     * under way finds it ended and stops). False when the turn had ended.
     */
    @Transactional
    boolean cancel(UUID sessionId, UUID turnId) {
        AgentSession session = em.find(AgentSession.class, sessionId, LockModeType.PESSIMISTIC_WRITE);
        Turn turn = session == null ? null : em.find(Turn.class, turnId);
        if (turn == null || !turn.sessionId().equals(sessionId) || turn.state() == TurnState.DONE
                || turn.state() == TurnState.FAILED) {
            return false;
        }
        List<SessionEvent.New> out = new ArrayList<>();
        TurnProgress.fail(em, turn, Conversations.CANCELED, out);
        events.append(session, out);
        jobs.startNext(session); // a turn queued behind it (double texting: queue) runs now
        audit.record(new AuditEntry("turn.canceled", session.agentId(), session.id(), null, null,
                Json.createObjectBuilder().add("turn", turnId.toString()).build()));
        return true;
    }

    /** Ends the session: turns still running fail, and nothing more can be sent. */
    @Transactional
    Outcome<AgentSession> end(UUID sessionId) {
        AgentSession session = em.find(AgentSession.class, sessionId, LockModeType.PESSIMISTIC_WRITE);
        if (session == null) {
            return Outcome.refused(ProblemException.notFound("session", sessionId));
        }
        if (session.state() != AgentSession.State.ACTIVE) {
            return Outcome.of(session);
        }
        List<SessionEvent.New> out = new ArrayList<>();
        em.createQuery("SELECT t FROM Turn t WHERE t.sessionId = :session AND t.state NOT IN ('done', 'failed')",
                        Turn.class).setParameter("session", sessionId).getResultList()
                .forEach(turn -> TurnProgress.fail(em, turn, "The session ended", out));
        session.end(Instant.now());
        out.add(SessionEvent.New.of("session.ended", null, SessionEvent.New.fields()));
        events.append(session, out);
        audit.record(new AuditEntry("session.ended", session.agentId(), session.id(), null, null,
                Json.createObjectBuilder().add("turns", session.turnCount()).build()));
        return Outcome.of(session);
    }

    private Outcome<AgentSession> active(UUID sessionId) {
        AgentSession session = em.find(AgentSession.class, sessionId, LockModeType.PESSIMISTIC_WRITE);
        if (session == null) {
            return Outcome.refused(ProblemException.notFound("session", sessionId));
        }
        if (session.state() != AgentSession.State.ACTIVE) {
            return Outcome.refused(new ProblemException(ProblemType.CONFLICT, "The session is "
                    + session.state().name().toLowerCase(Locale.ROOT)));
        }
        return Outcome.of(session);
    }
}
