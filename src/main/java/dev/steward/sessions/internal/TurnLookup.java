package dev.steward.sessions.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.Optional;
import java.util.UUID;

/** Sessions and turns of the tenant in scope found by id, for protocols that name them (A2A contexts and tasks). */
@ApplicationScoped
class TurnLookup {

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Transactional
    Optional<AgentSession> session(UUID id) {
        return Optional.ofNullable(em.find(AgentSession.class, id));
    }

    /** The turn, when it belongs to a session of {@code agentId}. */
    @Transactional
    Optional<Turn> turnOf(UUID agentId, UUID turnId) {
        return em.createQuery("SELECT t FROM Turn t, AgentSession s WHERE t.id = :turn AND s.id = t.sessionId"
                        + " AND s.agentId = :agent", Turn.class).setParameter("turn", turnId)
                .setParameter("agent", agentId).getResultStream().findFirst();
    }
}
