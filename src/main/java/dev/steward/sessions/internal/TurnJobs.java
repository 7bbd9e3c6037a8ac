package dev.steward.sessions.internal;

import dev.steward.dispatch.api.JobQueue;
import dev.steward.dispatch.api.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.io.StringReader;
import java.time.Instant;
import java.util.UUID;

/**
 * Puts turns on the queue: a turn starts as a job, and resumes as one after a confirmation or when a pending job is
 * due to be polled. Each job has an idempotency key, so asking twice for the same step queues it once.
 */
@ApplicationScoped
class TurnJobs {

    static final String KIND = "session.turn";

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Inject
    JobQueue queue;

    /** The job's payload. */
    record Payload(UUID sessionId, UUID turnId) {

        String json() {
            return Json.createObjectBuilder().add("sessionId", sessionId.toString())
                    .add("turnId", turnId.toString()).build().toString();
        }

        static Payload parse(String json) {
            try (JsonReader reader = Json.createReader(new StringReader(json))) {
                JsonObject payload = reader.readObject();
                return new Payload(UUID.fromString(payload.getString("sessionId")),
                        UUID.fromString(payload.getString("turnId")));
            }
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void submit(AgentSession session, UUID turnId, Priority priority, Instant runAt, String step) {
        queue.submit(new JobQueue.Request(KIND, priority, new Payload(session.id(), turnId).json(), runAt,
                "turn-" + turnId + "-" + step, session.agentId()));
    }

    /** Starts the session's oldest turn that is waiting for the ones before it, if no turn is running. */
    @Transactional(Transactional.TxType.MANDATORY)
    void startNext(AgentSession session, Priority priority) {
        boolean running = !em.createQuery("SELECT t.id FROM Turn t WHERE t.sessionId = :session"
                        + " AND t.state NOT IN ('received', 'done', 'failed')", UUID.class)
                .setParameter("session", session.id()).setMaxResults(1).getResultList().isEmpty();
        if (running) {
            return;
        }
        em.createQuery("SELECT t.id FROM Turn t WHERE t.sessionId = :session AND t.state = 'received'"
                        + " ORDER BY t.number", UUID.class)
                .setParameter("session", session.id()).setMaxResults(1).getResultStream().findFirst()
                .ifPresent(next -> submit(session, next, priority, null, "start"));
    }
}
