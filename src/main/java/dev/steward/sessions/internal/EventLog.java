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
import java.sql.SQLException;
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

    /** The events and their announcement in one round trip. */
    private static final String APPEND = "WITH appended AS (INSERT INTO sessions.events"
            + " (tenant_id, session_id, seq, turn_id, type, data, created_at)"
            + " SELECT ?, ?, e.seq, e.turn_id, e.type, e.data::jsonb, ? FROM unnest(?::bigint[], ?::uuid[], ?::text[],"
            + " ?::text[]) AS e(seq, turn_id, type, data) RETURNING 1)"
            + " SELECT pg_notify('" + CHANNEL + "', ?), (SELECT count(*) FROM appended)";
    private static final String AFTER = "SELECT seq, type, turn_id, data::text AS data, created_at"
            + " FROM sessions.events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?";
    private static final String OF_TYPES = "SELECT seq, type, turn_id, data::text AS data, created_at"
            + " FROM sessions.events WHERE session_id = ? AND type = ANY (?) ORDER BY seq LIMIT ?";

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
        Long[] seqs = new Long[events.size()];
        UUID[] turns = new UUID[events.size()];
        String[] types = new String[events.size()];
        String[] data = new String[events.size()];
        for (int i = 0; i < events.size(); i++) {
            seqs[i] = first + i;
            turns[i] = events.get(i).turnId();
            types[i] = events.get(i).type();
            data[i] = events.get(i).data().toString();
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement append = connection.prepareStatement(APPEND)) {
                append.setObject(1, session.tenantId());
                append.setObject(2, session.id());
                append.setTimestamp(3, now);
                append.setArray(4, connection.createArrayOf("bigint", seqs));
                append.setArray(5, connection.createArrayOf("uuid", turns));
                append.setArray(6, connection.createArrayOf("text", types));
                append.setArray(7, connection.createArrayOf("text", data));
                append.setString(8, session.tenantId() + ":" + session.id());
                append.executeQuery().close();
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
                return read(query);
            }
        });
    }

    /** The first {@code limit} events of these types, in order (the session's timeline, without its tokens). */
    @Transactional
    List<SessionEvent> ofTypes(UUID sessionId, List<String> types, int limit) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement query = connection.prepareStatement(OF_TYPES)) {
                query.setObject(1, sessionId);
                query.setArray(2, connection.createArrayOf("text", types.toArray()));
                query.setInt(3, limit);
                return read(query);
            }
        });
    }

    private static List<SessionEvent> read(PreparedStatement query) throws SQLException {
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
}
