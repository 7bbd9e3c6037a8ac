package dev.steward.sessions.internal;

import dev.steward.agents.api.AgentDefinition;
import dev.steward.agents.api.AgentDirectory;
import dev.steward.sessions.api.SessionActivity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@link SessionActivity} over the sessions' rows and events, in the tenant in scope. */
@ApplicationScoped
class DefaultSessionActivity implements SessionActivity {

    /** The events a timeline is made of: everything but tokens, tool traffic and audio. */
    private static final List<String> TIMELINE = List.of("session.started", "turn.received", "turn.state",
            "confirmation.requested", "confirmation.decided", "session.ended");
    private static final int TIMELINE_MOMENTS = 2000;

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Inject
    EventLog log;

    @Inject
    AgentDirectory agents;

    @Inject
    AgentVersions versions;

    @Override
    @Transactional
    public List<Summary> list(Filter filter, int offset, int limit) {
        UUID agent = null;
        if (filter.agentName() != null) {
            Optional<AgentDefinition> named = agents.named(filter.agentName());
            if (named.isEmpty()) {
                return List.of();
            }
            agent = named.get().id();
        }
        StringBuilder jpql = new StringBuilder("SELECT s FROM AgentSession s WHERE 1 = 1");
        Map<String, Object> parameters = new HashMap<>();
        where(jpql, parameters, "s.agentId = :agent", "agent", agent);
        where(jpql, parameters, "s.state = :state", "state", filter.state());
        where(jpql, parameters, "s.createdAt >= :from", "from", filter.from());
        where(jpql, parameters, "s.createdAt < :to", "to", filter.to());
        TypedQuery<AgentSession> query = em.createQuery(jpql + " ORDER BY s.createdAt DESC, s.id",
                AgentSession.class);
        parameters.forEach(query::setParameter);
        return query.setFirstResult(offset).setMaxResults(limit).getResultStream().map(this::summary).toList();
    }

    @Override
    @Transactional
    public Optional<Detail> find(UUID sessionId) {
        AgentSession session = em.find(AgentSession.class, sessionId);
        if (session == null) {
            return Optional.empty();
        }
        List<dev.steward.sessions.internal.Turn> turns = em.createQuery("SELECT t FROM Turn t"
                        + " WHERE t.sessionId = :session ORDER BY t.number", dev.steward.sessions.internal.Turn.class)
                .setParameter("session", sessionId).getResultList();
        Map<UUID, dev.steward.sessions.internal.Turn> byId = new HashMap<>();
        turns.forEach(turn -> byId.put(turn.id(), turn));
        List<Confirmation> confirmations = em.createQuery("SELECT c FROM Confirmation c"
                        + " WHERE c.sessionId = :session ORDER BY c.createdAt", dev.steward.sessions.internal.Confirmation.class)
                .setParameter("session", sessionId).getResultStream()
                .map(confirmation -> new Confirmation(confirmation.id(), number(byId, confirmation.turnId()),
                        confirmation.tool(), confirmation.state().name().toLowerCase(Locale.ROOT),
                        confirmation.createdAt(), confirmation.decidedAt(), confirmation.decidedBy(),
                        confirmation.comment())).toList();
        List<Moment> timeline = new ArrayList<>();
        for (SessionEvent event : log.ofTypes(sessionId, TIMELINE, TIMELINE_MOMENTS)) {
            timeline.add(moment(event, byId));
        }
        return Optional.of(new Detail(summary(session), turns.stream().map(turn -> new Turn(turn.id(),
                turn.number(), turn.input(), turn.state().wireName(), turn.answer(), turn.error(), turn.createdAt(),
                turn.finishedAt(), turn.modelMillis())).toList(), timeline, confirmations));
    }

    @Override
    @Transactional
    public List<Event> events(UUID sessionId, long afterSeq, int limit) {
        return log.after(sessionId, afterSeq, limit).stream().map(event -> new Event(event.seq(), event.type(),
                event.turnId(), event.data().toString(), event.createdAt())).toList();
    }

    private Summary summary(AgentSession session) {
        String name = versions.version(session.agentId(), session.agentVersion()).map(AgentDefinition::name)
                .orElse(null);
        return new Summary(session.id(), session.agentId(), name, session.agentVersion(),
                session.state().name().toLowerCase(Locale.ROOT), session.turnCount(), session.createdAt(),
                session.lastActivityAt(), session.endedAt(), session.inputTokens(), session.outputTokens(),
                session.cost());
    }

    private static Moment moment(SessionEvent event, Map<UUID, dev.steward.sessions.internal.Turn> turns) {
        JsonObject data = event.data();
        int turn = number(turns, event.turnId());
        return switch (event.type()) {
            case "session.started" -> new Moment(event.createdAt(), 0, "started",
                    "agent version " + data.getInt("agentVersion", 0));
            case "turn.received" -> new Moment(event.createdAt(), turn, "received", null);
            case "turn.state" -> {
                String to = data.getString("to", "?");
                dev.steward.sessions.internal.Turn moved = turns.get(event.turnId());
                yield new Moment(event.createdAt(), turn, to, to.equals("failed") && moved != null
                        ? moved.error() : null);
            }
            case "confirmation.requested" -> new Moment(event.createdAt(), turn, "confirmation requested",
                    data.getString("tool", null));
            case "confirmation.decided" -> new Moment(event.createdAt(), turn, data.getBoolean("expired", false)
                    ? "confirmation expired" : data.getBoolean("approved", false) ? "confirmation approved"
                    : "confirmation denied", null);
            case "session.ended" -> new Moment(event.createdAt(), 0, "ended", null);
            default -> new Moment(event.createdAt(), turn, event.type(), null);
        };
    }

    private static int number(Map<UUID, dev.steward.sessions.internal.Turn> turns, UUID turnId) {
        dev.steward.sessions.internal.Turn turn = turnId == null ? null : turns.get(turnId);
        return turn == null ? 0 : turn.number();
    }

    private static void where(StringBuilder jpql, Map<String, Object> parameters, String condition, String name,
                              Object value) {
        if (value != null) {
            jpql.append(" AND ").append(condition);
            parameters.put(name, value);
        }
    }
}
