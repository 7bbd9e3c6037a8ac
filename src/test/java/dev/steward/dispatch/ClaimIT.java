package dev.steward.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steward.testing.Api;
import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.StewardServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The claim ({@code dispatch.claim}) on the real database, called as Steward's workers call it: the application
 * role with a system principal. Each test uses job kinds of its own, which the running node's dispatcher does not
 * handle, so only the test claims them.
 */
@ExtendWith(StewardServer.class)
class ClaimIT {

    record Claimed(long id, String tenant, int priority, int attempt) {
    }

    @Test
    void p0GoesFirstAndLowerTiersShareTheRestByWeight() throws Exception {
        Api.TestTenant tenant = Api.newTenant("prio");
        insert(tenant.id(), "test.prio", 3, 50);
        insert(tenant.id(), "test.prio", 2, 50);
        insert(tenant.id(), "test.prio", 1, 50);
        insert(tenant.id(), "test.prio", 0, 5);
        List<Claimed> batch = claim("test.prio", 25, 60);
        assertEquals(25, batch.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(0, batch.get(i).priority(), "P0 first: " + batch);
        }
        Map<Integer, Integer> perTier = countBy(batch.subList(5, 25));
        assertTrue(perTier.getOrDefault(3, 0) >= 1, "P3 is not starved: " + perTier);
        assertTrue(perTier.get(1) > perTier.get(2) && perTier.get(2) > perTier.getOrDefault(3, 0), perTier.toString());
    }

    @Test
    void aTierWithManyTenantsDoesNotOutweighAHigherTier() throws Exception {
        Api.TestTenant urgent = Api.newTenant("tier-p1");
        insert(urgent.id(), "test.tiers", 1, 50);
        for (int i = 0; i < 5; i++) {
            insert(Api.newTenant("tier-p3-" + i).id(), "test.tiers", 3, 50);
        }
        Map<Integer, Integer> perTier = countBy(claim("test.tiers", 21, 60));
        // Weights 6:1 between the tiers, however many tenants each holds: about 18 and 3 of 21.
        assertTrue(perTier.get(1) >= 15 && perTier.get(3) >= 1, perTier.toString());
    }

    @Test
    void tenantsTakeTurnsEvenAgainstANoisyNeighbour() throws Exception {
        Api.TestTenant noisy = Api.newTenant("noisy");
        Api.TestTenant quiet = Api.newTenant("quiet");
        insert(noisy.id(), "test.fair", 2, 900);   // older, and nine times as many
        insert(quiet.id(), "test.fair", 2, 100);
        List<Claimed> batch = claim("test.fair", 20, 60);
        long quietShare = batch.stream().filter(c -> c.tenant().equals(quiet.id())).count();
        assertEquals(10, quietShare, "round-robin: half of the batch for each tenant with work");
        // The next batch starts with whoever was served least recently; both keep alternating.
        List<Claimed> next = claim("test.fair", 20, 60);
        assertEquals(10, next.stream().filter(c -> c.tenant().equals(quiet.id())).count());
    }

