package dev.steward.billing.internal;

import dev.steward.billing.api.UsageEvent;
import dev.steward.billing.api.UsageMeter;
import dev.steward.shared.CurrentRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.Session;

/** The tenant in scope's usage events, under its row-level security. */
@ApplicationScoped
class UsageStore implements UsageMeter {

    private static final String FILTERS = " WHERE (?::text IS NULL OR model = ?::text)"
            + " AND (?::uuid IS NULL OR agent_id = ?::uuid) AND (?::text IS NULL OR session_id = ?::text)"
            + " AND (?::timestamptz IS NULL OR occurred_at >= ?::timestamptz)"
            + " AND (?::timestamptz IS NULL OR occurred_at < ?::timestamptz)";

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    /** Filters of a usage query; each applies when not null. */
    record Filter(String model, UUID agent, String session, Instant from, Instant to, int limit) {
    }

    @Override
    @Transactional
    public void record(UsageEvent event) {
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO billing.usage_events"
                    + " (tenant_id, model, provider, agent_id, agent_version, session_id, input_tokens,"
                    + " output_tokens, cached_tokens, latency_ms, cost, outcome)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setObject(1, CurrentRequest.get().requireTenant().value());
                insert.setString(2, event.model());
                insert.setString(3, event.provider());
                insert.setObject(4, event.agentId());
                insert.setObject(5, event.agentVersion(), Types.INTEGER);
                insert.setString(6, event.sessionId());
                insert.setInt(7, event.inputTokens());
                insert.setInt(8, event.outputTokens());
                insert.setInt(9, event.cachedTokens());
                insert.setLong(10, Math.min(event.latencyMillis(), Integer.MAX_VALUE));
                insert.setBigDecimal(11, event.cost());
                insert.setString(12, event.succeeded() ? "ok" : "failed");
                insert.executeUpdate();
            }
        });
    }

    @Transactional
    UsageView query(Filter filter) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            List<UsageView.Event> events = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT id, occurred_at, model, provider,"
                    + " agent_id, agent_version, session_id, input_tokens, output_tokens, cached_tokens, latency_ms,"
                    + " cost, outcome FROM billing.usage_events" + FILTERS + " ORDER BY occurred_at DESC, id DESC"
                    + " LIMIT ?")) {
                int next = bind(query, filter);
                query.setInt(next, filter.limit());
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        events.add(new UsageView.Event(String.valueOf(row.getLong("id")),
                                row.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                                row.getString("model"), row.getString("provider"),
                                row.getObject("agent_id", UUID.class), (Integer) row.getObject("agent_version"),
                                row.getString("session_id"), row.getInt("input_tokens"), row.getInt("output_tokens"),
                                row.getInt("cached_tokens"), row.getInt("latency_ms"), row.getBigDecimal("cost"),
                                row.getString("outcome")));
                    }
                }
            }
            try (PreparedStatement totals = connection.prepareStatement("SELECT count(*), coalesce(sum(input_tokens),"
                    + " 0), coalesce(sum(output_tokens), 0), coalesce(sum(cached_tokens), 0), coalesce(sum(cost), 0)"
                    + " FROM billing.usage_events" + FILTERS)) {
                bind(totals, filter);
                try (ResultSet row = totals.executeQuery()) {
                    row.next();
                    return new UsageView(events, new UsageView.Totals(row.getLong(1), row.getLong(2), row.getLong(3),
                            row.getLong(4), row.getBigDecimal(5)));
                }
            }
        });
    }

    private static int bind(PreparedStatement statement, Filter filter) throws SQLException {
        statement.setString(1, filter.model());
        statement.setString(2, filter.model());
        statement.setObject(3, filter.agent());
        statement.setObject(4, filter.agent());
        statement.setString(5, filter.session());
        statement.setString(6, filter.session());
        Timestamp from = filter.from() == null ? null : Timestamp.from(filter.from());
        Timestamp to = filter.to() == null ? null : Timestamp.from(filter.to());
        statement.setTimestamp(7, from);
        statement.setTimestamp(8, from);
        statement.setTimestamp(9, to);
        statement.setTimestamp(10, to);
        return 11;
    }
}
