package dev.steward.sessions.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads for the sessions API, under the tenant's row-level security like everything else. */
@ApplicationScoped
class SessionQueries {

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Inject
    EventLog log;

    @Transactional
    Optional<SessionViews.Session> session(UUID id) {
        return Optional.ofNullable(em.find(AgentSession.class, id)).map(session -> SessionViews.Session.of(session,
                em.createQuery("SELECT t FROM Turn t WHERE t.sessionId = :session ORDER BY t.number", Turn.class)
                        .setParameter("session", id).getResultList()));
    }

    @Transactional
    List<SessionViews.Session> sessions(UUID agentId, String state, int limit) {
        return em.createQuery("SELECT s FROM AgentSession s WHERE (:agent IS NULL OR s.agentId = :agent)"
                        + " AND (:state IS NULL OR s.state = :state) ORDER BY s.createdAt DESC", AgentSession.class)
                .setParameter("agent", agentId).setParameter("state", state).setMaxResults(limit)
                .getResultStream().map(session -> SessionViews.Session.of(session, null)).toList();
    }

    @Transactional
    Optional<SessionViews.Turn> turn(UUID sessionId, UUID turnId) {
        return Optional.ofNullable(em.find(Turn.class, turnId)).filter(turn -> turn.sessionId().equals(sessionId))
                .map(SessionViews.Turn::of);
    }

    @Transactional
    List<SessionViews.Confirmation> confirmations(UUID sessionId, String state) {
        return em.createQuery("SELECT c FROM Confirmation c WHERE c.sessionId = :session"
                        + " AND (:state IS NULL OR c.state = :state) ORDER BY c.createdAt", Confirmation.class)
                .setParameter("session", sessionId).setParameter("state", state).getResultStream()
                .map(SessionViews.Confirmation::of).toList();
    }

    @Transactional
    List<SessionViews.Event> events(UUID sessionId, long after, int limit) {
        return log.after(sessionId, after, limit).stream().map(SessionViews.Event::of).toList();
    }

    @Transactional
    boolean exists(UUID sessionId) {
        return em.find(AgentSession.class, sessionId) != null;
    }
}
