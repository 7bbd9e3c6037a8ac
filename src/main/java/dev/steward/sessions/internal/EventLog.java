package dev.steward.sessions.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.io.StringReader;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.Session;

/**
 * A session's events: appended in the writer's transaction under the session row's lock (which numbers them) and
 * announced on {@code steward_session_events} when it commits, so every node's streams fetch them.
 */
@ApplicationScoped
class EventLog {

    static final String CHANNEL = "steward_session_events";

    private static final String INSERT = "INSERT INTO sessions.events (tenant_id, session_id, seq, turn_id, type,"
            + " data, created_at) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)";
    private static final String NOTIFY = "SELECT pg_notify('" + CHANNEL + "', ?)";
    private static final String AFTER = "SELECT seq, type, turn_id, data::text AS data, created_at"
            + " FROM sessions.events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?";

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    /** Appends in the caller's transaction; {@code session} must be locked by it. */
    @Transactional(Transactional.TxType.MANDATORY)
    void append(AgentSession session, List<SessionEvent.New> events) {
        if (events.isEmpty()) {
            return;
        }
        long first = session.reserveEvents(events.size());
        Timestamp now = Timestamp.from(Instant.now());
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (int i = 0; i < events.size(); i++) {
                    SessionEvent.New event = events.get(i);
                    insert.setObject(1, session.tenantId());
                    insert.setObject(2, session.id());
                    insert.setLong(3, first + i);
                    insert.setObject(4, event.turnId());
                    insert.setString(5, event.type());
                    insert.setString(6, event.data().toString());
                    insert.setTimestamp(7, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement notify = connection.prepareStatement(NOTIFY)) {
                notify.setString(1, session.tenantId() + ":" + session.id());
                notify.executeQuery().close();
            }
        });
    }

    /** Up to {@code limit} events after {@code afterSeq}, in order. */
    @Transactional
    List<SessionEvent> after(UUID sessionId, long afterSeq, int limit) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement query = connection.prepareStatement(AFTER)) {
                query.setObject(1, sessionId);
                query.setLong(2, afterSeq);
                query.setInt(3, limit);
                List<SessionEvent> events = new ArrayList<>();
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        try (JsonReader data = Json.createReader(new StringReader(row.getString("data")))) {
                            events.add(new SessionEvent(row.getLong("seq"), row.getString("type"),
                                    row.getObject("turn_id", UUID.class), data.readObject(),
                                    row.getObject("created_at", OffsetDateTime.class).toInstant()));
                        }
                    }
                }
                return events;
            }
        });
    }
}
