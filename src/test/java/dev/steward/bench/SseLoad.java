package dev.steward.bench;

import dev.steward.testing.EmbeddedDatabase;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load: many concurrent sessions, each with its SSE stream open for the whole run, on one Steward node and the
 * built-in model ({@code steward-scripted}, no network), on loopback.
 *
 * <p>The sessions are spread over tenants (ten to a tenant by default, each tenant with one agent), so no tenant or
 * agent concurrency quota holds a turn back: the run measures the platform, not a refusal. When a tenant gets more
 * sessions than its agent's default concurrency (25) or the tenant's (100), the operator's quotas API raises them.
 *
 * <p>All streams are opened at once (time to first event: request sent to {@code session.started} received), then
 * every session does its turns one after another with a think time between them (turn: POST sent to
 * {@code turn.completed} on the stream; also to its first event, {@code turn.received}, and to its first
 * {@code token}). A stream that ends early is counted as dropped and reopened with {@code Last-Event-ID}. At the
 * end each session's events are read from {@code GET /events} (JSON) and compared with what its stream delivered:
 * a missing event, a gap or a repeat in the ids is an error, as are non-2xx answers, failed turns and turns that
 * never completed.
 *
 * <p>Options: {@code -Dload.sessions=N} (1000), {@code -Dload.tenants=N} (sessions / 10), {@code -Dload.turns=N}
 * (3), {@code -Dload.thinkMillis=N} (1000, each pause drawn from 0.5x to 1.5x), {@code -Dload.turnTimeoutSeconds=N}
 * (120), and server settings as {@code -Dload.env.STEWARD_...=value}. Prints a table, writes
 * {@code target/bench/sse-load.json}, and exits 1 when an acceptance check failed.
 */
public final class SseLoad {

    private static final int AGENT_CONCURRENCY_DEFAULT = 25;
    private static final int TENANT_CONCURRENCY_DEFAULT = 100;
    private static final int MAX_RECONNECTS = 5;

