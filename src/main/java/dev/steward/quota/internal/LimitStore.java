package dev.steward.quota.internal;

import dev.steward.quota.api.LimitsChanged;
import dev.steward.shared.CurrentRequest;
import dev.steward.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hibernate.Session;

/**
 * The tenant in scope's limits and counters, under its row-level security like every tenant read and write. A
 * change fires {@link LimitsChanged} in the same transaction.
 */
@ApplicationScoped
class LimitStore {

    private static final String COLUMNS = "coalesce(l.subject, u.subject) AS subject, l.concurrency, l.per_minute,"
            + " l.tokens_per_minute, l.per_day, l.channel_type, l.monthly_budget, l.updated_at, u.request_level,"
            + " u.request_at, u.token_level, u.token_at, u.day, coalesce(u.day_used, 0) AS day_used, u.month,"
            + " coalesce(u.month_spent, 0) AS month_spent";
    private static final String FROM = " FROM quota.limits l FULL JOIN quota.usage u"
            + " ON u.tenant_id = l.tenant_id AND u.subject = l.subject";
    private static final String LIST = "SELECT " + COLUMNS + FROM + " ORDER BY 1";
    private static final String FIND = "SELECT " + COLUMNS + FROM + " WHERE coalesce(l.subject, u.subject) = ?";
    /**
     * A page of the tenant's subjects but its channel accounts, the tenant itself first whether or not it has a row:
     * every subject with limits or counters, each once.
     */
    private static final String PAGE = "WITH s AS (SELECT subject FROM quota.limits UNION SELECT subject"
            + " FROM quota.usage UNION SELECT 'tenant') SELECT s.subject, l.concurrency, l.per_minute,"
            + " l.tokens_per_minute, l.per_day, l.channel_type, l.monthly_budget, l.updated_at, u.request_level,"
            + " u.request_at, u.token_level, u.token_at, u.day, coalesce(u.day_used, 0) AS day_used, u.month,"
            + " coalesce(u.month_spent, 0) AS month_spent FROM s LEFT JOIN quota.limits l ON l.subject = s.subject"
            + " LEFT JOIN quota.usage u ON u.subject = s.subject WHERE s.subject NOT LIKE 'channel:%'"
            + " ORDER BY s.subject <> 'tenant', s.subject OFFSET ? LIMIT ?";
    private static final String INSERT = "INSERT INTO quota.limits (tenant_id, subject, concurrency, per_minute,"
            + " tokens_per_minute, per_day, channel_type, monthly_budget) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (tenant_id, subject) DO UPDATE SET ";
    private static final String DELETE = "DELETE FROM quota.limits WHERE subject = ?";

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Inject
    Event<LimitsChanged> changes;

    /** The limit columns; an update names those it replaces and leaves the others as they are. */
    enum Column {
        CONCURRENCY, PER_MINUTE, TOKENS_PER_MINUTE, PER_DAY, CHANNEL_TYPE, MONTHLY_BUDGET;

        String sql() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A subject's stored limits (nulls where the default applies) and counters. */
    record Stored(Subject subject, Limits limits, Usage usage, Instant updatedAt) {
    }

    @Transactional
    List<Stored> list() {
        return query(LIST, null);
    }

    /** A page of the tenant's subjects other than channel accounts, the tenant first. */
    @Transactional
    List<Stored> page(int offset, int limit) {
        return query(PAGE, null, offset, limit);
    }

    @Transactional
    Optional<Stored> find(Subject subject) {
        return query(FIND, subject.key()).stream().findFirst();
    }

    /**
     * Sets {@code columns} of the subject's limits to those of {@code limits}, in one statement, so that two owners
     * of one subject's limits (the operator and the tenant, for {@code tenant}) never overwrite each other's.
     */
    @Transactional
    void put(Subject subject, Limits limits, Set<Column> columns) {
        TenantId tenant = CurrentRequest.get().requireTenant();
        String sql = INSERT + columns.stream().map(c -> c.sql() + " = excluded." + c.sql())
                .collect(Collectors.joining(", ")) + ", updated_at = now()";
        Limits inserted = new Limits(
                columns.contains(Column.CONCURRENCY) ? limits.concurrency() : null,
                columns.contains(Column.PER_MINUTE) ? limits.perMinute() : null,
                columns.contains(Column.TOKENS_PER_MINUTE) ? limits.tokensPerMinute() : null,
                columns.contains(Column.PER_DAY) ? limits.perDay() : null,
                columns.contains(Column.CHANNEL_TYPE) ? limits.channelType() : null,
                columns.contains(Column.MONTHLY_BUDGET) ? limits.monthlyBudget() : null);
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setObject(1, tenant.value());
                statement.setString(2, subject.key());
                setInteger(statement, 3, inserted.concurrency());
                setInteger(statement, 4, inserted.perMinute());
                setInteger(statement, 5, inserted.tokensPerMinute());
                setInteger(statement, 6, inserted.perDay());
                statement.setString(7, inserted.channelType());
                statement.setBigDecimal(8, inserted.monthlyBudget());
                statement.executeUpdate();
            }
        });
        changes.fire(new LimitsChanged(tenant));
    }

    @Transactional
    boolean delete(Subject subject) {
        int deleted = em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(DELETE)) {
                statement.setString(1, subject.key());
                return statement.executeUpdate();
            }
        });
        if (deleted > 0) {
            changes.fire(new LimitsChanged(CurrentRequest.get().requireTenant()));
        }
        return deleted > 0;
    }

    private List<Stored> query(String sql, String subject) {
        return query(sql, subject, null, null);
    }

    /** Rows of {@code sql}, whose parameters are the subject, or the offset and limit, when given. */
    private List<Stored> query(String sql, String subject, Integer offset, Integer limit) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                if (subject != null) {
                    statement.setString(1, subject);
                }
                if (offset != null) {
                    statement.setInt(1, offset);
                    statement.setInt(2, limit);
                }
                try (ResultSet row = statement.executeQuery()) {
                    List<Stored> result = new ArrayList<>();
                    while (row.next()) {
                        OffsetDateTime updated = row.getObject("updated_at", OffsetDateTime.class);
                        result.add(new Stored(Subject.parse(row.getString("subject")).orElseThrow(),
                                UsageStore.readLimits(row), UsageStore.readUsage(row),
                                updated == null ? null : updated.toInstant()));
                    }
                    return result;
                }
            }
        });
    }

    private static void setInteger(PreparedStatement statement, int index, Integer value)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }
}
