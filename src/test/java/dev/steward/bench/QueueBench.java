package dev.steward.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.steward.platform.internal.DatabaseRoles;
import dev.steward.platform.internal.Migrations;
import dev.steward.testing.EmbeddedDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code bench/run-queue}: Steward's queue against db-scheduler on one embedded PostgreSQL, in one run.
 *
 * <p>Burn-down: 100,000 no-op jobs over 10 tenants, drained by 4, 16 and 64 workers. Steward's workers each loop
 * as the dispatcher does at the SQL level: {@code dispatch.claim} a batch of up to 100 (fair across tenants, SKIP
 * LOCKED), run it, {@code dispatch.complete_many}, commit, as {@code steward_app} with a system principal.
 * db-scheduler 16.12.0 runs the same number of threads with lock-and-fetch polling and priority on, on a Hikari pool.
 * Prints a table and writes {@code target/bench/queue.json}.
 */
public final class QueueBench {

    private static final int JOBS = 100_000;
    private static final int TENANTS = 10;
    private static final int BATCH = 100;
    private static final int[] WORKERS = {4, 16, 64};

    private QueueBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of("target/bench");
        Files.createDirectories(work);
        try (EmbeddedDatabase database = EmbeddedDatabase.startFresh(work.resolve("pgdata"), work.resolve("pg"))) {
            database.ensureDatabase("steward", EmbeddedDatabase.SUPERUSER);
            prepare(database);
            List<String> tenants = createTenants(database);
            Map<Integer, Double> ours = new LinkedHashMap<>();
            Map<Integer, Double> peer = new LinkedHashMap<>();
            for (int workers : WORKERS) {
                ours.put(workers, burnDownSteward(database, tenants, workers));
                peer.put(workers, burnDownDbScheduler(database, workers));
                System.out.printf("  %3d workers: steward %,9.0f jobs/s   db-scheduler %,9.0f jobs/s%n",
                        workers, ours.get(workers), peer.get(workers));
            }
            Map<Integer, double[]> pickup = steadyState(database, tenants, work);
            report(work, ours, peer, pickup);
        }
        System.exit(0);
    }

    private static void prepare(EmbeddedDatabase database) throws Exception {
        try (Connection admin = database.connect("steward", EmbeddedDatabase.SUPERUSER)) {
            DatabaseRoles.ensure(admin, "bench", "bench");
        }
        PGSimpleDataSource owner = new PGSimpleDataSource();
        owner.setUrl(database.jdbcUrl("steward"));
        owner.setUser(DatabaseRoles.OWNER);
        Migrations.apply(owner);
        database.execute("steward", """
                CREATE TABLE public.scheduled_tasks (
                    task_name text NOT NULL, task_instance text NOT NULL, task_data bytea,
                    execution_time timestamptz NOT NULL, picked boolean NOT NULL, picked_by text,
                    last_success timestamptz, last_failure timestamptz, consecutive_failures int,
                    last_heartbeat timestamptz, version bigint NOT NULL, priority smallint,
                    PRIMARY KEY (task_name, task_instance));
                CREATE INDEX execution_time_idx ON public.scheduled_tasks (execution_time);
                CREATE INDEX last_heartbeat_idx ON public.scheduled_tasks (last_heartbeat);
                CREATE INDEX priority_execution_time_idx ON public.scheduled_tasks (priority DESC, execution_time ASC);
                """);
    }

    private static List<String> createTenants(EmbeddedDatabase database) throws SQLException {
        List<String> tenants = new ArrayList<>();
        for (int i = 0; i < TENANTS; i++) {
            String id = UUID.randomUUID().toString();
            database.execute("steward", "INSERT INTO tenancy.tenants (id, slug, name) VALUES ('" + id
                    + "', 'bench-" + i + "', 'Bench " + i + "')");
            tenants.add(id);
        }
        return tenants;
    }

    private static double burnDownSteward(EmbeddedDatabase database, List<String> tenants, int workers)
            throws Exception {
        database.execute("steward", "TRUNCATE dispatch.jobs, dispatch.tenant_service");
        database.execute("steward", "INSERT INTO dispatch.jobs (tenant_id, kind, state, run_at)"
                + " SELECT t.id, 'noop', 'available', now() - interval '1 minute' + g * interval '1 microsecond'"
                + " FROM unnest(ARRAY[" + tenants.stream().map(t -> "'" + t + "'::uuid").collect(Collectors.joining(","))
                + "]) AS t (id), generate_series(1, " + JOBS / TENANTS + ") g");
        database.execute("steward", "VACUUM ANALYZE dispatch.jobs");
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        long start = System.nanoTime();
        List<Future<?>> loops = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String owner = "bench-" + w;
            loops.add(pool.submit(() -> {
                try (Connection app = database.connect("steward", DatabaseRoles.APP)) {
                    app.setAutoCommit(false);
                    try (PreparedStatement principal = app.prepareStatement(
                                 "SELECT set_config('app.principal', 'system:bench', false)");
                         PreparedStatement claim = app.prepareStatement(
                                 "SELECT tenant_id, id, attempt FROM dispatch.claim(?, ARRAY['noop'], ?, 60, '{}', '{}')");
                         PreparedStatement complete = app.prepareStatement(
                                 "SELECT dispatch.complete_many(?, ?, ?, ?)")) {
                        principal.execute();
                        app.commit();
                        while (done.get() < JOBS) {
                            List<Object> tenantIds = new ArrayList<>();
                            List<Object> ids = new ArrayList<>();
                            List<Object> attempts = new ArrayList<>();
                            claim.setString(1, owner);
                            claim.setInt(2, BATCH);
                            try (ResultSet rows = claim.executeQuery()) {
                                while (rows.next()) {
                                    tenantIds.add(rows.getObject(1));
                                    ids.add(rows.getLong(2));
                                    attempts.add(rows.getInt(3));
                                }
                            }
                            if (!ids.isEmpty()) {
                                Array tenantArray = app.createArrayOf("uuid", tenantIds.toArray());
                                Array idArray = app.createArrayOf("bigint", ids.toArray());
                                complete.setString(1, owner);
                                complete.setArray(2, tenantArray);
                                complete.setArray(3, idArray);
                                complete.setArray(4, app.createArrayOf("integer", attempts.toArray()));
                                complete.execute();
                            }
                            app.commit();
                            done.addAndGet(ids.size());
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> loop : loops) {
            loop.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return JOBS / seconds;
    }

    private static double burnDownDbScheduler(EmbeddedDatabase database, int workers) throws Exception {
        database.execute("steward", "TRUNCATE public.scheduled_tasks");
        database.execute("steward", "INSERT INTO public.scheduled_tasks (task_name, task_instance, execution_time,"
                + " picked, version, priority) SELECT 'noop', 'job-' || g, now() - interval '1 minute', false, 1, 0"
                + " FROM generate_series(1, " + JOBS + ") g");
        database.execute("steward", "VACUUM ANALYZE public.scheduled_tasks");
        CountDownLatch drained = new CountDownLatch(JOBS);
        OneTimeTask<Void> noop = Tasks.oneTime("noop").execute((instance, context) -> drained.countDown());
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(database.jdbcUrl("steward"));
        pool.setUsername(EmbeddedDatabase.SUPERUSER);
        pool.setMaximumPoolSize(workers + 4);
        try (HikariDataSource dataSource = new HikariDataSource(pool)) {
            Scheduler scheduler = Scheduler.create(dataSource, noop)
                    .threads(workers)
                    .pollUsingLockAndFetch(0.5, 1.0)
                    .enablePriority()
                    .pollingInterval(Duration.ofMillis(100))
                    .build();
            long start = System.nanoTime();
            scheduler.start();
            if (!drained.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("db-scheduler did not drain the queue in 10 minutes");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            scheduler.stop();
            return JOBS / seconds;
        }
    }

    /**
     * Steady state, on the real thing: Steward's server (its dispatcher with 64 workers, woken by NOTIFY) on the
     * bench database, while jobs are inserted at a fixed rate for {@code bench.seconds} (60) per rate. Pickup is
     * {@code started_at - created_at}, both on the database clock. Returns p50 and p99 in ms by offered rate.
     */
    private static Map<Integer, double[]> steadyState(EmbeddedDatabase database, List<String> tenants, Path work)
            throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 60);
        database.execute("steward", "TRUNCATE dispatch.jobs, dispatch.tenant_service");
        Map<String, String> environment = new java.util.HashMap<>();
        environment.put("STEWARD_HTTP_PORT", String.valueOf(dev.steward.testing.FreePorts.pick()));
        environment.put("STEWARD_DB_URL", database.jdbcUrl("steward"));
        environment.put("STEWARD_DB_USER", EmbeddedDatabase.SUPERUSER);
        environment.put("STEWARD_ADMIN_TOKEN", UUID.randomUUID().toString());
        environment.put("STEWARD_MASTER_KEY", "bench-master-key-" + UUID.randomUUID());
        environment.put("STEWARD_DISPATCH_WORKERS", "64");
        Map<Integer, double[]> pickup = new LinkedHashMap<>();
        try (dev.steward.testing.LibertyServer server = dev.steward.testing.LibertyServer.start(
                Path.of("target/liberty/wlp"), environment, work.resolve("liberty-launch.log"))) {
            server.awaitReady(Duration.ofMinutes(2));
            for (int rate : new int[] {500, 2000, 5000}) {
                offer(database, tenants, rate, seconds);
                pickup.put(rate, percentiles(database, rate));
                System.out.printf("  %,5d jobs/s offered for %d s: pickup p50 %.1f ms, p99 %.1f ms%n",
                        rate, seconds, pickup.get(rate)[0], pickup.get(rate)[1]);
            }
        }
        return pickup;
    }

    /** Inserts {@code rate} jobs a second, in 100 small inserts a second spread over the tenants, then waits. */
    private static void offer(EmbeddedDatabase database, List<String> tenants, int rate, int seconds)
            throws Exception {
        int perTick = Math.max(1, rate / 100);
        try (Connection db = database.connect("steward", EmbeddedDatabase.SUPERUSER);
             PreparedStatement insert = db.prepareStatement("INSERT INTO dispatch.jobs (tenant_id, kind, state,"
                     + " payload) SELECT ?::uuid, 'noop', 'available', jsonb_build_object('rate', ?)"
                     + " FROM generate_series(1, ?)")) {
            long start = System.nanoTime();
            for (long tick = 0; tick < seconds * 100L; tick++) {
                long due = start + tick * 10_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                insert.setString(1, tenants.get((int) (tick % tenants.size())));
                insert.setInt(2, rate);
                insert.setInt(3, perTick);
                insert.execute();
            }
        }
        for (int i = 0; i < 600 && pending(database, rate) > 0; i++) {
            Thread.sleep(100);
        }
    }

    private static long pending(EmbeddedDatabase database, int rate) throws SQLException {
        try (Connection db = database.connect("steward", EmbeddedDatabase.SUPERUSER);
             ResultSet row = db.createStatement().executeQuery("SELECT count(*) FROM dispatch.jobs"
                     + " WHERE payload->>'rate' = '" + rate + "' AND state <> 'completed'")) {
            row.next();
            return row.getLong(1);
        }
    }

    private static double[] percentiles(EmbeddedDatabase database, int rate) throws SQLException {
        try (Connection db = database.connect("steward", EmbeddedDatabase.SUPERUSER);
             ResultSet row = db.createStatement().executeQuery("SELECT percentile_cont(ARRAY[0.5, 0.99])"
                     + " WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at) * 1000)"
                     + " FROM dispatch.jobs WHERE payload->>'rate' = '" + rate + "' AND started_at IS NOT NULL")) {
            row.next();
            Double[] values = (Double[]) row.getArray(1).getArray();
            return new double[] {values[0], values[1]};
        }
    }

    private static void report(Path work, Map<Integer, Double> ours, Map<Integer, Double> peer,
                               Map<Integer, double[]> pickup) throws Exception {
        double bestOurs = ours.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double bestPeer = peer.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        StringBuilder table = new StringBuilder("\nBurn-down of 100,000 no-op jobs over 10 tenants (jobs/s)\n")
                .append(String.format("%-8s %12s %14s %8s%n", "workers", "steward", "db-scheduler", "ratio"));
        for (int workers : WORKERS) {
            table.append(String.format("%-8d %,12.0f %,14.0f %7.2fx%n", workers, ours.get(workers), peer.get(workers),
                    ours.get(workers) / peer.get(workers)));
        }
        table.append(String.format("best vs best: %.2fx%n", bestOurs / bestPeer))
                .append("\nSteady state through Steward's dispatcher (64 workers): pickup latency (ms)\n")
                .append(String.format("%-14s %8s %8s%n", "offered/s", "p50", "p99"));
        pickup.forEach((rate, p) -> table.append(String.format("%-14d %8.1f %8.1f%n", rate, p[0], p[1])));
        table.append("noisy-neighbour run: not measured yet\n");
        System.out.println(table);
        String json = "{\n"
                + "  \"burndown_jobs_per_s\": " + json(ours) + ",\n"
                + "  \"peer_burndown_jobs_per_s\": " + json(peer) + ",\n"
                + String.format("  \"ratio_vs_peer\": %.3f,%n", bestOurs / bestPeer)
                + String.format("  \"pickup_p50_ms_at_2000\": %.2f,%n", pickup.get(2000)[0])
                + String.format("  \"pickup_p99_ms_at_2000\": %.2f,%n", pickup.get(2000)[1])
                + "  \"pickup_ms_by_offered_rate\": " + pickup.entrySet().stream()
                        .map(e -> String.format("\"%d\": {\"p50\": %.2f, \"p99\": %.2f}", e.getKey(), e.getValue()[0],
                                e.getValue()[1]))
                        .collect(Collectors.joining(", ", "{", "}")) + ",\n"
                + "  \"noisy_neighbour_p99_ratio\": null\n"
                + "}\n";
        Files.writeString(work.resolve("queue.json"), json);
        System.out.println("Wrote " + work.resolve("queue.json"));
    }

    private static String json(Map<Integer, Double> perWorkers) {
        return perWorkers.entrySet().stream()
                .map(e -> String.format("\"%d\": %.0f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
