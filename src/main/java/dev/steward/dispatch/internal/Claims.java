package dev.steward.dispatch.internal;

import dev.steward.quota.api.Admission;
import dev.steward.quota.api.AdmissionControl;
import dev.steward.quota.api.AgentKey;
import dev.steward.quota.api.Constraint;
import dev.steward.quota.api.Verdict;
import dev.steward.shared.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The claimer's statements, on its own connection ({@link QueueConnection}) and in one transaction per call: a claim
 * and its admission (the constraint engine's counters locked and moved with the claim, a job it holds back straight
 * back to waiting, its attempt not spent), and the hand-back of claimed jobs that never started, with what admission
 * gave them refunded.
 */
final class Claims {

    static final String CLAIM = "SELECT " + JobQueries.COLUMNS
            + " FROM dispatch.claim(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String DEFER = "SELECT dispatch.defer(?, ?, ?, ?, ?, ?)";
    static final String RUNNING = "SELECT tenant_id, agent_id, jobs FROM dispatch.running(?)";
    static final String HAND_BACK = "SELECT dispatch.hand_back(?, ?, ?, ?)";

    /**
     * What to claim: up to {@code limit} due jobs of {@code kinds}, of which jobs of kinds other than
     * {@code prefetchKinds} at most {@code otherLimit}; passing over the paused tenants and agents, and taking at most
     * {@code tenantCaps} jobs of the tenants it names.
     */
    record Request(String owner, Collection<String> kinds, Collection<String> prefetchKinds, int limit,
                   int otherLimit, int leaseSeconds, Set<TenantId> pausedTenants, Set<AgentKey> pausedAgents,
                   Map<TenantId, Integer> tenantCaps) {
    }

    /**
     * What a claim hands over: how many jobs it claimed and which of them were admitted (in claim order), how many
     * were held back by which constraint and when the first of those is due again, and the tenants and agents
     * admission found at their concurrency limit, to pass over until {@code recheckAt}.
     */
    record Claim(int claimed, List<JobRow> admitted, Map<Constraint, Integer> deferred, Instant nextDeferredDue,
                 Set<TenantId> saturatedTenants, Set<AgentKey> saturatedAgents, Instant recheckAt) {

        static final Claim NOTHING = new Claim(0, List.of(), Map.of(), null, Set.of(), Set.of(), null);
    }

    private Claims() {
    }

    static Claim claim(Connection connection, AdmissionControl admissionControl, Request request)
            throws SQLException {
        List<JobRow> claimed = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(CLAIM)) {
            statement.setString(1, request.owner());
            statement.setArray(2, connection.createArrayOf("text", request.kinds().toArray()));
            statement.setInt(3, request.limit());
            statement.setInt(4, request.leaseSeconds());
            statement.setArray(5, connection.createArrayOf("uuid",
                    request.pausedTenants().stream().map(TenantId::value).toArray()));
            statement.setArray(6, connection.createArrayOf("text",
                    request.pausedAgents().stream().map(a -> a.tenant() + "/" + a.agent()).toArray()));
            statement.setArray(7, connection.createArrayOf("text", request.prefetchKinds().toArray()));
            statement.setInt(8, request.otherLimit());
            List<TenantId> capped = List.copyOf(request.tenantCaps().keySet());
            statement.setArray(9, connection.createArrayOf("uuid", capped.stream().map(TenantId::value).toArray()));
            statement.setArray(10, connection.createArrayOf("integer",
                    capped.stream().map(request.tenantCaps()::get).toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    claimed.add(JobRow.read(rows));
                }
            }
        }
        if (claimed.isEmpty()) {
            return Claim.NOTHING;
        }
        Admission admission = admissionControl.admit(connection, claimed.stream().map(JobRow::demand).toList(),
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
            defer(connection, request.owner(), heldBack, verdicts.stream().map(Verdict::retryAt).toList(),
                    verdicts.stream().map(v -> v.constraint().wireName()).toList());
        }
        Instant nextDue = verdicts.stream().map(Verdict::retryAt).min(Instant::compareTo).orElse(null);
        return new Claim(claimed.size(), admitted, deferred, nextDue, admission.saturatedTenants(),
                admission.saturatedAgents(), admission.recheckAt());
    }

    /** Claimed jobs that never started go back to waiting, and what admission gave them back to the counters. */
    static int handBack(Connection connection, AdmissionControl admissionControl, String owner,
                        List<JobRow> jobs) throws SQLException {
        int returned;
        try (PreparedStatement statement = connection.prepareStatement(HAND_BACK)) {
            statement.setString(1, owner);
            bindAttempts(connection, statement, 2, jobs);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                returned = row.getInt(1);
            }
        }
        admissionControl.refund(connection, jobs.stream().map(JobRow::demand).toList());
        return returned;
    }

    /** Hands claimed jobs back to waiting until their moment; the attempts are not spent. */
    static void defer(Connection connection, String owner, List<JobRow> jobs, List<Instant> until,
                      List<String> reasons) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(DEFER)) {
            statement.setString(1, owner);
            bindAttempts(connection, statement, 2, jobs);
            statement.setArray(5, connection.createArrayOf("timestamptz",
                    until.stream().map(Timestamp::from).toArray()));
            statement.setArray(6, connection.createArrayOf("text", reasons.toArray()));
            statement.executeQuery().close();
        }
    }

    /** Binds (tenants, ids, attempts) arrays from {@code index} on: which attempts a statement is about. */
    static void bindAttempts(Connection connection, PreparedStatement statement, int index,
                             Collection<JobRow> jobs) throws SQLException {
        statement.setArray(index, connection.createArrayOf("uuid",
                jobs.stream().map(j -> j.tenant().value()).toArray()));
        statement.setArray(index + 1, connection.createArrayOf("bigint", jobs.stream().map(JobRow::id).toArray()));
        statement.setArray(index + 2, connection.createArrayOf("integer",
                jobs.stream().map(JobRow::attempt).toArray()));
    }

    private static List<AdmissionControl.Running> running(Connection connection, Collection<TenantId> tenants) {
        try (PreparedStatement statement = connection.prepareStatement(RUNNING)) {
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
}
