package dev.steward.quota.internal;

import dev.steward.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/** The counters' side of admission: lock and read them with their limits, write back what moved. */
@ApplicationScoped
class UsageStore {

    private static final String LOCK = "SELECT * FROM quota.lock_usage(?, ?)";
    private static final String SAVE = "SELECT quota.save_usage(?, ?, ?, ?, ?, ?, ?, ?)";

    /** The locked rows (as stored: limits without defaults), and the database clock. */
    record Locked(Map<Slot.Key, Limits> limits, Map<Slot.Key, Usage> usage, Instant now) {
    }

    /** Locks the subjects' counters in the connection's transaction, creating those not yet counted. */
    Locked lock(Connection connection, Collection<Slot.Key> keys) throws SQLException {
        Map<Slot.Key, Limits> limits = new LinkedHashMap<>();
        Map<Slot.Key, Usage> usage = new LinkedHashMap<>();
        Instant now = Instant.now();
        try (PreparedStatement statement = connection.prepareStatement(LOCK)) {
            statement.setArray(1, array(connection, "uuid", keys.stream().map(k -> k.tenant().value())));
            statement.setArray(2, array(connection, "text", keys.stream().map(k -> k.subject().key())));
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    Slot.Key key = new Slot.Key(new TenantId(row.getObject("tenant_id", UUID.class)),
                            Subject.parse(row.getString("subject")).orElseThrow());
                    limits.put(key, readLimits(row));
                    usage.put(key, readUsage(row));
                    now = row.getObject("now", OffsetDateTime.class).toInstant();
                }
            }
        }
        return new Locked(limits, usage, now);
    }

    /** Writes back the counters that moved, in the transaction that locked them. */
    void save(Connection connection, Map<Slot.Key, Usage> changed) throws SQLException {
        if (changed.isEmpty()) {
            return;
        }
        List<Slot.Key> keys = new ArrayList<>(changed.keySet());
        List<Usage> rows = keys.stream().map(changed::get).toList();
        try (PreparedStatement statement = connection.prepareStatement(SAVE)) {
            statement.setArray(1, array(connection, "uuid", keys.stream().map(k -> k.tenant().value())));
            statement.setArray(2, array(connection, "text", keys.stream().map(k -> k.subject().key())));
            statement.setArray(3, array(connection, "float8", rows.stream().map(u -> u.requestLevel)));
            statement.setArray(4, array(connection, "timestamptz", rows.stream().map(u -> timestamp(u.requestAt))));
            statement.setArray(5, array(connection, "float8", rows.stream().map(u -> u.tokenLevel)));
            statement.setArray(6, array(connection, "timestamptz", rows.stream().map(u -> timestamp(u.tokenAt))));
            statement.setArray(7, array(connection, "date", rows.stream().map(u -> u.day == null ? null
                    : Date.valueOf(u.day))));
            statement.setArray(8, array(connection, "integer", rows.stream().map(u -> u.dayUsed)));
            statement.execute();
        }
    }

    static Limits readLimits(ResultSet row) throws SQLException {
        return new Limits(integer(row, "concurrency"), integer(row, "per_minute"), integer(row, "tokens_per_minute"),
                integer(row, "per_day"), row.getString("channel_type"), row.getBigDecimal("monthly_budget"));
    }

    static Usage readUsage(ResultSet row) throws SQLException {
        Usage usage = new Usage();
        usage.requestLevel = (Double) row.getObject("request_level");
        usage.requestAt = instant(row, "request_at");
        usage.tokenLevel = (Double) row.getObject("token_level");
        usage.tokenAt = instant(row, "token_at");
        usage.day = row.getObject("day", LocalDate.class);
        usage.dayUsed = row.getInt("day_used");
        usage.month = row.getObject("month", LocalDate.class);
        BigDecimal spent = row.getBigDecimal("month_spent");
        usage.monthSpent = spent == null ? BigDecimal.ZERO : spent;
        return usage;
    }

    private static Integer integer(ResultSet row, String column) throws SQLException {
        int value = row.getInt(column);
        return row.wasNull() ? null : value;
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Array array(Connection connection, String type, Stream<?> values)
            throws SQLException {
        return connection.createArrayOf(type, values.toArray());
    }
}