    private final LoadRig rig;
    private final int turns;
    private final long thinkMillis;
    private final Duration turnTimeout;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "sse-load-timer");
        thread.setDaemon(true);
        return thread;
    });

    // What the clients saw, across sessions.
    private final ConcurrentLinkedQueue<Double> streamHeadersMs = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Double> streamFirstEventMs = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Double> turnFirstEventMs = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Double> turnFirstTokenMs = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Double> turnMs = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Double> postMs = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
    private final AtomicInteger openStreams = new AtomicInteger();
    private final AtomicInteger peakOpenStreams = new AtomicInteger();
    private final AtomicInteger turnsDone = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    private SseLoad(LoadRig rig, int turns, long thinkMillis, Duration turnTimeout) {
        this.rig = rig;
        this.turns = turns;
        this.thinkMillis = thinkMillis;
        this.turnTimeout = turnTimeout;
    }

    public static void main(String[] args) throws Exception {
        int sessions = Integer.getInteger("load.sessions", 1000);
        int tenantCount = Integer.getInteger("load.tenants", Math.max(1, (sessions + 9) / 10));
        int turns = Integer.getInteger("load.turns", 3);
        long think = Long.getLong("load.thinkMillis", 1000);
        Duration turnTimeout = Duration.ofSeconds(Integer.getInteger("load.turnTimeoutSeconds", 120));
        boolean passed;
        System.out.printf(Locale.ROOT, "SSE load: %,d sessions over %,d tenants, %d turns each, think %d ms%n",
                sessions, tenantCount, turns, think);
        try (LoadRig rig = LoadRig.start("sse-load", Map.of())) {
            SseLoad load = new SseLoad(rig, turns, think, turnTimeout);
            passed = load.run(sessions, tenantCount);
        }
        System.exit(passed ? 0 : 1);
    }

    /** One session: its stream, the turn it is on, and what it has seen. Guarded by itself. */
    private final class Client implements Flow.Subscriber<String> {
        final LoadRig.Tenant tenant;
        final String sessionId;
        final CountDownLatch opened;
        final CountDownLatch finished;
        final BitSet ids = new BitSet();
        long lastId;
        int gaps;
        int repeats;
        int reconnects;
        boolean closing;
        boolean started;
        boolean done;
        long openSent;
        Flow.Subscription subscription;
        // the event being parsed
        String type = "message";
        long id = -1;
        boolean hasData;
        // the turn in flight: its number (1..turns; 0 before the first), when it was posted, what it has seen
        int turn;
        long posted;
        boolean turnSawEvent;
        boolean turnSawToken;
        boolean turnOver = true;
        ScheduledFuture<?> timeout;

        Client(LoadRig.Tenant tenant, String sessionId, CountDownLatch opened, CountDownLatch finished) {
            this.tenant = tenant;
            this.sessionId = sessionId;
            this.opened = opened;
            this.finished = finished;
        }

        void open() {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(rig.base + "/api/v1/sessions/"
                            + sessionId + "/events")).header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer " + tenant.key()).GET();
            synchronized (this) {
                if (lastId > 0) {
                    request.header("Last-Event-ID", Long.toString(lastId));
                }
                openSent = System.nanoTime();
            }
            requests.incrementAndGet();
            rig.http.sendAsync(request.build(), info -> {
                synchronized (this) {
                    if (!started) {
                        streamHeadersMs.add((System.nanoTime() - openSent) / 1e6);
                    }
                }
                if (info.statusCode() != 200) {
                    error("stream answered " + info.statusCode());
                    return HttpResponse.BodySubscribers.discarding();
                }
                return HttpResponse.BodySubscribers.fromLineSubscriber(this);
            }).whenComplete((response, failure) -> {
                if (failure != null) {
                    ended("stream failed: " + cause(failure));
                } else if (response.statusCode() != 200) {
                    ended(null);
                }
            });
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            synchronized (this) {
                this.subscription = subscription;
            }
            int open = openStreams.incrementAndGet();
            peakOpenStreams.accumulateAndGet(open, Math::max);
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.isEmpty()) {
                if (hasData) {
                    event(id, type);
                }
                type = "message";
                id = -1;
                hasData = false;
            } else if (line.startsWith("id:")) {
                id = Long.parseLong(line.substring(3).trim());
            } else if (line.startsWith("event:")) {
                type = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                hasData = true;
            }
        }

        @Override
        public void onError(Throwable failure) {
            openStreams.decrementAndGet();
            ended("stream failed: " + cause(failure));
        }

        @Override
        public void onComplete() {
            openStreams.decrementAndGet();
            ended("stream ended by the server");
        }

        /** The stream is over: unless we closed it, a dropped stream, reopened from the last event. */
        private void ended(String why) {
            synchronized (this) {
                if (closing) {
                    return;
                }
                subscription = null;
                if (why != null) {
                    error("dropped streams");
                    error(why);
                }
                if (++reconnects > MAX_RECONNECTS) {
                    error("sessions given up (stream reopened " + MAX_RECONNECTS + " times)");
                    closing = true;
                    if (!started) {
                        started = true;
                        opened.countDown();
                    }
                    finish();
                    return;
                }
            }
            timers.schedule(this::open, 500, TimeUnit.MILLISECONDS);
        }

        private synchronized void event(long eventId, String eventType) {
            long now = System.nanoTime();
            if (eventId <= 0) {
                error("events without an id");
            } else if (ids.get((int) eventId)) {
                repeats++;
            } else {
                if (eventId != lastId + 1) {
                    gaps++;
                }
                ids.set((int) eventId);
                lastId = Math.max(lastId, eventId);
            }
            if (!started) {
                started = true;
                streamFirstEventMs.add((now - openSent) / 1e6);
                if (!"session.started".equals(eventType)) {
                    error("streams whose first event was not session.started");
                }
                opened.countDown();
                return;
            }
            if (turnOver) {
                return;
            }
            if (!turnSawEvent) {
                turnSawEvent = true;
                turnFirstEventMs.add((now - posted) / 1e6);
            }
            if ("token".equals(eventType) && !turnSawToken) {
                turnSawToken = true;
                turnFirstTokenMs.add((now - posted) / 1e6);
            }
            if ("turn.completed".equals(eventType)) {
                turnMs.add((now - posted) / 1e6);
                turnsDone.incrementAndGet();
                endTurn(turn);
            } else if ("turn.failed".equals(eventType)) {
                error("turns failed");
                endTurn(turn);
            }
        }

        /** Starts the next turn after a think time, or finishes. */
        void next() {
            long pause = thinkMillis <= 0 ? 0 : ThreadLocalRandom.current().nextLong(thinkMillis / 2,
                    thinkMillis * 3 / 2 + 1);
            timers.schedule(this::post, pause, TimeUnit.MILLISECONDS);
        }

        private void post() {
            int number;
            synchronized (this) {
                number = ++turn;
                posted = System.nanoTime();
                turnSawEvent = false;
                turnSawToken = false;
                turnOver = false;
                timeout = timers.schedule(() -> {
                    error("turns without turn.completed within " + turnTimeout.toSeconds() + " s");
                    endTurn(number);
                }, turnTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            requests.incrementAndGet();
            long sent = System.nanoTime();
            rig.http.sendAsync(HttpRequest.newBuilder(URI.create(rig.base + "/api/v1/sessions/" + sessionId
                                    + "/turns")).timeout(turnTimeout).header("Authorization", "Bearer " + tenant.key())
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"input\":\"turn " + number + " of the load test: hello there\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                        if (failure != null) {
                            error("turn POSTs failed: " + cause(failure) + " (turn " + number + ")");
                            endTurn(number);
                        } else if (response.statusCode() != 202) {
                            error("turn POSTs answered " + response.statusCode());
                            endTurn(number);
                        } else {
                            postMs.add((System.nanoTime() - sent) / 1e6);
                        }
                    });
        }

        private void endTurn(int number) {
            synchronized (this) {
                if (number != turn || turnOver) {
                    return;
                }
                turnOver = true;
                if (timeout != null) {
                    timeout.cancel(false);
                }
                if (turn >= turns || closing) {
                    finish();
                    return;
                }
            }
            next();
        }

        private void finish() {
            if (!done) {
                done = true;
                finished.countDown();
            }
        }

        void close() {
            Flow.Subscription open;
            synchronized (this) {
                closing = true;
                open = subscription;
            }
            if (open != null) {
                open.cancel();
            }
        }
    }

    /** The exception under the future's wrapper: its class and message. */
    static String cause(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage());
    }

    private void error(String kind) {
        errors.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    private boolean run(int sessionCount, int tenantCount) throws Exception {
        long setupStarted = System.nanoTime();
        List<LoadRig.Tenant> tenants = rig.createTenants("sse", tenantCount);
        int perTenant = (sessionCount + tenantCount - 1) / tenantCount;
        List<String> agents = new ArrayList<>();
        for (LoadRig.Tenant tenant : tenants) {
            agents.add(((JsonObject) rig.send("POST", "/api/v1/agents", tenant.key(), "{\"name\":\"load\",\"kind\":"
                    + "\"llm\",\"model\":\"steward-scripted\",\"instructions\":\"Answer briefly.\"}", 201))
                    .getString("id"));
        }
        String quotas = quotas(tenants, agents, perTenant);
        warmUp(tenants.get(0), agents.get(0));
        double alone = alone(tenants.get(0), agents.get(0));

        String since = rig.databaseNow();
        // The sessions, 32 requests at a time.
        List<CompletableFuture<String>> creating = new ArrayList<>();
        Semaphore slots = new Semaphore(32);
        for (int i = 0; i < sessionCount; i++) {
            int t = i % tenantCount;
            slots.acquire();
            creating.add(rig.sendAsync("POST", "/api/v1/sessions", tenants.get(t).key(), "{\"agentId\":\""
                    + agents.get(t) + "\"}", 201).thenApply(s -> ((JsonObject) s).getString("id"))
                    .whenComplete((s, f) -> slots.release()));
        }
        CountDownLatch opened = new CountDownLatch(sessionCount);
        CountDownLatch finished = new CountDownLatch(sessionCount);
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < sessionCount; i++) {
            clients.add(new Client(tenants.get(i % tenantCount), creating.get(i).join(), opened, finished));
        }
        System.out.printf(Locale.ROOT, "  set up %,d tenants, their agents and %,d sessions in %.1f s; %s%n",
                tenantCount, sessionCount, (System.nanoTime() - setupStarted) / 1e9, quotas);

        ResourceMonitor monitor = new ResourceMonitor(rig, Path.of("target/bench/sse-load-work/pgdata")).start();
        long started = System.nanoTime();
        clients.forEach(Client::open);
        boolean allOpen = opened.await(120, TimeUnit.SECONDS);
        double openSeconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "  %,d streams open (first event received) in %.1f s%n",
                sessionCount - opened.getCount(), openSeconds);
        long turnsStarted = System.nanoTime();
        clients.forEach(Client::next);
        long deadline = System.nanoTime() + turnTimeout.toNanos() * (turns + 1) + thinkMillis * 2_000_000L * turns;
        while (!finished.await(10, TimeUnit.SECONDS) && System.nanoTime() < deadline) {
            System.out.printf(Locale.ROOT, "  ... %,d of %,d turns done, %,d streams open%n", turnsDone.get(),
                    sessionCount * turns, openStreams.get());
        }
        double turnSeconds = (System.nanoTime() - turnsStarted) / 1e9;
        ResourceMonitor.Usage usage = monitor.stop();
        java.nio.file.Files.writeString(Path.of("target/bench/sse-load-work/metrics-end.txt"), monitor.lastMetrics());
        int streamsAtEnd = openStreams.get();
        if (finished.getCount() > 0) {
            error("sessions unfinished at the deadline");
        }

        // What each stream delivered against the session's events as stored.
        int missing = 0;
        int extra = 0;
        Semaphore reads = new Semaphore(16);
        List<CompletableFuture<int[]>> compared = new ArrayList<>();
        for (Client client : clients) {
            reads.acquire();
            compared.add(rig.sendAsync("GET", "/api/v1/sessions/" + client.sessionId + "/events?after=0&limit=1000",
                    client.tenant.key(), null, 200).thenApply(page -> compare(client, (JsonArray) page))
                    .whenComplete((r, f) -> reads.release()));
        }
        for (CompletableFuture<int[]> difference : compared) {
            int[] d = difference.join();
            missing += d[0];
            extra += d[1];
        }
        int gaps = clients.stream().mapToInt(c -> c.gaps).sum();
        int repeats = clients.stream().mapToInt(c -> c.repeats).sum();
        clients.forEach(Client::close);
        Map<String, Long> turnStates = turnStates(since);
        double[] queueWait = SessionBench.percentiles(rig.database, "SELECT extract(epoch FROM j.started_at"
                + " - j.created_at) * 1000 FROM dispatch.jobs j WHERE j.kind = 'session.turn' AND j.created_at >= '"
                + since + "'");

        int expectedTurns = sessionCount * turns;
        long errorCount = errors.values().stream().mapToLong(AtomicInteger::get).sum() + missing + extra + gaps
                + repeats;
        LoadReport report = new LoadReport("SSE load: " + sessionCount + " concurrent sessions with streams");
        String scale = "scale";
        report.count(scale, "sessions", "sessions (each with its SSE stream open throughout)", sessionCount)
                .count(scale, "tenants", "tenants (one agent each, steward-scripted)", tenantCount)
                .count(scale, "turns_per_session", "turns per session", turns)
                .value(scale, "think_ms", "think time between turns (mean)", thinkMillis, "ms")
                .text(scale, "quotas", "quotas", quotas)
                .text(scale, "server", "server settings", settings())
                .count(scale, "peak_open_streams", "streams open at once (peak)", peakOpenStreams.get())
                .value(scale, "open_seconds", "all streams open (first event on each) after", openSeconds, "s")
                .value(scale, "turn_seconds", "all turns done after", turnSeconds, "s")
                .value(scale, "turns_per_s", "turns per second", turnsDone.get() / turnSeconds, "/s");
        String lat = "latency (client side, ms)";
        report.value(lat, "stream_first_event_alone", "one stream alone, opened -> session.started (median of 5)",
                        alone, "ms")
                .latency(lat, "stream_headers", "stream opened -> response headers",
                        LoadReport.Percentiles.of(streamHeadersMs))
                .latency(lat, "stream_first_event", "stream opened -> session.started",
                        LoadReport.Percentiles.of(streamFirstEventMs))
                .latency(lat, "turn_first_event", "turn POSTed -> turn.received", LoadReport.Percentiles.of(
                        turnFirstEventMs))
                .latency(lat, "turn_first_token", "turn POSTed -> first token", LoadReport.Percentiles.of(
                        turnFirstTokenMs))
                .latency(lat, "turn", "turn POSTed -> turn.completed", LoadReport.Percentiles.of(turnMs))
                .latency(lat, "turn_post", "turn POST answered (202)", LoadReport.Percentiles.of(postMs))
                .count(scale, "quota_deferrals", "turn jobs held back by a quota (deferrals, /metrics)",
                        (long) monitor.total("steward_dispatch_deferrals_total"))
                .value(lat, "turn_queue_wait_p50", "turn job queue wait p50 (server)", queueWait[0], "ms")
                .value(lat, "turn_queue_wait_p99", "turn job queue wait p99 (server)", queueWait[1], "ms");
        String err = "errors";
        report.count(err, "requests", "requests and streams opened", requests.get())
                .count(err, "turns_completed", "turns completed (of " + expectedTurns + ")", turnsDone.get());
        new TreeMap<>(errors).forEach((kind, n) -> report.count(err, kind.toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "_"), kind, n.get()));
        report.count(err, "events_missing", "events stored but never streamed", missing)
                .count(err, "events_unknown", "events streamed but not stored", extra)
                .count(err, "event_id_gaps", "gaps in a stream's event ids", gaps)
                .count(err, "event_repeats", "events streamed twice", repeats)
                .text(err, "turn_states", "turns in the database by state", turnStates.toString())
                .value(err, "error_rate", "error rate (errors / turns)", errorCount / (double) expectedTurns, "");
        report.resources(usage);
        report.check("no_errors", "no errors: every request 2xx, no stream dropped, no event missing",
                        errorCount == 0, errorCount + " errors")
                .check("all_turns", "every turn completed, on the stream and in the database",
                        turnsDone.get() == expectedTurns && turnStates.getOrDefault("done", 0L) == expectedTurns
                                && turnStates.size() == 1,
                        turnsDone.get() + " of " + expectedTurns + " seen completed; database " + turnStates)
                .check("all_streams", "every stream was open at once", allOpen
                        && peakOpenStreams.get() >= sessionCount, "peak " + peakOpenStreams.get()
                        + " of " + sessionCount + " open; " + streamsAtEnd + " still open at the end");
        report.print("sse-load.json");
        return report.passed();
    }

    /** Raises the tenant's and its agent's concurrency when a tenant gets more sessions than the defaults allow. */
    private String quotas(List<LoadRig.Tenant> tenants, List<String> agents, int perTenant) {
        int agentLimit = Integer.parseInt(rig.setting("STEWARD_QUOTA_AGENT_CONCURRENCY",
                String.valueOf(AGENT_CONCURRENCY_DEFAULT)));
        int tenantLimit = Integer.parseInt(rig.setting("STEWARD_QUOTA_TENANT_CONCURRENCY",
                String.valueOf(TENANT_CONCURRENCY_DEFAULT)));
        if ((agentLimit == 0 || perTenant <= agentLimit) && (tenantLimit == 0 || perTenant <= tenantLimit)) {
            return "defaults kept: at most " + perTenant + " sessions per tenant and agent, within agent"
                    + " concurrency " + agentLimit + " and tenant concurrency " + tenantLimit;
        }
        for (int i = 0; i < tenants.size(); i++) {
            String path = "/api/v1/admin/tenants/" + tenants.get(i).id() + "/quotas/";
            rig.send("PUT", path + "tenant", rig.adminToken, "{\"concurrency\":" + perTenant + "}", 200);
            rig.send("PUT", path + "agent:" + agents.get(i), rig.adminToken, "{\"concurrency\":" + perTenant + "}",
                    200);
        }
        return "raised through the operator's quotas API: tenant and agent concurrency " + perTenant
                + " (the sessions per tenant)";
    }

    /** A few turns on one session, so the server's JIT has seen the path; not counted. */
    private void warmUp(LoadRig.Tenant tenant, String agent) throws Exception {
        String session = ((JsonObject) rig.send("POST", "/api/v1/sessions", tenant.key(), "{\"agentId\":\"" + agent
                + "\"}", 201)).getString("id");
        for (int i = 0; i < 20; i++) {
            String turn = ((JsonObject) rig.send("POST", "/api/v1/sessions/" + session + "/turns", tenant.key(),
                    "{\"input\":\"warm up\"}", 202)).getString("id");
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < until && !"done".equals(((JsonObject) rig.send("GET", "/api/v1/sessions/"
                    + session + "/turns/" + turn, tenant.key(), null, 200)).getString("state"))) {
                Thread.sleep(20);
            }
        }
    }

    /** Stream request to first event for one stream on an otherwise idle server: the median of five, in ms. */
    private double alone(LoadRig.Tenant tenant, String agent) throws Exception {
        String session = ((JsonObject) rig.send("POST", "/api/v1/sessions", tenant.key(), "{\"agentId\":\"" + agent
                + "\"}", 201)).getString("id");
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long sent = System.nanoTime();
            HttpResponse<java.util.stream.Stream<String>> response = rig.http.send(HttpRequest.newBuilder(
                            URI.create(rig.base + "/api/v1/sessions/" + session + "/events"))
                    .header("Accept", "text/event-stream").header("Authorization", "Bearer " + tenant.key()).build(),
                    HttpResponse.BodyHandlers.ofLines());
            try (java.util.stream.Stream<String> lines = response.body()) {
                if (lines.anyMatch(line -> line.startsWith("data:"))) {
                    times.add((System.nanoTime() - sent) / 1e6);
                }
            }
        }
        return LoadReport.Percentiles.of(times).p50();
    }

    /** Events stored but not streamed, and streamed but not stored. */
    private static int[] compare(Client client, JsonArray stored) {
        BitSet expected = new BitSet();
        for (JsonValue event : stored) {
            expected.set((int) ((JsonObject) event).getJsonNumber("id").longValue());
        }
        BitSet streamed;
        synchronized (client) {
            streamed = (BitSet) client.ids.clone();
        }
        BitSet missing = (BitSet) expected.clone();
        missing.andNot(streamed);
        streamed.andNot(expected);
        return new int[] {missing.cardinality(), streamed.cardinality()};
    }

    private Map<String, Long> turnStates(String since) throws Exception {
        Map<String, Long> states = new TreeMap<>();
        try (Connection sql = rig.database.connect("steward", EmbeddedDatabase.SUPERUSER);
             ResultSet rows = sql.createStatement().executeQuery("SELECT t.state, count(*) FROM sessions.turns t"
                     + " JOIN sessions.sessions s ON s.tenant_id = t.tenant_id AND s.id = t.session_id"
                     + " WHERE s.created_at >= '" + since + "' GROUP BY t.state")) {
            while (rows.next()) {
                states.put(rows.getString(1), rows.getLong(2));
            }
        }
        return states;
    }

    private String settings() {
        return String.format(Locale.ROOT, "dispatch workers %s, DB pool %s, PostgreSQL max_connections 100, %s",
                rig.setting("STEWARD_DISPATCH_WORKERS", "8 (default)"),
                rig.setting("STEWARD_DB_POOL_SIZE", "20 (default)"), "Liberty -Xmx512m, default executor");
    }
}
