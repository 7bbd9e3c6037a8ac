package dev.steward.audit.internal;

import dev.steward.audit.api.AuditEntry;
import dev.steward.audit.api.AuditTrail;
import dev.steward.shared.CurrentRequest;
import dev.steward.shared.RequestContext;
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
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.hibernate.Session;

/** The tenant in scope's trail: appends (hashed by the database) and reads, under its row-level security. */
@ApplicationScoped
class AuditStore implements AuditTrail {

    private static final String HEAD = "INSERT INTO audit.chains (tenant_id, last_seq, last_hash)"
            + " VALUES (?, 0, ''::bytea) ON CONFLICT (tenant_id) DO NOTHING";
    /** Locks the head, numbers and hashes the entry after it, and moves the head: one statement. */
    private static final String APPEND = "WITH head AS (SELECT last_seq, last_hash FROM audit.chains"
            + " WHERE tenant_id = ? FOR UPDATE),"
            + " entry AS (SELECT ROW(?::uuid, h.last_seq + 1, ?::timestamptz, ?::text, ?::text, ?::uuid, ?::uuid,"
            + " ?::uuid, ?::text, ?::jsonb, h.last_hash, NULL::bytea)::audit.entries AS e FROM head h),"
            + " appended AS (INSERT INTO audit.entries SELECT (x.e).tenant_id, (x.e).seq, (x.e).occurred_at,"
            + " (x.e).actor, (x.e).action, (x.e).agent_id, (x.e).session_id, (x.e).run_id, (x.e).record_id,"
            + " (x.e).details, (x.e).prev_hash, sha256((x.e).prev_hash || audit.canonical(x.e)) FROM entry x"
            + " RETURNING seq, hash)"
            + " UPDATE audit.chains c SET last_seq = a.seq, last_hash = a.hash FROM appended a WHERE c.tenant_id = ?";
    private static final String QUERY = "SELECT seq, occurred_at, actor, action, agent_id, session_id, run_id,"
            + " record_id, details::text AS details, hash FROM audit.entries"
            + " WHERE (?::text IS NULL OR action = ?::text) AND (?::text IS NULL OR actor = ?::text)"
            + " AND (?::uuid IS NULL OR agent_id = ?::uuid) AND (?::uuid IS NULL OR session_id = ?::uuid)"
            + " AND (?::uuid IS NULL OR run_id = ?::uuid) AND (?::text IS NULL OR record_id = ?::text)"
            + " AND (?::timestamptz IS NULL OR occurred_at >= ?::timestamptz)"
            + " AND (?::timestamptz IS NULL OR occurred_at < ?::timestamptz)"
            + " AND (?::bigint IS NULL OR seq < ?::bigint) ORDER BY seq DESC LIMIT ? OFFSET ?";
    /**
     * A stretch of the chain after a given entry: each entry's content against its hash, its link against the
     * hash before it (the stretch's first against the last one walked), its number against its place.
     */
    private static final String STRETCH = "SELECT seq, hash, sha256(prev_hash || audit.canonical(e)) = hash AS content_ok,"
            + " prev_hash = lag(hash, 1, ?::bytea) OVER (ORDER BY seq) AS link_ok,"
            + " seq = ?::bigint + row_number() OVER (ORDER BY seq) AS in_place"
            + " FROM audit.entries e WHERE seq > ? ORDER BY seq LIMIT ?";
    private static final String TAIL = "SELECT (SELECT count(*) FROM audit.entries) AS entries,"
            + " (SELECT hash FROM audit.entries ORDER BY seq DESC LIMIT 1) AS last_hash,"
            + " (SELECT max(seq) FROM audit.entries) AS last_seq,"
            + " (SELECT last_seq FROM audit.chains) AS head_seq, (SELECT last_hash FROM audit.chains) AS head_hash";

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    /** Filters of a query; each applies when not null. */
    record Filter(String action, String actor, UUID agent, UUID session, UUID run, String record, Instant from,
                  Instant to, Long before, int limit, int offset) {

        Filter(String action, String actor, UUID agent, UUID session, UUID run, String record, Instant from,
               Instant to, Long before, int limit) {
            this(action, actor, agent, session, run, record, from, to, before, limit, 0);
        }
    }

    /** One entry of a stretch as checked: whether its content, its link and its number hold. */
    record Checked(long seq, byte[] hash, boolean contentOk, boolean linkOk, boolean inPlace) {
    }

