package dev.steward.dispatch.internal;

import dev.steward.dispatch.api.JobState;
import dev.steward.dispatch.api.Priority;
import dev.steward.quota.api.Admission;
import dev.steward.quota.api.AdmissionControl;
import dev.steward.quota.api.AgentKey;
import dev.steward.quota.api.Constraint;
import dev.steward.quota.api.Verdict;
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
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    AdmissionControl admissionControl;

    record Submitted(JobRow job, boolean created) {
    }

    /** A job to insert; {@code agent} may be null, {@code runAt} null for now. */
    record Submission(String kind, Priority priority, String payloadJson, Instant runAt, int maxAttempts,
                      String idempotencyKey, UUID agent, List<String> resources, int tokens) {
    }

    /**
     * What a cycle hands over: how many of the finished jobs it recorded, how many jobs it claimed and which of
     * them were admitted (in claim order), how many were held back by which constraint and when the first of those
     * is due again, and the tenants and agents admission found at their concurrency limit, to pass over until
     * {@code recheckAt}.
     */
    record Claim(int completed, int claimed, List<JobRow> admitted, Map<Constraint, Integer> deferred,
                 Instant nextDeferredDue, Set<TenantId> saturatedTenants, Set<AgentKey> saturatedAgents,
                 Instant recheckAt) {

        static final Claim NOTHING = nothing(0);

        static Claim nothing(int completed) {
            return new Claim(completed, 0, List.of(), Map.of(), null, Set.of(), Set.of(), null);
        }
    }

    /** Inserts a job for the tenant in scope, or returns the one an earlier submit with the same key made. */
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
                return new Submitted(inserted.get(), true);
            }
            return new Submitted(first(connection, JobQueries.FIND_BY_IDEMPOTENCY_KEY,
                    statement -> statement.setString(1, job.idempotencyKey())).orElseThrow(), false);
        });
    }

    /**
     * Inserts jobs for the tenant in scope with one statement, then finds the first jobs of the keys used before
     * with one more: one outcome per job, in order. A job whose key was used before, by an earlier submit or an
     * earlier job of the list, answers with the first job of that key, not created.
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

    /**
     * Records the owner's finished jobs, claims due jobs and has them admitted, in one transaction: the constraint
     * engine's counters are locked and moved with the claim, and a job it holds back goes straight back to waiting,
     * its attempt not spent.
     */
    @Transactional
    Claim claim(String owner, Collection<JobRow> finished, Collection<String> kinds, int limit, int leaseSeconds,
                Set<TenantId> pausedTenants, Set<AgentKey> pausedAgents) {
        return work(connection -> {
            int completed = finished.isEmpty() ? 0 : completeMany(connection, owner, finished);
            if (limit == 0) {
                return Claim.nothing(completed);
            }
            List<JobRow> claimed = all(connection, JobQueries.CLAIM, statement -> {
                statement.setString(1, owner);
                statement.setArray(2, connection.createArrayOf("text", kinds.toArray()));
                statement.setInt(3, limit);
                statement.setInt(4, leaseSeconds);
                statement.setArray(5, connection.createArrayOf("uuid",
                        pausedTenants.stream().map(TenantId::value).toArray()));
                statement.setArray(6, connection.createArrayOf("text",
                        pausedAgents.stream().map(a -> a.tenant() + "/" + a.agent()).toArray()));
            });
            if (claimed.isEmpty()) {
                return Claim.nothing(completed);
            }
            Admission admission = admissionControl.admit(claimed.stream().map(JobRow::demand).toList(),
                    tenants -> running(connection, tenants));
            List<JobRow> admitted = new ArrayList<>();
            List<JobRow> heldBack = new ArrayList<>();
            List<Verdict> verdicts = new ArrayList<>();
            Map<Constraint, Integer> deferred = new EnumMap<>(Constraint.class);
            for (int i = 0; i < claimed.size(); i++) {
                Verdict verdict = admission.verdicts().get(i);
                if (verdict.admitted()) {
                    admitted.add(claimed.get(i));
                } else {
                    heldBack.add(claimed.get(i));
                    verdicts.add(verdict);
                    deferred.merge(verdict.constraint(), 1, Integer::sum);
                }
            }
            if (!heldBack.isEmpty()) {
                defer(connection, owner, heldBack, verdicts.stream().map(Verdict::retryAt).toList(),
                        verdicts.stream().map(v -> v.constraint().wireName()).toList());
            }
            Instant nextDue = verdicts.stream().map(Verdict::retryAt).min(Instant::compareTo).orElse(null);
            return new Claim(completed, claimed.size(), admitted, deferred, nextDue, admission.saturatedTenants(),
                    admission.saturatedAgents(), admission.recheckAt());
        });
    }

    /** Hands back an attempt whose handler found a dependency unavailable: waiting until {@code until}. */
    @Transactional
    void defer(String owner, JobRow job, Instant until, String reason) {
        work(connection -> {
            defer(connection, owner, List.of(job), List.of(until), List.of(reason));
            return null;
        });
    }

    private static void defer(Connection connection, String owner, List<JobRow> jobs, List<Instant> until,
                              List<String> reasons) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(JobQueries.DEFER)) {
            statement.setString(1, owner);
            bindAttempts(connection, statement, 2, jobs);
            statement.setArray(5, connection.createArrayOf("timestamptz",
                    until.stream().map(Timestamp::from).toArray()));
            statement.setArray(6, connection.createArrayOf("text", reasons.toArray()));
            statement.executeQuery().close();
        }
    }

    private static List<AdmissionControl.Running> running(Connection connection, Collection<TenantId> tenants) {
        try (PreparedStatement statement = connection.prepareStatement(JobQueries.RUNNING)) {
            statement.setArray(1, connection.createArrayOf("uuid", tenants.stream().map(TenantId::value).toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                List<AdmissionControl.Running> counts = new ArrayList<>();
                while (rows.next()) {
                    counts.add(new AdmissionControl.Running(new TenantId(rows.getObject(1, UUID.class)),
                            rows.getObject(2, UUID.class), rows.getLong(3)));
                }
                return counts;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not count running jobs", e);
        }
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

    /** Records attempts done; returns how many were still this owner's. */
    @Transactional
    int completeMany(String owner, Collection<JobRow> jobs) {
        return work(connection -> completeMany(connection, owner, jobs));
    }

    private static int completeMany(Connection connection, String owner, Collection<JobRow> jobs)
            throws SQLException {
        return single(connection, JobQueries.COMPLETE_MANY, statement -> {
            statement.setString(1, owner);
            bindAttempts(connection, statement, 2, jobs);
        }, row -> row.getInt(1));
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
        statement.setArray(index, connection.createArrayOf("uuid",
                jobs.stream().map(j -> j.tenant().value()).toArray()));
        statement.setArray(index + 1, connection.createArrayOf("bigint", jobs.stream().map(JobRow::id).toArray()));
        statement.setArray(index + 2, connection.createArrayOf("integer",
                jobs.stream().map(JobRow::attempt).toArray()));
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
