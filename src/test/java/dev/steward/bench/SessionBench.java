package dev.steward.bench;

import dev.steward.testing.DevKeys;
import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.FreePorts;
import dev.steward.testing.LibertyServer;
import dev.steward.testing.SseClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The sessions benchmark on the real thing: a Steward server on an embedded PostgreSQL, clients over HTTP and SSE.
 *
 * <ul>
 *   <li>Platform overhead per turn with the built-in model, at 1, 50 and 500 concurrent sessions (each a client
 *       that sends a turn, waits for {@code turn.completed} on its stream, and sends the next): the time from the
 *       accepted turn to its final event, minus the time spent in the model, from the turn rows (p50, p99). Beside
 *       it, the queue's part (the turn job's wait from insert to start) and what the client saw (POST sent to
 *       {@code turn.completed} received).
 *   <li>10,000 more active sessions, each with a finished turn and its events, are held in the tables while the
 *       runs at 50 and 500 concurrent sessions go on.
 *   <li>Eviction of 100,000 expired sessions (each with a turn and three events) by the sweep's function, in the
 *       sweep's batches of 5,000: seconds for all.
 * </ul>
 * Prints a table and writes {@code target/bench/sessions.json}. {@code -Dbench.seconds=N} (default 20) per level.
 */
public final class SessionBench {

    private static final int[] CONCURRENCY = {1, 50, 500};
    private static final int HELD_SESSIONS = 10_000;
    private static final int EXPIRED_SESSIONS = 100_000;
    private static final Duration TURN_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final String key;

