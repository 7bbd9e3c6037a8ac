package dev.steward.sessions.internal;

import dev.steward.agents.api.AgentDefinition;
import dev.steward.dispatch.api.JobQueue;
import dev.steward.dispatch.api.Priority;
import dev.steward.models.api.ModelCatalog;
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
import java.util.List;
import java.util.Optional;
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

    @Inject
    AgentVersions agents;

    @Inject
    ModelCatalog models;

    /** A turn's tokens, roughly (four characters a token), before the model has counted them. */
    static int estimate(String input) {
        return input.length() / 4 + 1;
    }

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

    /**
     * Queues a step of a turn at the agent's priority, declaring the agent's model's provider account so that its
     * limits are checked before the step runs; {@code expectedTokens} for the account's token bucket.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void submit(AgentSession session, UUID turnId, Instant runAt, String step, int expectedTokens) {
        Optional<AgentDefinition> agent = agents.version(session.agentId(), session.agentVersion());
        Priority priority = agent.map(a -> Priority.valueOf(a.sessions().priority())).orElse(Priority.DEFAULT);
        List<String> resources = agent.map(AgentDefinition::model).flatMap(models::providerAccount)
                .map(account -> List.of("provider:" + account)).orElse(List.of());
        queue.submit(new JobQueue.Request(KIND, priority, new Payload(session.id(), turnId).json(), runAt,
                "turn-" + turnId + "-" + step, session.agentId(), resources, resources.isEmpty() ? 0
                : expectedTokens));
    }

    /** Starts the session's oldest turn that is waiting for the ones before it, if no turn is running. */
    @Transactional(Transactional.TxType.MANDATORY)
    void startNext(AgentSession session) {
        boolean running = !em.createQuery("SELECT t.id FROM Turn t WHERE t.sessionId = :session"
                        + " AND t.state NOT IN ('received', 'done', 'failed')", UUID.class)
                .setParameter("session", session.id()).setMaxResults(1).getResultList().isEmpty();
        if (running) {
            return;
        }
        em.createQuery("SELECT t FROM Turn t WHERE t.sessionId = :session AND t.state = 'received'"
                        + " ORDER BY t.number", Turn.class)
                .setParameter("session", session.id()).setMaxResults(1).getResultStream().findFirst()
                .ifPresent(next -> submit(session, next.id(), null, "start", estimate(next.input())));
    }
}
