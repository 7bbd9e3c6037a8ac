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
 * <p>Burn-down: 100,000 no-op jobs over 10 tenants, drained by 4, 8 (the default), 16 and 64 workers. Steward's
 * SQL-level workers each loop: {@code dispatch.claim} a batch of up to 100 (fair across tenants, SKIP LOCKED), run
 * it, {@code dispatch.complete_many}, commit, as {@code steward_app} with a system principal.
 * db-scheduler 16.12.0 runs the same number of threads with lock-and-fetch polling and priority on, on a Hikari pool.
 * Prints a table and writes {@code target/bench/queue.json}.
 */
public final class QueueBench {

    static final int JOBS = 100_000;
    private static final int TENANTS = 10;
    private static final int BATCH = 100;
    /** Worker counts to burn down with; 8 is the default. {@code -Dbench.workers=8,64} to measure fewer. */
    static final int[] WORKERS = java.util.Arrays.stream(System.getProperty("bench.workers", "4,8,16,64").split(","))
            .mapToInt(Integer::parseInt).toArray();

    private QueueBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of("target/bench");
        Files.createDirectories(work);
        try (EmbeddedDatabase database = EmbeddedDatabase.startFresh(work.resolve("pgdata"), work.resolve("pg"))) {
            database.ensureDatabase("steward", EmbeddedDatabase.SUPERUSER);
            prepare(database);
            List<String> tenants = createTenants(database);
            if (Boolean.getBoolean("bench.server-only")) {
                // For working on the dispatcher: its figures, printed as they come, and no report.
                DispatcherBench.run(database, tenants, work);
                printStatements(database);
                System.exit(0);
            }
            Map<Integer, Double> sql = new LinkedHashMap<>();
            Map<Integer, Double> peer = new LinkedHashMap<>();
            for (int workers : WORKERS) {
                sql.put(workers, burnDownSteward(database, tenants, workers));
                peer.put(workers, burnDownDbScheduler(database, workers));
                System.out.printf("  %3d workers: steward SQL %,9.0f jobs/s   db-scheduler %,9.0f jobs/s%n",
                        workers, sql.get(workers), peer.get(workers));
            }
            DispatcherBench.Figures dispatcher = DispatcherBench.run(database, tenants, work);
            report(work, sql, peer, dispatcher);
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
        if (Boolean.getBoolean("steward.pg.statements")) {
            database.execute("steward", "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        }
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

    /** With {@code -Dsteward.pg.statements=true}: where the database's time went, statement by statement. */
    private static void printStatements(EmbeddedDatabase database) throws SQLException {
        if (!Boolean.getBoolean("steward.pg.statements")) {
            return;
        }
        try (Connection db = database.connect("steward", EmbeddedDatabase.SUPERUSER);
             ResultSet rows = db.createStatement().executeQuery("SELECT calls, round(total_exec_time) AS ms,"
                     + " round((total_exec_time / calls)::numeric, 3) AS ms_per_call, rows,"
                     + " left(regexp_replace(query, '\\s+', ' ', 'g'), 110) FROM pg_stat_statements"
                     + " ORDER BY total_exec_time DESC LIMIT 25")) {
            System.out.printf("%9s %9s %9s %9s  %s%n", "calls", "ms", "ms/call", "rows", "statement");
            while (rows.next()) {
                System.out.printf("%9d %9d %9.3f %9d  %s%n", rows.getLong(1), rows.getLong(2), rows.getDouble(3),
                        rows.getLong(4), rows.getString(5));
            }
        }
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
     * The table and {@code queue.json}. {@code burndown_jobs_per_s} is Steward as deployed: its server, dispatcher and
     * workers, every job admitted by the constraint engine; {@code sql_burndown_jobs_per_s} is the queue's functions
     * alone, called by independent claimers the way db-scheduler's threads work. {@code ratio_vs_peer} compares the
     * best of the server's figures with the best of db-scheduler's.
     */
    private static void report(Path work, Map<Integer, Double> sql, Map<Integer, Double> peer,
                               DispatcherBench.Figures dispatcher) throws Exception {
        Map<Integer, Double> ours = dispatcher.burnDown();
        Map<Integer, double[]> pickup = dispatcher.pickup();
        double noisyRatio = dispatcher.noisyP99() / dispatcher.soloP99();
        double ratio = best(ours) / best(peer);
        StringBuilder table = new StringBuilder("\nBurn-down of 100,000 no-op jobs over 10 tenants (jobs/s)\n")
                .append(String.format("%-12s %14s %14s %14s %10s%n", "workers", "steward", "steward SQL",
                        "db-scheduler", "ratio"));
        for (int workers : WORKERS) {
            table.append(String.format("%-12s %,14.0f %,14.0f %,14.0f %9.2fx%n",
                    workers + (workers == 8 ? " (default)" : ""), ours.get(workers),
                    sql.get(workers), peer.get(workers), ours.get(workers) / peer.get(workers)));
        }
        table.append("steward: the server (dispatcher, workers, admission); steward SQL: independent claimers calling"
                        + " dispatch.claim and complete_many, batches of 100\n")
                .append(String.format("best vs best (steward / db-scheduler): %.2fx%n", ratio))
                .append("\nSteady state through the server (" + DispatcherBench.STEADY_WORKERS
                        + " workers): pickup latency (ms)\n")
                .append(String.format("%-14s %8s %8s%n", "offered/s", "p50", "p99"));
        pickup.forEach((rate, p) -> table.append(String.format("%-14d %8.1f %8.1f%n", rate, p[0], p[1])));
        table.append(String.format("%nNoisy neighbour at %d jobs/s (one tenant offers 90%%): the other nine tenants'"
                + " p99%n  alone %.1f ms, beside the noisy one %.1f ms: %.2fx%n", DispatcherBench.NOISY_RATE,
                dispatcher.soloP99(), dispatcher.noisyP99(), noisyRatio));
        System.out.println(table);
        String json = "{\n"
                + "  \"burndown_jobs_per_s\": " + json(ours) + ",\n"
                + "  \"sql_burndown_jobs_per_s\": " + json(sql) + ",\n"
                + "  \"peer_burndown_jobs_per_s\": " + json(peer) + ",\n"
                + String.format("  \"ratio_vs_peer\": %.3f,%n", ratio)
                + String.format("  \"pickup_p50_ms_at_2000\": %.2f,%n", pickup.get(2000)[0])
                + String.format("  \"pickup_p99_ms_at_2000\": %.2f,%n", pickup.get(2000)[1])
                + "  \"pickup_ms_by_offered_rate\": " + pickup.entrySet().stream()
                        .map(e -> String.format("\"%d\": {\"p50\": %.2f, \"p99\": %.2f}", e.getKey(), e.getValue()[0],
                                e.getValue()[1]))
                        .collect(Collectors.joining(", ", "{", "}")) + ",\n"
                + String.format("  \"noisy_neighbour_p99_ratio\": %.3f,%n", noisyRatio)
                + String.format("  \"noisy_neighbour_p99_ms\": {\"solo\": %.2f, \"beside_noisy\": %.2f}%n",
                        dispatcher.soloP99(), dispatcher.noisyP99())
                + "}\n";
        Files.writeString(work.resolve("queue.json"), json);
        System.out.println("Wrote " + work.resolve("queue.json"));
    }

    private static double best(Map<Integer, Double> perWorkers) {
        return perWorkers.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    private static String json(Map<Integer, Double> perWorkers) {
        return perWorkers.entrySet().stream()
                .map(e -> String.format("\"%d\": %.0f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