    /** The trail's end as one statement saw it: its size, last entry, and the chain's head. */
    record Tail(long entries, Long lastSeq, byte[] lastHash, Long headSeq, byte[] headHash) {
    }

    @Override
    @Transactional(Transactional.TxType.REQUIRED)
    public void record(AuditEntry entry) {
        RequestContext context = CurrentRequest.get();
        UUID tenant = context.requireTenant().value();
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement head = connection.prepareStatement(HEAD)) {
                head.setObject(1, tenant);
                head.executeUpdate();
            }
            try (PreparedStatement append = connection.prepareStatement(APPEND)) {
                append.setObject(1, tenant);
                append.setObject(2, tenant);
                append.setTimestamp(3, Timestamp.from(Instant.now()));
                append.setString(4, context.principal().tag());
                append.setString(5, entry.action());
                append.setObject(6, entry.agentId());
                append.setObject(7, entry.sessionId());
                append.setObject(8, entry.runId());
                append.setString(9, entry.recordId());
                append.setString(10, entry.details() == null ? "{}" : entry.details().toString());
                append.setObject(11, tenant);
                append.executeUpdate();
            }
        });
    }

    @Transactional
    List<AuditViews.Entry> query(Filter filter) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement query = connection.prepareStatement(QUERY)) {
                int i = 1;
                i = pair(query, i, filter.action());
                i = pair(query, i, filter.actor());
                i = pair(query, i, filter.agent());
                i = pair(query, i, filter.session());
                i = pair(query, i, filter.run());
                i = pair(query, i, filter.record());
                i = pair(query, i, filter.from() == null ? null : OffsetDateTime.ofInstant(filter.from(),
                        java.time.ZoneOffset.UTC));
                i = pair(query, i, filter.to() == null ? null : OffsetDateTime.ofInstant(filter.to(),
                        java.time.ZoneOffset.UTC));
                i = pair(query, i, filter.before());
                query.setInt(i, filter.limit());
                query.setInt(i + 1, filter.offset());
                List<AuditViews.Entry> entries = new ArrayList<>();
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        entries.add(entry(row));
                    }
                }
                return entries;
            }
        });
    }

    /** Up to {@code limit} entries after {@code afterSeq}, checked; {@code walked} entries were read before them. */
    @Transactional
    List<Checked> stretch(long afterSeq, byte[] previousHash, long walked, int limit) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement stretch = connection.prepareStatement(STRETCH)) {
                stretch.setBytes(1, previousHash);
                stretch.setLong(2, walked);
                stretch.setLong(3, afterSeq);
                stretch.setInt(4, limit);
                List<Checked> checked = new ArrayList<>();
                try (ResultSet row = stretch.executeQuery()) {
                    while (row.next()) {
                        checked.add(new Checked(row.getLong("seq"), row.getBytes("hash"),
                                row.getBoolean("content_ok"), row.getBoolean("link_ok"), row.getBoolean("in_place")));
                    }
                }
                return checked;
            }
        });
    }

    @Transactional
    Tail tail() {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement tail = connection.prepareStatement(TAIL); ResultSet row = tail.executeQuery()) {
                row.next();
                return new Tail(row.getLong("entries"), row.getObject("last_seq", Long.class),
                        row.getBytes("last_hash"), row.getObject("head_seq", Long.class), row.getBytes("head_hash"));
            }
        });
    }

    private static int pair(PreparedStatement statement, int index, Object value) throws SQLException {
        statement.setObject(index, value);
        statement.setObject(index + 1, value);
        return index + 2;
    }

    private static AuditViews.Entry entry(ResultSet row) throws SQLException {
        try (JsonReader details = Json.createReader(new StringReader(row.getString("details")))) {
            return new AuditViews.Entry(row.getLong("seq"), row.getObject("occurred_at", OffsetDateTime.class)
                    .toInstant(), row.getString("actor"), row.getString("action"), text(row, "agent_id"),
                    text(row, "session_id"), text(row, "run_id"), row.getString("record_id"), details.readObject(),
                    HexFormat.of().formatHex(row.getBytes("hash")));
        }
    }

    private static String text(ResultSet row, String column) throws SQLException {
        Object value = row.getObject(column);
        return value == null ? null : value.toString();
    }
}