    private SessionBench(URI base, String key) {
        this.base = base;
        this.key = key;
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 20);
        Path work = Path.of("target/bench/sessions-work");
        Files.createDirectories(work);
        try (EmbeddedDatabase database = EmbeddedDatabase.startFresh(work.resolve("pgdata"), work.resolve("pg"))) {
            database.ensureDatabase("steward", EmbeddedDatabase.SUPERUSER);
            String key = DevKeys.newApiKey();
            try (LibertyServer server = startServer(database, key, work)) {
                SessionBench bench = new SessionBench(server.baseUri(), key);
                String agent = bench.createAgent();
                Map<Integer, double[]> overhead = new LinkedHashMap<>();
                bench.run(database, agent, 1, 3); // warms the server's JIT up; not counted
                for (int sessions : CONCURRENCY) {
                    if (sessions == 50) {
                        holdSessions(database, HELD_SESSIONS);
                    }
                    double[] figures = bench.run(database, agent, sessions, seconds);
                    overhead.put(sessions, figures);
                    System.out.printf(Locale.ROOT, "  %3d concurrent sessions: %,6d turns, overhead p50 %.2f ms, p99"
                                    + " %.2f ms (queue wait p50 %.2f, p99 %.2f; client saw p50 %.2f, p99 %.2f)%n",
                            sessions, (long) figures[6], figures[0], figures[1], figures[2], figures[3], figures[4],
                            figures[5]);
                }
                double evictSeconds = evict(database);
                System.out.printf(Locale.ROOT, "  eviction of %,d expired sessions: %.2f s%n", EXPIRED_SESSIONS,
                        evictSeconds);
                write(overhead, evictSeconds, seconds);
            }
        }
    }

    static LibertyServer startServer(EmbeddedDatabase database, String key, Path work) {
        Map<String, String> environment = new HashMap<>();
        environment.put("STEWARD_HTTP_PORT", String.valueOf(FreePorts.pick()));
        environment.put("STEWARD_DB_URL", database.jdbcUrl("steward"));
        environment.put("STEWARD_DB_USER", EmbeddedDatabase.SUPERUSER);
        environment.put("STEWARD_ADMIN_TOKEN", UUID.randomUUID().toString());
        environment.put("STEWARD_MASTER_KEY", "bench-master-key-" + UUID.randomUUID());
        environment.put("STEWARD_DEMO_KEY", key);
        environment.put("STEWARD_DISPATCH_WORKERS", "64");
        // Measuring the platform, not quotas: 500 sessions of one agent may run at once.
        environment.put("STEWARD_QUOTA_TENANT_CONCURRENCY", "1000");
        environment.put("STEWARD_QUOTA_AGENT_CONCURRENCY", "1000");
        environment.put("STEWARD_QUOTA_TENANT_PER_MINUTE", "10000000");
        // The benchmark times eviction itself; the server's sweep stays out of the way.
        environment.put("STEWARD_SESSIONS_SWEEP_SECONDS", "3600");
        LibertyServer server = LibertyServer.start(Path.of("target/liberty/wlp"), environment,
                work.resolve("liberty-launch.log"));
        server.awaitReady(Duration.ofMinutes(2));
        return server;
    }

    private String createAgent() throws Exception {
        return post("/api/v1/agents", "{\"name\":\"bench\",\"kind\":\"llm\",\"model\":\"steward-scripted\","
                + "\"instructions\":\"Answer.\"}").getString("id");
    }

    /**
     * {@code sessions} clients for {@code seconds}; returns overhead p50, p99, queue wait p50, p99, client p50, p99
     * (ms) and the number of turns.
     */
    private double[] run(EmbeddedDatabase database, String agent, int sessions, int seconds) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            ids.add(post("/api/v1/sessions", "{\"agentId\":\"" + agent + "\"}").getString("id"));
        }
        String since;
        try (Connection sql = database.connect("steward", EmbeddedDatabase.SUPERUSER);
             ResultSet now = sql.createStatement().executeQuery("SELECT clock_timestamp()::text")) {
            now.next();
            since = now.getString(1);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Long> clientNanos = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(sessions);
        CountDownLatch ready = new CountDownLatch(sessions);
        List<Future<?>> done = new ArrayList<>();
        for (String session : ids) {
            done.add(clients.submit(() -> {
                try (SseClient stream = SseClient.open(base, "/api/v1/sessions/" + session + "/events", key, null)) {
                    stream.until("session.started", TURN_TIMEOUT);
                    ready.countDown();
                    ready.await();
                    for (int turn = 0; System.nanoTime() < deadline; turn++) {
                        long sent = System.nanoTime();
                        post("/api/v1/sessions/" + session + "/turns", "{\"input\":\"turn " + turn
                                + " of the benchmark\"}");
                        stream.until("turn.completed", TURN_TIMEOUT);
                        clientNanos.add(System.nanoTime() - sent);
                    }
                }
                return null;
            }));
        }
        for (Future<?> client : done) {
            client.get();
        }
        clients.shutdown();
        double[] overhead = percentiles(database, "SELECT extract(epoch FROM t.finished_at - t.created_at) * 1000"
                + " - t.model_ms FROM sessions.turns t WHERE t.state = 'done' AND t.created_at >= '" + since + "'");
        double[] queue = percentiles(database, "SELECT extract(epoch FROM j.started_at - j.created_at) * 1000"
                + " FROM dispatch.jobs j WHERE j.kind = 'session.turn' AND j.created_at >= '" + since + "'");
        List<Double> client = clientNanos.stream().map(n -> n / 1e6).sorted().toList();
        breakdown(database, since);
        return new double[] {overhead[0], overhead[1], queue[0], queue[1], at(client, 0.50), at(client, 0.99),
                overhead[2]};
    }

    /** Where a turn's time goes: p50 of the gaps between its events (received, planning, calling, completed). */
    private static void breakdown(EmbeddedDatabase database, String since) throws Exception {
        String steps = "SELECT e.turn_id,"
                + " min(e.created_at) FILTER (WHERE e.type = 'turn.received') AS received,"
                + " min(e.created_at) FILTER (WHERE e.data->>'to' = 'planning') AS planning,"
                + " min(e.created_at) FILTER (WHERE e.data->>'to' = 'calling_model') AS calling,"
                + " min(e.created_at) FILTER (WHERE e.type = 'turn.completed') AS completed"
                + " FROM sessions.events e WHERE e.created_at >= '" + since + "' AND e.turn_id IS NOT NULL"
                + " GROUP BY e.turn_id";
        double[] toPlanning = percentiles(database, "SELECT extract(epoch FROM planning - received) * 1000 FROM ("
                + steps + ") s WHERE completed IS NOT NULL");
        double[] toCalling = percentiles(database, "SELECT extract(epoch FROM calling - planning) * 1000 FROM ("
                + steps + ") s WHERE completed IS NOT NULL");
        double[] toDone = percentiles(database, "SELECT extract(epoch FROM completed - calling) * 1000 FROM ("
                + steps + ") s WHERE completed IS NOT NULL");
        System.out.printf(Locale.ROOT, "      p50 received->planning %.2f ms, planning->calling model %.2f ms,"
                + " calling model->completed %.2f ms%n", toPlanning[0], toCalling[0], toDone[0]);
    }

    /** p50, p99 and the count of a query's single numeric column. */
    static double[] percentiles(EmbeddedDatabase database, String query) throws Exception {
        try (Connection sql = database.connect("steward", EmbeddedDatabase.SUPERUSER);
             ResultSet rows = sql.createStatement().executeQuery("SELECT percentile_cont(0.5) WITHIN GROUP"
                     + " (ORDER BY v), percentile_cont(0.99) WITHIN GROUP (ORDER BY v), count(*) FROM (" + query
                     + ") AS q(v)")) {
            rows.next();
            return new double[] {rows.getDouble(1), rows.getDouble(2), rows.getLong(3)};
        }
    }

    private static double at(List<Double> sorted, double quantile) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) (quantile * sorted.size())));
    }

    /** Active sessions of the demo tenant, each with a finished turn and three events, as turns leave them. */
    private static void holdSessions(EmbeddedDatabase database, int count) throws Exception {
        long started = System.nanoTime();
        insertSessions(database, count, "now() + interval '1 day'");
        System.out.printf(Locale.ROOT, "  holding %,d more active sessions with their turns and events (inserted in"
                + " %.1f s)%n", count, (System.nanoTime() - started) / 1e9);
    }

    private static void insertSessions(EmbeddedDatabase database, int count, String expiresAt) throws Exception {
        try (Connection sql = database.connect("steward", EmbeddedDatabase.SUPERUSER);
             Statement statement = sql.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE made AS SELECT s.tenant_id, gen_random_uuid() AS id,"
                    + " s.agent_id, s.agent_version FROM (SELECT * FROM sessions.sessions LIMIT 1) s,"
                    + " generate_series(1, " + count + ")");
            statement.execute("INSERT INTO sessions.sessions (tenant_id, id, agent_id, agent_version,"
                    + " idle_ttl_seconds, expires_at, last_event_seq, turn_count, input_tokens, output_tokens)"
                    + " SELECT tenant_id, id, agent_id, agent_version, 86400, " + expiresAt + ", 3, 1, 8, 6 FROM made");
            statement.execute("INSERT INTO sessions.turns (tenant_id, id, session_id, number, input, state, answer,"
                    + " finished_at) SELECT tenant_id, gen_random_uuid(), id, 1, 'hello there', 'done',"
                    + " 'You said: hello there', now() FROM made");
            statement.execute("INSERT INTO sessions.events (tenant_id, session_id, seq, type, data)"
                    + " SELECT m.tenant_id, m.id, n, 'turn.state', '{\"to\":\"done\"}' FROM made m,"
                    + " generate_series(1, 3) n");
            statement.execute("ANALYZE sessions.sessions, sessions.turns, sessions.events");
        }
    }

    /** Seconds for the sweep's function to evict {@link #EXPIRED_SESSIONS} expired sessions in its batches. */
    private static double evict(EmbeddedDatabase database) throws Exception {
        insertSessions(database, EXPIRED_SESSIONS, "now() - interval '1 minute'");
        long started = System.nanoTime();
        int evicted = 0;
        try (Connection sql = database.connect("steward", EmbeddedDatabase.SUPERUSER)) {
            sql.setAutoCommit(false);
            try (PreparedStatement principal = sql.prepareStatement(
                    "SELECT set_config('app.principal', 'system:bench', false)")) {
                principal.executeQuery().close();
            }
            try (PreparedStatement batch = sql.prepareStatement("SELECT sessions.evict_expired(5000)")) {
                for (int count = -1; count != 0; ) {
                    try (ResultSet row = batch.executeQuery()) {
                        row.next();
                        count = row.getInt(1);
                    }
                    sql.commit();
                    evicted += count;
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (evicted < EXPIRED_SESSIONS) {
            throw new IllegalStateException("evicted " + evicted + " of " + EXPIRED_SESSIONS);
        }
        return seconds;
    }

    private static void write(Map<Integer, double[]> overhead, double evictSeconds, int seconds) throws Exception {
        var overheadJson = Json.createObjectBuilder();
        overhead.forEach((sessions, f) -> overheadJson.add(String.valueOf(sessions), Json.createObjectBuilder()
                .add("p50", round(f[0])).add("p99", round(f[1])).add("turns", (long) f[6])
                .add("queue_wait_p50", round(f[2])).add("queue_wait_p99", round(f[3]))
                .add("client_p50", round(f[4])).add("client_p99", round(f[5]))));
        JsonObject figures = Json.createObjectBuilder().add("overhead_ms", overheadJson)
                .add("evict_100k_s", round(evictSeconds)).add("held_active_sessions", HELD_SESSIONS)
                .add("seconds_per_level", seconds).add("cpus", Runtime.getRuntime().availableProcessors()).build();
        Path out = Path.of("target/bench/sessions.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, figures.toString());
        System.out.println("\nWrote " + out + ": " + figures);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private JsonObject post(String path, String body) throws Exception {
        return post(http, base, key, path, body);
    }

    /** A POST with the tenant's key; a status of 300 or more stops the benchmark with what the server said. */
    static JsonObject post(HttpClient http, URI base, String key, String path, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        }
    }
}
