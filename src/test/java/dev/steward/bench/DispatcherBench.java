package dev.steward.bench;

import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.FreePorts;
import dev.steward.testing.LibertyServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * The queue on the real thing: Steward's server (its dispatcher, woken by NOTIFY, every job admitted by the
 * constraint engine) on the bench database. Pickup is {@code started_at - created_at}, both on the database clock.
 *
 * <ul>
 *   <li>burn-down: 100,000 no-op jobs inserted at once, drained by a server with 4, 8, 16 and 64 workers (each after a
 *       warm-up burn-down of 20,000);
 *   <li>with the default 8 workers, jobs inserted at a fixed rate for {@code bench.seconds} (60) per run:
 *   <li>steady state: 500, 2,000 and 5,000 jobs/s over the ten tenants in turn: pickup p50 and p99;
 *   <li>noisy neighbour at 2,000 jobs/s: the first tenant offers 90% of it, the other nine share 10%; their p99
 *       against their p99 when they offer the same 10% alone.
 * </ul>
 */
final class DispatcherBench {

    static final int NOISY_RATE = 2000;
    /** Steady state and the noisy neighbour run on the server as shipped: the default workers, when measured. */
    static final int STEADY_WORKERS = java.util.Arrays.stream(QueueBench.WORKERS).anyMatch(w -> w == 8) ? 8
            : QueueBench.WORKERS[QueueBench.WORKERS.length - 1];
    private static final int TICKS_PER_SECOND = 100;

    /**
     * Burn-down through the server (jobs/s); pickup p50/p99 (ms) by offered rate; the quiet tenants' p99 alone and
     * beside the noisy one.
     */
    record Figures(Map<Integer, Double> burnDown, Map<Integer, double[]> pickup, double soloP99, double noisyP99) {
    }

    private DispatcherBench() {
    }

