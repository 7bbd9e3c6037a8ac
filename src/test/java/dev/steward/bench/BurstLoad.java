package dev.steward.bench;

import dev.steward.testing.EmbeddedDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Load: a burst of no-op tasks from many tenants, one of them noisy, submitted over HTTP ({@code POST /api/v1/tasks},
 * one task a request) to one Steward node at an even pace within the burst's window; then the same number again in
 * batches ({@code POST /api/v1/tasks/batch}, 1,000 a request) as fast as the server accepts them.
 *
 * <p>By default 50,000 tasks in 60 s from 100 tenants; the noisy tenant (the first) submits half of them, the 99
 * quiet ones share the rest evenly, interleaved with the noisy tenant's from start to end. The submitter is open-loop:
 * each task has its planned send time, at most {@code load.inflight} requests are outstanding, and submission latency
 * is counted from the planned time (so a server that falls behind shows in it), beside the request's own time.
 *
 * <p>While the burst runs and afterwards, the queue's depth (waiting plus running jobs) is read from the database
 * every 250 ms; recovery is the time from the burst's last accepted task to the first reading of zero. Then each
 * task's times come from {@code dispatch.jobs}: completion (inserted to finished) by tenant, the noisy tenant's
 * backlog when the quiet ones were done, throughput.
 *
 * <p>The quota defaults hold (tenant concurrency 100, 60,000 jobs a minute per tenant; the noisy tenant's 25,000 a
 * minute is within them) and the dispatcher runs its default 8 workers: the run measures the platform as shipped.
 *
 * <p>Options: {@code -Dload.tasks=N} (50000), {@code -Dload.tenants=N} (100), {@code -Dload.seconds=N} (60),
 * {@code -Dload.noisyShare=F} (0.5), {@code -Dload.inflight=N} (128), {@code -Dload.drainSeconds=N} (900), and
 * server settings as {@code -Dload.env.STEWARD_...=value}. Prints a table, writes {@code target/bench/burst.json},
 * and exits 1 when an acceptance check failed.
 */
public final class BurstLoad {

    /** Quiet tenants count as not starved when their p95 completion is within the noisy one's, or under this. */
    private static final double FAIR_FLOOR_MS = 1000;
    private static final int BATCH = 1000;
    private static final int BATCH_INFLIGHT = 4;

    private final LoadRig rig;
    private final ConcurrentLinkedQueue<Double> plannedMs = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Double> requestMs = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong lastAccepted = new AtomicLong();

    private BurstLoad(LoadRig rig) {
        this.rig = rig;
    }

    public static void main(String[] args) throws Exception {
        int tasks = Integer.getInteger("load.tasks", 50_000);
        int tenantCount = Integer.getInteger("load.tenants", 100);
        int seconds = Integer.getInteger("load.seconds", 60);
        double noisyShare = Double.parseDouble(System.getProperty("load.noisyShare", "0.5"));
        int inflight = Integer.getInteger("load.inflight", 128);
        int drainSeconds = Integer.getInteger("load.drainSeconds", 900);
        System.out.printf(Locale.ROOT, "Burst: %,d no-op tasks in %d s from %d tenants, one submitting %.0f%%%n",
                tasks, seconds, tenantCount, noisyShare * 100);
        boolean passed;
        try (LoadRig rig = LoadRig.start("burst", Map.of())) {
            passed = new BurstLoad(rig).run(tasks, tenantCount, seconds, noisyShare, inflight, drainSeconds);
        }
        System.exit(passed ? 0 : 1);
    }

    /** Depth readings: nanoTime, waiting, running. */
    private record Depth(long at, long waiting, long running) {
        long total() {
            return waiting + running;
        }
    }