    @Test
    void concurrentClaimersNeverTakeTheSameJob() throws Exception {
        Api.TestTenant first = Api.newTenant("race-1");
        Api.TestTenant second = Api.newTenant("race-2");
        insert(first.id(), "test.race", 2, 300);
        insert(second.id(), "test.race", 1, 300);
        ConcurrentLinkedQueue<Long> taken = new ConcurrentLinkedQueue<>();
        ExecutorService claimers = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            done.add(claimers.submit(() -> {
                List<Claimed> batch;
                do {
                    batch = claim("test.race", 25, 60);
                    batch.forEach(c -> taken.add(c.id()));
                } while (!batch.isEmpty());
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        claimers.shutdown();
        assertEquals(600, taken.size(), "every job claimed");
        assertEquals(600, new HashSet<>(taken).size(), "no job claimed twice");
    }

    @Test
    void aJobWhoseLeaseExpiredComesBackForAnotherAttempt() throws Exception {
        Api.TestTenant tenant = Api.newTenant("rescue");
        insert(tenant.id(), "test.rescue", 2, 1);
        Claimed first = claim("test.rescue", 10, 1).get(0);
        assertEquals(1, first.attempt());
        assertEquals(List.of(), claim("test.rescue", 10, 1), "running jobs are not claimable");
        Thread.sleep(1500);
        try (Connection app = worker()) {
            try (Statement sql = app.createStatement(); ResultSet rescued = sql.executeQuery(
                    "SELECT dispatch.rescue_expired(100)")) {
                rescued.next(); // the housekeeping timer may have rescued it already: the claim below tells
            }
            app.commit();
        }
        Claimed again = claim("test.rescue", 10, 60).get(0);
        assertEquals(first.id(), again.id());
        assertEquals(2, again.attempt());
    }

    @Test
    void failedAttemptsBackOffUntilTheirAttemptsRunOutThenDeadLetter() throws Exception {
        Api.TestTenant tenant = Api.newTenant("fail");
        asSuperuser("INSERT INTO dispatch.jobs (tenant_id, kind, state, max_attempts) VALUES ('" + tenant.id()
                    + "', 'test.fail', 'available', 2)");
        Claimed first = claim("test.fail", 1, 60).get(0);
        assertEquals("retryable", fail(first, "boom", "now() + interval '1 hour'"));
        assertEquals(List.of(), claim("test.fail", 1, 60), "not before its backoff has passed");
        asSuperuser("UPDATE dispatch.jobs SET run_at = now() WHERE id = " + first.id());
        Claimed second = claim("test.fail", 1, 60).get(0);
        assertEquals(2, second.attempt());
        assertEquals("failed", fail(second, "boom again", "now() + interval '1 hour'"), "attempts exhausted");
        assertEquals(null, fail(second, "late", "NULL"), "only the lease owner of a running job records outcomes");
        assertEquals(null, fail(first, "stale", "NULL"), "an earlier attempt cannot touch the job");
    }

    @Test
    void aPermanentFailureDeadLettersAtOnce() throws Exception {
        Api.TestTenant tenant = Api.newTenant("permanent");
        asSuperuser("INSERT INTO dispatch.jobs (tenant_id, kind, state) VALUES ('" + tenant.id()
                    + "', 'test.permanent', 'available')");
        assertEquals("failed", fail(claim("test.permanent", 1, 60).get(0), "refused", "NULL"));
    }

    private static String fail(Claimed job, String error, String retryAtSql) throws SQLException {
        try (Connection app = worker(); Statement sql = app.createStatement();
             ResultSet state = sql.executeQuery("SELECT dispatch.fail('test-worker', '" + job.tenant() + "', "
                     + job.id() + ", " + job.attempt() + ", '" + error + "', " + retryAtSql + ")")) {
            state.next();
            String result = state.getString(1);
            app.commit();
            return result;
        }
    }

    @Test
    void finishedJobsArePrunedAfterRetentionAndDeadLettersStay() throws Exception {
        Api.TestTenant tenant = Api.newTenant("prune");
        asSuperuser("INSERT INTO dispatch.jobs (tenant_id, kind, state, finished_at) VALUES"
                    + " ('" + tenant.id() + "', 'test.prune', 'completed', now() - interval '100 hours'),"
                    + " ('" + tenant.id() + "', 'test.prune', 'cancelled', now() - interval '100 hours'),"
                    + " ('" + tenant.id() + "', 'test.prune', 'failed', now() - interval '100 hours'),"
                    + " ('" + tenant.id() + "', 'test.prune', 'completed', now() - interval '1 hour')");
        try (Connection app = worker(); Statement sql = app.createStatement()) {
            try (ResultSet pruned = sql.executeQuery("SELECT dispatch.prune_finished(interval '72 hours', 1000)")) {
                pruned.next(); // the housekeeping timer may have pruned some already: what is left tells
            }
            app.commit();
        }
        try (Connection db = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             Statement sql = db.createStatement();
             ResultSet left = sql.executeQuery("SELECT string_agg(state, ',' ORDER BY state) FROM dispatch.jobs"
                     + " WHERE tenant_id = '" + tenant.id() + "'")) {
            left.next();
            assertEquals("completed,failed", left.getString(1), "the recent job and the dead letter remain");
        }
    }

    @Test
    void onlySteward_sWorkersMayClaim() throws SQLException {
        try (Connection app = StewardServer.rig().connect("steward_app")) {
            app.setAutoCommit(false);
            try (Statement sql = app.createStatement()) {
                sql.execute("SELECT set_config('app.principal', 'api_key:intruder', true)");
                assertThrows(SQLException.class,
                        () -> sql.executeQuery("SELECT * FROM dispatch.claim('x', ARRAY['noop'], 10, 60, '{}', '{}')"));
            }
            app.rollback();
        }
    }

    private static void asSuperuser(String statement) throws SQLException {
        try (Connection db = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             Statement sql = db.createStatement()) {
            sql.execute(statement);
        }
    }

    private static void insert(String tenant, String kind, int priority, int count) throws SQLException {
        try (Connection db = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             PreparedStatement insert = db.prepareStatement("INSERT INTO dispatch.jobs (tenant_id, kind, priority,"
                     + " state, run_at) SELECT ?::uuid, ?, ?, 'available', now() - interval '1 hour'"
                     + " + g * interval '1 millisecond' FROM generate_series(1, ?) g")) {
            insert.setString(1, tenant);
            insert.setString(2, kind);
            insert.setInt(3, priority);
            insert.setInt(4, count);
            insert.execute();
        }
    }

    /** One claim as a worker: its own transaction, committed. */
    private static List<Claimed> claim(String kind, int limit, int leaseSeconds) throws SQLException {
        try (Connection app = worker();
             PreparedStatement claim = app.prepareStatement(
                     "SELECT id, tenant_id::text, priority, attempt"
                             + " FROM dispatch.claim('test-worker', ARRAY[?], ?, ?, '{}', '{}')")) {
            claim.setString(1, kind);
            claim.setInt(2, limit);
            claim.setInt(3, leaseSeconds);
            List<Claimed> claimed = new ArrayList<>();
            try (ResultSet rows = claim.executeQuery()) {
                while (rows.next()) {
                    claimed.add(new Claimed(rows.getLong(1), rows.getString(2), rows.getInt(3), rows.getInt(4)));
                }
            }
            app.commit();
            return claimed;
        }
    }

    private static Connection worker() throws SQLException {
        Connection app = StewardServer.rig().connect("steward_app");
        app.setAutoCommit(false);
        try (Statement sql = app.createStatement()) {
            sql.execute("SELECT set_config('app.principal', 'system:test', true)");
        }
        return app;
    }

    private static Map<Integer, Integer> countBy(List<Claimed> claimed) {
        Map<Integer, Integer> counts = new TreeMap<>();
        claimed.forEach(c -> counts.merge(c.priority(), 1, Integer::sum));
        return counts;
    }
}
