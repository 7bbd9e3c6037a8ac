package dev.steward.dispatch.internal;

import dev.steward.dispatch.api.JobState;
import dev.steward.dispatch.api.Priority;
import dev.steward.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
import java.util.UUID;
import org.hibernate.Session;

/**
 * The queue's reads and writes, in plain JDBC on Hibernate's connection, so every statement runs in a transaction
 * bound to the current tenant (or, for the worker functions, to none) like all other data access.
 */
@ApplicationScoped
class JobStore {

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Inject
    JobAnnouncer announcer;

    record Submitted(JobRow job, boolean created) {
    }

    /** A job to insert; {@code agent} may be null, {@code runAt} null for now. */
    record Submission(String kind, Priority priority, String payloadJson, Instant runAt, int maxAttempts,
                      String idempotencyKey, UUID agent, List<String> resources, int tokens) {
    }

    /**
     * Inserts a job for the tenant in scope, or returns the one an earlier submit with the same key made. A new job
     * is announced to the dispatchers once the transaction commits.
     */
    @Transactional
    Submitted submit(TenantId tenant, Submission job) {
        return work(connection -> {
            Optional<JobRow> inserted = first(connection, JobQueries.INSERT, statement -> {
                statement.setObject(1, tenant.value());
                statement.setString(2, job.kind());
                statement.setInt(3, job.priority().level());
                statement.setString(4, job.payloadJson());
                setInstant(statement, 5, job.runAt());
                statement.setInt(6, job.maxAttempts());
                setInstant(statement, 7, job.runAt());
                statement.setString(8, job.idempotencyKey());
                statement.setObject(9, job.agent());
                statement.setArray(10, connection.createArrayOf("text", job.resources().toArray()));
                statement.setInt(11, job.tokens());
            });
            if (inserted.isPresent()) {
                announcer.arrived(job.priority(), job.runAt());
                return new Submitted(inserted.get(), true);
            }
            return new Submitted(first(connection, JobQueries.FIND_BY_IDEMPOTENCY_KEY,
                    statement -> statement.setString(1, job.idempotencyKey())).orElseThrow(), false);
        });
    }

    /**
     * Inserts jobs for the tenant in scope with one statement, then finds the first jobs of the keys used before
     * with one more: one outcome per job, in order. A job whose key was used before, by an earlier submit or an
     * earlier job of the list, answers with the first job of that key, not created. New jobs are announced to the
     * dispatchers once the transaction commits.
     */
    @Transactional
    List<Submitted> submitAll(TenantId tenant, List<Submission> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        JobBatch batch = new JobBatch(jobs);
        return work(connection -> {
            List<JobRow> inserted = all(connection, JobQueries.INSERT_MANY,
                    statement -> batch.bindInsert(connection, statement, tenant));
            inserted.forEach(job -> announcer.arrived(job.priority(), job.runAt()));
            List<String> conflicted = batch.conflicted(inserted);
            List<JobRow> earlier = conflicted.isEmpty() ? List.of() : all(connection,
                    JobQueries.FIND_BY_IDEMPOTENCY_KEYS,
                    statement -> statement.setArray(1, connection.createArrayOf("text", conflicted.toArray())));
            return batch.resolve(inserted, earlier);
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

    /** Serialises the creation of the housekeeping timer across nodes, until the caller's transaction ends. */
    @Transactional(Transactional.TxType.MANDATORY)
    void lockHousekeepingSchedule() {
        work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(JobQueries.LOCK_HOUSEKEEPING_SCHEDULE)) {
                statement.executeQuery().close();
            }
            return null;
        });
    }

    /** Puts the tenant in scope's jobs that limits held back back in line; returns how many. */
    @Transactional
    int releaseDeferred() {
        return work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(JobQueries.RELEASE_DEFERRED)) {
                return statement.executeUpdate();
            }
        });
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
            Claims.bindAttempts(connection, statement, 2, jobs);
            statement.setInt(5, leaseSeconds);
        }, row -> row.getInt(1)));
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