    private boolean run(int tasks, int tenantCount, int seconds, double noisyShare, int inflight, int drainSeconds)
            throws Exception {
        List<LoadRig.Tenant> tenants = rig.createTenants("burst", tenantCount);
        LoadRig.Tenant noisy = tenants.get(0);
        warmUp(tenants.get(tenantCount - 1));

        // The plan: task k goes at start + k * interval, from the noisy tenant whenever its share says so.
        int[] tenantOf = new int[tasks];
        int quiet = 0;
        for (int k = 0; k < tasks; k++) {
            boolean fromNoisy = tenantCount == 1 || Math.floor((k + 1) * noisyShare) > Math.floor(k * noisyShare);
            tenantOf[k] = fromNoisy ? 0 : 1 + quiet++ % (tenantCount - 1);
        }
        long interval = Duration.ofSeconds(seconds).toNanos() / tasks;

        String since = rig.databaseNow();
        ResourceMonitor monitor = new ResourceMonitor(rig, Path.of("target/bench/burst-work/pgdata")).start();
        List<Depth> depths = new ArrayList<>();
        Thread sampler = new Thread(() -> sampleDepth(depths), "depth-sampler");
        sampler.setDaemon(true);
        sampler.start();

        Semaphore slots = new Semaphore(inflight);
        CountDownLatch answered = new CountDownLatch(tasks);
        long start = System.nanoTime();
        for (int k = 0; k < tasks; k++) {
            long planned = start + k * interval;
            long wait = planned - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            slots.acquire();
            LoadRig.Tenant tenant = tenants.get(tenantOf[k]);
            long sent = System.nanoTime();
            rig.http.sendAsync(HttpRequest.newBuilder(URI.create(rig.base + "/api/v1/tasks"))
                            .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + tenant.key())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"noop\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                        long now = System.nanoTime();
                        slots.release();
                        if (failure != null) {
                            error("requests failed: " + SseLoad.cause(failure));
                        } else if (response.statusCode() != 201) {
                            error("answered " + response.statusCode());
                        } else {
                            accepted.incrementAndGet();
                            plannedMs.add((now - planned) / 1e6);
                            requestMs.add((now - sent) / 1e6);
                            lastAccepted.accumulateAndGet(now, Math::max);
                        }
                        answered.countDown();
                    });
        }
        answered.await(10, TimeUnit.MINUTES);
        long burstEnd = lastAccepted.get() == 0 ? System.nanoTime() : lastAccepted.get();
        String burstEndInDatabase = rig.databaseNow();
        double burstSeconds = (burstEnd - start) / 1e9;
        System.out.printf(Locale.ROOT, "  burst submitted: %,d accepted in %.1f s; draining%n", accepted.get(),
                burstSeconds);

        // Drained when the depth reads zero after the burst and every accepted task has finished.
        long drainDeadline = System.nanoTime() + Duration.ofSeconds(drainSeconds).toNanos();
        long recovered = -1;
        long lastReport = System.nanoTime();
        while (System.nanoTime() < drainDeadline) {
            Depth last;
            synchronized (depths) {
                last = depths.isEmpty() ? null : depths.get(depths.size() - 1);
            }
            if (last != null && last.at() > burstEnd && last.total() == 0 && finished(since) >= accepted.get()) {
                synchronized (depths) {
                    recovered = depths.stream().filter(d -> d.at() > burstEnd && d.total() == 0).findFirst()
                            .map(Depth::at).orElse(last.at());
                }
                break;
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L && last != null) {
                System.out.printf(Locale.ROOT, "  ... %,d waiting, %,d running%n", last.waiting(), last.running());
                lastReport = System.nanoTime();
            }
            Thread.sleep(250);
        }
        sampler.interrupt();
        ResourceMonitor.Usage usage = monitor.stop();
        java.nio.file.Files.writeString(Path.of("target/bench/burst-work/metrics-end.txt"), monitor.lastMetrics());
        double recoverySeconds = recovered < 0 ? Double.NaN : Math.max(0, recovered - burstEnd) / 1e9;
        long peakDepth;
        long peakWaiting;
        synchronized (depths) {
            peakDepth = depths.stream().mapToLong(Depth::total).max().orElse(0);
            peakWaiting = depths.stream().mapToLong(Depth::waiting).max().orElse(0);
        }

        Map<String, Integer> index = new HashMap<>();
        tenants.forEach(t -> index.put(t.id(), t.index()));
        Jobs jobs = jobs(since, index, tenantCount);

        long duringBurst = finishedBy(since, burstEndInDatabase);
        long errorCount = errors.values().stream().mapToLong(AtomicInteger::get).sum();
        LoadReport report = new LoadReport("Burst: " + tasks + " tasks in " + seconds + " s from " + tenantCount
                + " tenants, one noisy");
        String scale = "scale";
        report.count(scale, "tasks", "tasks planned (noop, POST /api/v1/tasks)", tasks)
                .count(scale, "tenants", "tenants", tenantCount)
                .count(scale, "noisy_tasks", "of them from the noisy tenant", countOf(tenantOf, 0))
                .count(scale, "quiet_tasks_each", "from each quiet tenant (about)",
                        tenantCount > 1 ? (tasks - countOf(tenantOf, 0)) / (tenantCount - 1) : 0)
                .value(scale, "window_s", "planned window", seconds, "s")
                .count(scale, "inflight", "requests outstanding at most", inflight)
                .text(scale, "server", "server settings", String.format(Locale.ROOT, "dispatch workers %s, DB pool"
                                + " %s, quotas as shipped (tenant concurrency %s, %s jobs/min)",
                        rig.setting("STEWARD_DISPATCH_WORKERS", "8"), rig.setting("STEWARD_DB_POOL_SIZE", "20"),
                        rig.setting("STEWARD_QUOTA_TENANT_CONCURRENCY", "100"),
                        rig.setting("STEWARD_QUOTA_TENANT_PER_MINUTE", "60000")));
        String submit = "submission";
        report.value(submit, "burst_s", "burst took (first planned send to last 201)", burstSeconds, "s")
                .value(submit, "accepted_per_s", "accepted per second", accepted.get() / burstSeconds, "/s")
                .latency(submit, "latency_from_plan", "latency from planned send (ms)",
                        LoadReport.Percentiles.of(plannedMs))
                .latency(submit, "latency_request", "request time (ms)", LoadReport.Percentiles.of(requestMs))
                .count(submit, "accepted", "accepted (201)", accepted.get());
        new TreeMap<>(errors).forEach((kind, n) -> report.count(submit, kind.toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "_"), kind, n.get()));
        report.value(submit, "error_rate", "error rate", errorCount / (double) tasks, "");
        String queue = "queue";
        report.count(queue, "peak_depth", "peak depth (waiting + running)", peakDepth)
                .count(queue, "peak_waiting", "peak waiting", peakWaiting)
                .value(queue, "recovery_s", "recovery: last accepted task to depth 0", recoverySeconds, "s")
                .value(queue, "throughput", "throughput (completed / first insert to last finish)", jobs.throughput,
                        "jobs/s")
                .value(queue, "peak_throughput", "best second", jobs.peakSecond, "jobs/s")
                .count(queue, "completed_during_burst", "completed while the burst was being submitted",
                        duringBurst)
                .value(queue, "throughput_during_burst", "throughput while the burst was being submitted",
                        duringBurst / burstSeconds, "jobs/s")
                .count(queue, "quota_deferrals", "jobs held back by a quota (steward_dispatch_deferrals_total)",
                        (long) monitor.total("steward_dispatch_deferrals_total"))
                .text(queue, "states", "tasks in the database by state", jobs.states.toString());
        String fair = "fairness (completion = inserted to finished, ms)";
        report.latency(fair, "noisy", "noisy tenant", LoadReport.Percentiles.of(jobs.noisy))
                .latency(fair, "quiet", "quiet tenants together", LoadReport.Percentiles.of(jobs.quiet))
                .value(fair, "worst_quiet_p95", "worst quiet tenant's p95", jobs.worstQuietP95, "ms")
                .latency(fair, "noisy_wait", "noisy tenant's queue wait (inserted to started)",
                        LoadReport.Percentiles.of(jobs.noisyWait))
                .latency(fair, "quiet_wait", "quiet tenants' queue wait", LoadReport.Percentiles.of(jobs.quietWait))
                .value(fair, "quiet_done_s", "quiet tenants all done, after the burst's start", jobs.quietDoneSeconds,
                        "s")
                .value(fair, "noisy_done_s", "noisy tenant all done, after the burst's start", jobs.noisyDoneSeconds,
                        "s")
                .count(fair, "noisy_backlog_when_quiet_done", "noisy tasks unfinished when the quiet ones were done",
                        jobs.noisyBacklogAtQuietDone);
        report.resources(usage);
        double quietP95 = LoadReport.Percentiles.of(jobs.quiet).p95();
        double noisyP95 = LoadReport.Percentiles.of(jobs.noisy).p95();

        BatchRun batch = submitInBatches(tenants, tasks, noisyShare, drainSeconds);
        String batched = "batch submission (POST /api/v1/tasks/batch, " + BATCH + " tasks a request, "
                + BATCH_INFLIGHT + " at once, once the burst has drained)";
        report.count(batched, "tasks", "tasks accepted", batch.accepted())
                .latency(batched, "request", "request time (ms)", LoadReport.Percentiles.of(batch.requestMs()))
                .value(batched, "drain_s", "last batch accepted to depth 0", batch.drainSeconds(), "s")
                .value(batched, "throughput", "completed per second, first batch sent to depth 0",
                        batch.completedPerSecond(), "jobs/s");
        String targets = "targets";
        report.headline(targets, "drain_after_last_submit_s", "burst: last accepted task to depth 0",
                        recoverySeconds, "s")
                .headline(targets, "quiet_p95_s", "burst: quiet tenants' p95 completion", quietP95 / 1000, "s")
                .headline(targets, "batch_accepted_per_s", "batches: tasks accepted per second",
                        batch.acceptedPerSecond(), "tasks/s");
        long completed = jobs.states.getOrDefault("completed", 0L);
        report.check("no_errors", "every submission accepted (201)", errorCount == 0 && accepted.get() == tasks,
                        accepted.get() + " of " + tasks + " accepted, " + errorCount + " errors")
                .check("all_completed", "every accepted task completed, none failed or lost",
                        completed == accepted.get() && jobs.states.size() == 1,
                        completed + " completed of " + accepted.get() + "; " + jobs.states)
                .check("recovered", "the queue drained back to zero", recovered >= 0,
                        Double.isNaN(recoverySeconds) ? "still not empty after " + drainSeconds + " s"
                                : LoadReport.format(recoverySeconds) + " s after the burst")
                .check("quiet_not_starved", "quiet tenants not starved: their p95 completion within the noisy"
                                + " tenant's (or under " + (int) FAIR_FLOOR_MS + " ms)",
                        tenantCount > 1 && quietP95 <= Math.max(noisyP95, FAIR_FLOOR_MS),
                        "quiet p95 " + LoadReport.format(quietP95) + " ms, noisy p95 " + LoadReport.format(noisyP95)
                                + " ms")
                .check("batches_accepted", "every batch accepted (201) and drained",
                        batch.accepted() == batch.planned() && batch.drainSeconds() >= 0,
                        batch.accepted() + " of " + batch.planned() + " accepted");
        report.print("burst.json");
        return report.passed();
    }

    /** Tasks planned and accepted, request times, accepted and completed per second, drain time (-1: none). */
    private record BatchRun(long planned, long accepted, List<Double> requestMs, double acceptedPerSecond,
                            double completedPerSecond, double drainSeconds) {
    }

    /**
     * The same number of no-op tasks again, in batches of {@link #BATCH} as fast as {@link #BATCH_INFLIGHT} requests
     * at once allow, the noisy tenant sending its share of the batches; then the time until the queue is empty.
     */
    private BatchRun submitInBatches(List<LoadRig.Tenant> tenants, int tasks, double noisyShare, int drainSeconds)
            throws Exception {
        int batches = Math.max(1, tasks / BATCH);
        String body = "{\"tasks\":[" + String.join(",", java.util.Collections.nCopies(BATCH, "{\"kind\":\"noop\"}"))
                + "]}";
        Semaphore slots = new Semaphore(BATCH_INFLIGHT);
        CountDownLatch answered = new CountDownLatch(batches);
        AtomicLong accepted = new AtomicLong();
        AtomicLong last = new AtomicLong();
        ConcurrentLinkedQueue<Double> requestTimes = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            boolean fromNoisy = tenants.size() == 1 || Math.floor((b + 1) * noisyShare) > Math.floor(b * noisyShare);
            LoadRig.Tenant tenant = tenants.get(fromNoisy ? 0 : 1 + b % (tenants.size() - 1));
            slots.acquire();
            long sent = System.nanoTime();
            rig.http.sendAsync(HttpRequest.newBuilder(URI.create(rig.base + "/api/v1/tasks/batch"))
                            .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + tenant.key())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                        long now = System.nanoTime();
                        slots.release();
                        if (failure != null) {
                            error("batches failed: " + SseLoad.cause(failure));
                        } else if (response.statusCode() != 201) {
                            error("batch answered " + response.statusCode());
                        } else {
                            accepted.addAndGet(BATCH);
                            requestTimes.add((now - sent) / 1e6);
                            last.accumulateAndGet(now, Math::max);
                        }
                        answered.countDown();
                    });
        }
        answered.await(10, TimeUnit.MINUTES);
        long lastAccepted = last.get() == 0 ? System.nanoTime() : last.get();
        long deadline = System.nanoTime() + Duration.ofSeconds(drainSeconds).toNanos();
        long drained = -1;
        while (System.nanoTime() < deadline) {
            long[] depth = depth();
            if (depth[0] + depth[1] == 0) {
                drained = System.nanoTime();
                break;
            }
            Thread.sleep(50);
        }
        double acceptedSeconds = (lastAccepted - start) / 1e9;
        return new BatchRun((long) batches * BATCH, accepted.get(), List.copyOf(requestTimes),
                accepted.get() / acceptedSeconds, drained < 0 ? Double.NaN : accepted.get() / ((drained - start) / 1e9),
                drained < 0 ? -1 : Math.max(0, drained - lastAccepted) / 1e9);
    }

    private void error(String kind) {
        errors.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    private static int countOf(int[] tenantOf, int tenant) {
        int n = 0;
        for (int t : tenantOf) {
            n += t == tenant ? 1 : 0;
        }
        return n;
    }

    /** A few hundred tasks first, so the server's JIT has seen the path; not counted (they precede the run). */
    private void warmUp(LoadRig.Tenant tenant) throws Exception {
        Semaphore slots = new Semaphore(16);
        CountDownLatch done = new CountDownLatch(500);
        for (int i = 0; i < 500; i++) {
            slots.acquire();
            rig.sendAsync("POST", "/api/v1/tasks", tenant.key(), "{\"kind\":\"noop\"}", 201)
                    .whenComplete((r, f) -> {
                        slots.release();
                        done.countDown();
                    });
        }
        done.await(5, TimeUnit.MINUTES);
        long until = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < until && depth()[0] + depth()[1] > 0) {
            Thread.sleep(200);
        }
    }

    private void sampleDepth(List<Depth> depths) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                long[] depth = depth();
                synchronized (depths) {
                    depths.add(new Depth(System.nanoTime(), depth[0], depth[1]));
                }
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // a reading missed under load; the next one counts
            }
        }
    }

    /** Waiting (scheduled, available, retryable) and running jobs, over the partial indexes. */
    private long[] depth() throws Exception {
        try (Connection sql = rig.database.connect("steward", EmbeddedDatabase.SUPERUSER);
             ResultSet row = sql.createStatement().executeQuery("SELECT"
                     + " (SELECT count(*) FROM dispatch.jobs WHERE state IN ('scheduled', 'available', 'retryable')),"
                     + " (SELECT count(*) FROM dispatch.jobs WHERE state = 'running')")) {
            row.next();
            return new long[] {row.getLong(1), row.getLong(2)};
        }
    }

    private long finished(String since) throws Exception {
        try (Connection sql = rig.database.connect("steward", EmbeddedDatabase.SUPERUSER);
             ResultSet row = sql.createStatement().executeQuery("SELECT count(*) FROM dispatch.jobs WHERE"
                     + " created_at >= '" + since + "' AND state IN ('completed', 'failed', 'cancelled')")) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The run's jobs finished by a moment of the database's clock. */
    private long finishedBy(String since, String moment) throws Exception {
        try (Connection sql = rig.database.connect("steward", EmbeddedDatabase.SUPERUSER);
             PreparedStatement query = sql.prepareStatement("SELECT count(*) FROM dispatch.jobs WHERE kind = 'noop'"
                     + " AND created_at >= ?::timestamptz AND finished_at <= ?::timestamptz")) {
            query.setString(1, since);
            query.setString(2, moment);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** What the run's jobs say, from their rows. */
    private static final class Jobs {
        final Map<String, Long> states = new TreeMap<>();
        final List<Double> noisy = new ArrayList<>();
        final List<Double> quiet = new ArrayList<>();
        final List<Double> noisyWait = new ArrayList<>();
        final List<Double> quietWait = new ArrayList<>();
        double worstQuietP95;
        double quietDoneSeconds;
        double noisyDoneSeconds;
        long noisyBacklogAtQuietDone;
        double throughput;
        double peakSecond;
    }

    private Jobs jobs(String since, Map<String, Integer> tenantIndex, int tenantCount) throws Exception {
        Jobs jobs = new Jobs();
        Map<Integer, List<Double>> byTenant = new HashMap<>();
        List<double[]> noisyFinished = new ArrayList<>();
        double first = Double.MAX_VALUE;
        double quietLast = 0;
        double noisyLast = 0;
        double lastFinish = 0;
        Map<Long, Integer> perSecond = new HashMap<>();
        try (Connection sql = rig.database.connect("steward", EmbeddedDatabase.SUPERUSER);
             PreparedStatement query = sql.prepareStatement("SELECT tenant_id::text, state,"
                     + " extract(epoch FROM created_at) * 1000, extract(epoch FROM started_at) * 1000,"
                     + " extract(epoch FROM finished_at) * 1000 FROM dispatch.jobs"
                     + " WHERE created_at >= ?::timestamptz AND kind = 'noop'")) {
            query.setString(1, since);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Integer tenant = tenantIndex.get(rows.getString(1));
                    jobs.states.merge(rows.getString(2), 1L, Long::sum);
                    double created = rows.getDouble(3);
                    double startedAt = rows.getDouble(4);
                    boolean started = !rows.wasNull();
                    double finishedAt = rows.getDouble(5);
                    boolean finished = !rows.wasNull();
                    first = Math.min(first, created);
                    if (tenant == null || !finished) {
                        continue;
                    }
                    double completion = finishedAt - created;
                    lastFinish = Math.max(lastFinish, finishedAt);
                    perSecond.merge((long) (finishedAt / 1000), 1, Integer::sum);
                    if (tenant == 0) {
                        jobs.noisy.add(completion);
                        noisyFinished.add(new double[] {finishedAt});
                        noisyLast = Math.max(noisyLast, finishedAt);
                        if (started) {
                            jobs.noisyWait.add(startedAt - created);
                        }
                    } else {
                        jobs.quiet.add(completion);
                        byTenant.computeIfAbsent(tenant, t -> new ArrayList<>()).add(completion);
                        quietLast = Math.max(quietLast, finishedAt);
                        if (started) {
                            jobs.quietWait.add(startedAt - created);
                        }
                    }
                }
            }
        }
        jobs.worstQuietP95 = byTenant.values().stream().mapToDouble(l -> LoadReport.Percentiles.of(l).p95())
                .max().orElse(Double.NaN);
        jobs.quietDoneSeconds = quietLast == 0 ? Double.NaN : (quietLast - first) / 1000;
        jobs.noisyDoneSeconds = noisyLast == 0 ? Double.NaN : (noisyLast - first) / 1000;
        double quietDone = quietLast;
        jobs.noisyBacklogAtQuietDone = noisyFinished.stream().filter(f -> f[0] > quietDone).count();
        long completed = jobs.noisy.size() + jobs.quiet.size();
        jobs.throughput = lastFinish > first ? completed / ((lastFinish - first) / 1000) : Double.NaN;
        jobs.peakSecond = perSecond.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return jobs;
    }
}
