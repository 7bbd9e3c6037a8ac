package dev.steward.dispatch.internal;

import dev.steward.dispatch.api.JobState;
import dev.steward.dispatch.api.Priority;
import dev.steward.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.Session;

/**
 * The queue's reads and writes, in plain JDBC on Hibernate's connection, so every statement runs in a transaction
 * bound to the current tenant (or, for the worker functions, to none) like all other data access.
 */
@ApplicationScoped
class JobStore {

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    record Submitted(JobRow job, boolean created) {
    }

    /** Inserts a job for the tenant in scope, or returns the one an earlier submit with the same key made. */
    @Transactional
    Submitted submit(TenantId tenant, String kind, Priority priority, String payloadJson, Instant runAt,
                     int maxAttempts, String idempotencyKey) {
        return work(connection -> {
            Optional<JobRow> inserted = first(connection, JobQueries.INSERT, statement -> {
                statement.setObject(1, tenant.value());
                statement.setString(2, kind);
                statement.setInt(3, priority.level());
                statement.setString(4, payloadJson);
                setInstant(statement, 5, runAt);
                statement.setInt(6, maxAttempts);
                setInstant(statement, 7, runAt);
                statement.setString(8, idempotencyKey);
            });
            if (inserted.isPresent()) {
                return new Submitted(inserted.get(), true);
            }
            return new Submitted(first(connection, JobQueries.FIND_BY_IDEMPOTENCY_KEY,
                    statement -> statement.setString(1, idempotencyKey)).orElseThrow(), false);
        });
    }

    @Transactional
    Optional<JobRow> find(long id) {
        return work(connection -> first(connection, JobQueries.FIND, statement -> statement.setLong(1, id)));
    }

    @Transactional
    List<JobRow> list(JobState state, String kind, Priority priority, Long beforeId, int limit) {
        return work(connection -> all(connection, JobQueries.LIST, statement -> {
            String stateName = state == null ? null : state.wireName();
            statement.setString(1, stateName);
            statement.setString(2, stateName);
            statement.setString(3, kind);
            statement.setString(4, kind);
            setInteger(statement, 5, priority == null ? null : priority.level());
            setInteger(statement, 6, priority == null ? null : priority.level());
            setLong(statement, 7, beforeId);
            setLong(statement, 8, beforeId);
            statement.setInt(9, limit);
        }));
    }

    /** Applies one of the single-job transitions ({@link JobQueries#CANCEL} and the dead-letter ones). */
    @Transactional
    Optional<JobRow> transition(String query, long id) {
        return work(connection -> first(connection, query, statement -> statement.setLong(1, id)));
    }

    @Transactional
    List<JobRow> claim(String owner, Collection<String> kinds, int limit, int leaseSeconds) {
        return work(connection -> all(connection, JobQueries.CLAIM, statement -> {
            statement.setString(1, owner);
            statement.setArray(2, connection.createArrayOf("text", kinds.toArray()));
            statement.setInt(3, limit);
            statement.setInt(4, leaseSeconds);
        }));
    }

    /** Records attempts done; returns how many were still this owner's. */
    @Transactional
    int completeMany(String owner, Collection<JobRow> jobs) {
        return work(connection -> single(connection, JobQueries.COMPLETE_MANY, statement -> {
            statement.setString(1, owner);
            bindAttempts(connection, statement, 2, jobs);
        }, row -> row.getInt(1)));
    }

    /** Records a failed attempt; {@code retryAt} null means permanent. Returns the new state, if still ours. */
    @Transactional
    Optional<String> fail(String owner, JobRow job, String error, Instant retryAt) {
        return Optional.ofNullable(work(connection -> single(connection, JobQueries.FAIL, statement -> {
            statement.setString(1, owner);
            statement.setObject(2, job.tenant().value());
            statement.setLong(3, job.id());
            statement.setInt(4, job.attempt());
            statement.setString(5, error);
            setInstant(statement, 6, retryAt);
        }, row -> row.getString(1))));
    }

    @Transactional
    int rescueExpired(int limit) {
        return work(connection -> single(connection, JobQueries.RESCUE_EXPIRED,
                statement -> statement.setInt(1, limit), row -> row.getInt(1)));
    }

    @Transactional
    int heartbeat(String owner, Collection<JobRow> jobs, int leaseSeconds) {
        return work(connection -> single(connection, JobQueries.HEARTBEAT, statement -> {
            statement.setString(1, owner);
            bindAttempts(connection, statement, 2, jobs);
            statement.setInt(5, leaseSeconds);
        }, row -> row.getInt(1)));
    }

    /** Binds (tenants, ids, attempts) arrays from {@code index} on: which attempts an outcome or heartbeat is for. */
    private static void bindAttempts(Connection connection, PreparedStatement statement, int index,
                                     Collection<JobRow> jobs) throws SQLException {
        statement.setArray(index, connection.createArrayOf("uuid", jobs.stream().map(j -> j.tenant().value()).toArray()));
        statement.setArray(index + 1, connection.createArrayOf("bigint", jobs.stream().map(JobRow::id).toArray()));
        statement.setArray(index + 2, connection.createArrayOf("integer", jobs.stream().map(JobRow::attempt).toArray()));
    }

    @Transactional
    int pruneFinished(int keepHours, int limit) {
        return work(connection -> single(connection, JobQueries.PRUNE_FINISHED, statement -> {
            statement.setInt(1, keepHours);
            statement.setInt(2, limit);
        }, row -> row.getInt(1)));
    }

    /** Unfinished jobs across tenants by tier and state: {@code depth.get(priority).get(state)}. */
    @Transactional
    Map<Priority, Map<JobState, Long>> depth() {
        return work(connection -> {
            Map<Priority, Map<JobState, Long>> depth = new EnumMap<>(Priority.class);
            try (PreparedStatement statement = connection.prepareStatement(JobQueries.DEPTH);
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    depth.computeIfAbsent(Priority.ofLevel(rows.getInt(1)), p -> new EnumMap<>(JobState.class))
                            .put(JobState.fromWire(rows.getString(2)), rows.getLong(3));
                }
            }
            return depth;
        });
    }

    private <T> T work(SqlWork<T> work) {
        return em.unwrap(Session.class).doReturningWork(work::run);
    }

    private static Optional<JobRow> first(Connection connection, String query, Binder binder) throws SQLException {
        List<JobRow> rows = all(connection, query, binder);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static List<JobRow> all(Connection connection, String query, Binder binder) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            binder.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                List<JobRow> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(JobRow.read(rows));
                }
                return result;
            }
        }
    }

    private static <T> T single(Connection connection, String query, Binder binder, RowReader<T> reader)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            binder.bind(statement);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return reader.read(row);
            }
        }
    }

    private static void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, value.atOffset(ZoneOffset.UTC));
        }
    }

    private static void setInteger(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.SMALLINT);
        } else {
            statement.setInt(index, value);
        }
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }
}