    static Figures run(EmbeddedDatabase database, List<String> tenants, Path work) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 60);
        database.execute("steward", "TRUNCATE dispatch.jobs, dispatch.tenant_service");
        String noisy = tenants.get(0);
        List<String> quiet = tenants.subList(1, tenants.size());
        // Measuring fairness, not quotas: the noisy tenant may start as many jobs a minute as it offers.
        database.execute("steward", "INSERT INTO quota.limits (tenant_id, subject, per_minute) VALUES ('" + noisy
                + "', 'tenant', 10000000) ON CONFLICT (tenant_id, subject) DO UPDATE SET per_minute = 10000000");
        Map<Integer, Double> burnDown = new LinkedHashMap<>();
        for (int workers : QueueBench.WORKERS) {
            if (workers == STEADY_WORKERS) {
                continue; // measured by the server that goes on to the steady-state runs
            }
            try (LibertyServer server = startServer(database, workers, work)) {
                burnDown.put(workers, measuredBurnDown(database, tenants, workers));
            }
        }
        Map<Integer, double[]> pickup = new LinkedHashMap<>();
        try (LibertyServer server = startServer(database, STEADY_WORKERS, work)) {
            burnDown.put(STEADY_WORKERS, measuredBurnDown(database, tenants, STEADY_WORKERS));
            for (int rate : new int[] {500, 2000, 5000}) {
                int perTick = Math.max(1, rate / TICKS_PER_SECOND);
                String run = "rate-" + rate;
                offer(database, run, seconds, tick -> Map.of(tenants.get((int) (tick % tenants.size())), perTick));
                pickup.put(rate, percentiles(database, run, null));
                System.out.printf("  %,5d jobs/s offered for %d s: pickup p50 %.1f ms, p99 %.1f ms%n",
                        rate, seconds, pickup.get(rate)[0], pickup.get(rate)[1]);
            }
            int quietPerTick = NOISY_RATE / TICKS_PER_SECOND / 10;
            int noisyPerTick = NOISY_RATE / TICKS_PER_SECOND - quietPerTick;
            offer(database, "solo", seconds, tick -> Map.of(quiet.get((int) (tick % quiet.size())), quietPerTick));
            double solo = percentiles(database, "solo", noisy)[1];
            offer(database, "noisy", seconds, tick -> Map.of(quiet.get((int) (tick % quiet.size())), quietPerTick,
                    noisy, noisyPerTick));
            double beside = percentiles(database, "noisy", noisy)[1];
            System.out.printf("  noisy neighbour: the others' p99 %.1f ms alone, %.1f ms beside it%n", solo, beside);
            return new Figures(burnDown, pickup, solo, beside);
        }
    }

    private static LibertyServer startServer(EmbeddedDatabase database, int workers, Path work) {
        Map<String, String> environment = new HashMap<>();
        environment.put("STEWARD_HTTP_PORT", String.valueOf(FreePorts.pick()));
        environment.put("STEWARD_DB_URL", database.jdbcUrl("steward"));
        environment.put("STEWARD_DB_USER", EmbeddedDatabase.SUPERUSER);
        environment.put("STEWARD_ADMIN_TOKEN", UUID.randomUUID().toString());
        environment.put("STEWARD_MASTER_KEY", "bench-master-key-" + UUID.randomUUID());
        environment.put("STEWARD_DISPATCH_WORKERS", String.valueOf(workers));
        LibertyServer server = LibertyServer.start(Path.of("target/liberty/wlp"), environment,
                work.resolve("liberty-launch.log"));
        server.awaitReady(Duration.ofMinutes(2));
        return server;
    }

    private static double measuredBurnDown(EmbeddedDatabase database, List<String> tenants, int workers)
            throws Exception {
        burnDown(database, tenants, QueueBench.JOBS / 5); // warms the server's JIT up; not counted
        double jobsPerSecond = burnDown(database, tenants, QueueBench.JOBS);
        System.out.printf("  burn-down through the server, %d workers (every job admitted): %,.0f jobs/s%n",
                workers, jobsPerSecond);
        return jobsPerSecond;
    }

    /**
     * The whole path at full tilt: {@code jobs} no-op jobs over the tenants inserted at once (one statement, one
     * notification), drained by the server's dispatcher; jobs/s from the first start to the last finish.
     */
    private static double burnDown(EmbeddedDatabase database, List<String> tenants, int jobs) throws Exception {
        database.execute("steward", "TRUNCATE dispatch.jobs, dispatch.tenant_service");
        String tenantArray = tenants.stream().map(t -> "'" + t + "'::uuid")
                .collect(java.util.stream.Collectors.joining(","));
        database.execute("steward", "INSERT INTO dispatch.jobs (tenant_id, kind, state, payload)"
                + " SELECT (ARRAY[" + tenantArray + "])[1 + i % " + tenants.size() + "], 'noop', 'available',"
                + " '{\"run\": \"burn-down\"}' FROM generate_series(1, " + jobs + ") i");
        // Polled cheaply (the partial indexes), so that watching does not slow the drain down.
        for (int i = 0; i < 600 && unfinished(database); i++) {
            Thread.sleep(200);
        }
        try (Connection db = database.connect("steward", EmbeddedDatabase.SUPERUSER);
             ResultSet row = db.createStatement().executeQuery("SELECT count(*)"
                     + " / extract(epoch FROM max(finished_at) - min(started_at)) FROM dispatch.jobs"
                     + " WHERE payload->>'run' = 'burn-down' AND state = 'completed'")) {
            row.next();
            return row.getDouble(1);
        }
    }

    /** Inserts, every 10 ms for {@code seconds}, the jobs {@code load} names for that tick; then waits for them. */
    private static void offer(EmbeddedDatabase database, String run, int seconds,
                              LongFunction<Map<String, Integer>> load) throws Exception {
        try (Connection db = database.connect("steward", EmbeddedDatabase.SUPERUSER);
             PreparedStatement insert = db.prepareStatement("INSERT INTO dispatch.jobs (tenant_id, kind, state,"
                     + " payload) SELECT ?::uuid, 'noop', 'available', jsonb_build_object('run', ?::text)"
                     + " FROM generate_series(1, ?)")) {
            long start = System.nanoTime();
            for (long tick = 0; tick < (long) seconds * TICKS_PER_SECOND; tick++) {
                long wait = start + tick * (1_000_000_000L / TICKS_PER_SECOND) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                for (Map.Entry<String, Integer> jobs : load.apply(tick).entrySet()) {
                    insert.setString(1, jobs.getKey());
                    insert.setString(2, run);
                    insert.setInt(3, jobs.getValue());
                    insert.execute();
                }
            }
        }
        for (int i = 0; i < 600 && pending(database, run) > 0; i++) {
            Thread.sleep(100);
        }
    }

    private static boolean unfinished(EmbeddedDatabase database) throws SQLException {
        try (Connection db = database.connect("steward", EmbeddedDatabase.SUPERUSER);
             ResultSet row = db.createStatement().executeQuery("SELECT EXISTS (SELECT 1 FROM dispatch.jobs"
                     + " WHERE state IN ('scheduled', 'available', 'retryable', 'running'))")) {
            row.next();
            return row.getBoolean(1);
        }
    }

    private static long pending(EmbeddedDatabase database, String run) throws SQLException {
        try (Connection db = database.connect("steward", EmbeddedDatabase.SUPERUSER);
             PreparedStatement query = db.prepareStatement("SELECT count(*) FROM dispatch.jobs"
                     + " WHERE payload->>'run' = ? AND state <> 'completed'")) {
            query.setString(1, run);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** p50 and p99 pickup (ms) of the run's jobs, leaving out {@code exceptTenant}'s if given. */
    private static double[] percentiles(EmbeddedDatabase database, String run, String exceptTenant)
            throws SQLException {
        try (Connection db = database.connect("steward", EmbeddedDatabase.SUPERUSER);
             PreparedStatement query = db.prepareStatement("SELECT percentile_cont(ARRAY[0.5, 0.99])"
                     + " WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at) * 1000)"
                     + " FROM dispatch.jobs WHERE payload->>'run' = ? AND started_at IS NOT NULL"
                     + " AND tenant_id::text IS DISTINCT FROM ?")) {
            query.setString(1, run);
            query.setString(2, exceptTenant);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                Double[] values = (Double[]) row.getArray(1).getArray();
                return new double[] {values[0], values[1]};
            }
        }
    }
}
