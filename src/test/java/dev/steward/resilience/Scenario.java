package dev.steward.resilience;

import dev.steward.testing.DevKeys;
import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.FreePorts;
import dev.steward.testing.LibertyServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What every fault scenario shares: a fresh embedded PostgreSQL on a free port, Steward nodes as real Liberty
 * processes of the assembled server (each a copy of it under its own name, on its own free port), HTTP calls that
 * never hang (each has a timeout, and a failure is an answer with status -1), a timestamped log, the figures table
 * and the checks whose failures make the scenario fail.
 */
final class Scenario implements AutoCloseable {

    static final String DATABASE = "steward";
    static final Path WLP = Path.of("target/liberty/wlp").toAbsolutePath();

    /** One answer, or the failure to get one ({@code status} -1, {@code body} the exception). */
    record Answer(int status, String body, Map<String, List<String>> headers, long millis) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        JsonObject json() {
            try (JsonReader reader = Json.createReader(new StringReader(body))) {
                return reader.readObject();
            }
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }

        String contentType() {
            String type = header("Content-Type");
            return type == null ? "" : type;
        }
    }

    private final String name;
    private final long started = System.nanoTime();
    private final Path work;
    private final Map<String, String> environment = new HashMap<>();
    private final List<Node> nodes = new CopyOnWriteArrayList<>();
    private final Map<String, String> figures = new LinkedHashMap<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private EmbeddedDatabase database;
    private int databasePort;

    private Scenario(String name) {
        this.name = name;
        this.work = Path.of("target/resilience", name).toAbsolutePath();
    }

    /**
     * Starts the database, with Steward's environment ready for nodes: an operator token, a master key, private
     * addresses allowed for webhooks, models, remote agents and tools (the fakes run on loopback), plus
     * {@code overrides}.
     */
    static Scenario start(String name, Map<String, String> overrides) throws Exception {
        Scenario scenario = new Scenario(name);
        scenario.log("scenario %s; Liberty from %s", name, WLP);
        if (!Files.isExecutable(WLP.resolve("bin/server"))) {
            throw new IllegalStateException("No assembled server at " + WLP + ": run ./mvnw -o -q -DskipTests package");
        }
        Files.createDirectories(scenario.work);
        scenario.databasePort = FreePorts.pick();
        scenario.database = EmbeddedDatabase.startFresh(scenario.work.resolve("pgdata"), scenario.work.resolve("pg"),
                scenario.databasePort);
        scenario.database.ensureDatabase(DATABASE, EmbeddedDatabase.SUPERUSER);
        scenario.log("PostgreSQL 17 (embedded) on port %d", scenario.databasePort);
        Map<String, String> env = scenario.environment;
        env.put("STEWARD_DB_URL", scenario.database.jdbcUrl(DATABASE));
        env.put("STEWARD_DB_USER", EmbeddedDatabase.SUPERUSER);
        env.put("STEWARD_ADMIN_TOKEN", "op-" + UUID.randomUUID());
        env.put("STEWARD_MASTER_KEY", "resilience-master-key-" + UUID.randomUUID());
        env.put("STEWARD_WEBHOOK_ALLOWED_HOSTS", "127.0.0.1:*");
        env.put("STEWARD_WEBHOOK_ALLOW_PRIVATE", "true");
        env.put("STEWARD_MODELS_ALLOW_PRIVATE", "true");
        env.put("STEWARD_AGENTS_ALLOW_PRIVATE", "true");
        env.put("STEWARD_TOOLS_HTTP_ALLOW_PRIVATE", "true");
        env.put("STEWARD_SESSIONS_POLL_MILLIS", "200");
        env.putAll(overrides);
        return scenario;
    }

    /** A Steward node, {@code steward-<scenario>-<suffix>}, on a free port; waits until it is ready. */
    Node startNode(String suffix, Map<String, String> extra) {
        String server = "res-" + name + "-" + suffix;
        LibertyServer.copyServer(WLP, server);
        Map<String, String> env = new HashMap<>(environment);
        env.put("STEWARD_HTTP_PORT", String.valueOf(FreePorts.pick()));
        env.put("STEWARD_NODE_NAME", server);
        env.putAll(extra);
        long t0 = System.nanoTime();
        LibertyServer liberty = LibertyServer.start(WLP, server, env, work.resolve(server + "-launch.log"));
        Node node = new Node(server, liberty);
        nodes.add(node);
        liberty.awaitReady(Duration.ofMinutes(3));
        log("node %s ready at %s in %.1f s (JVM pid %d)", server, liberty.baseUri(), seconds(t0), node.pid());
        return node;
    }

    String adminToken() {
        return environment.get("STEWARD_ADMIN_TOKEN");
    }

    String env(String key) {
        return environment.get(key);
    }

    /** A new tenant (as the operator, through {@code node}) and its all-scopes key. */
    String newTenant(Node node, String slugPrefix) {
        String slug = slugPrefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        Answer tenant = call(node, "POST", "/api/v1/admin/tenants", adminToken(),
                "{\"slug\":\"" + slug + "\",\"name\":\"" + slugPrefix + "\"}", Duration.ofSeconds(30));
        require(tenant.status() == 201, "tenant created: " + tenant.status() + " " + tenant.body());
        Answer key = call(node, "POST", "/api/v1/admin/tenants/" + tenant.json().getString("id") + "/api-keys",
                adminToken(), "{\"name\":\"resilience\",\"scopes\":[\"*\"]}", Duration.ofSeconds(30));
        require(key.status() == 201, "key issued: " + key.status() + " " + key.body());
        return key.json().getString("key");
    }

    /** An llm agent on {@code model} with {@code extraJson} fields; its id. */
    String newAgent(Node node, String key, String agentName, String model, String extraJson) {
        Answer agent = call(node, "POST", "/api/v1/agents", key, "{\"name\":\"" + agentName + "\",\"kind\":\"llm\","
                + "\"model\":\"" + model + "\",\"instructions\":\"Answer.\"" + extraJson + "}", Duration.ofSeconds(30));
        require(agent.status() == 201, "agent created: " + agent.status() + " " + agent.body());
        return agent.json().getString("id");
    }

    String newSession(Node node, String key, String agent) {
        Answer session = call(node, "POST", "/api/v1/sessions", key, "{\"agentId\":\"" + agent + "\"}",
                Duration.ofSeconds(30));
        require(session.status() == 201, "session started: " + session.status() + " " + session.body());
        return session.json().getString("id");
    }

    /** A request with a deadline: never hangs, never throws. */
    Answer call(Node node, String method, String path, String bearer, String json, Duration timeout) {
        return call(node.baseUri(), method, path, bearer, json, timeout);
    }

    Answer call(URI base, String method, String path, String bearer, String json, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Accept", "application/json");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.headers().map(),
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException e) {
            return new Answer(-1, e.toString(), Map.of(), (System.nanoTime() - t0) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, e.toString(), Map.of(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** A connection to Steward's database as the superuser (row-level security does not bind it). */
    Connection sql() throws SQLException {
        return database.connect(DATABASE, EmbeddedDatabase.SUPERUSER);
    }

    /** Waits until the tenant has no unfinished job, or {@code timeout}; how long it waited, in seconds. */
    double awaitDrained(String tenantId, Duration timeout) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        long left = -1;
        while (System.nanoTime() < deadline) {
            left = count("SELECT count(*) FROM dispatch.jobs WHERE tenant_id = '" + tenantId + "' AND state"
                    + " NOT IN ('completed', 'failed', 'cancelled')");
            if (left == 0) {
                break;
            }
            sleep(250);
        }
        double seconds = seconds(t0);
        log("drained after %.1f s (%d jobs left)", seconds, left);
        return seconds;
    }

    void execute(String statement) throws SQLException {
        try (Connection connection = sql(); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    long count(String query) throws SQLException {
        try (Connection connection = sql(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }

    List<List<String>> rows(String query) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Connection connection = sql(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(query)) {
            int columns = row.getMetaData().getColumnCount();
            while (row.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(row.getString(i));
                }
                rows.add(values);
            }
        }
        return rows;
    }

    /** Stops PostgreSQL ({@code pg_ctl stop -m fast}: clients are disconnected at once). */
    void stopDatabase() {
        database.close();
    }

    /** Starts PostgreSQL again on the same port and data. */
    void startDatabase() {
        database = EmbeddedDatabase.start(work.resolve("pgdata"), work.resolve("pg"), databasePort);
    }

    void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[%s +%6.1fs] %s%n", name, seconds(started), String.format(Locale.ROOT,
                format, args));
        System.out.flush();
    }

    void figure(String label, String format, Object... args) {
        figures.put(label, String.format(Locale.ROOT, format, args));
    }

    /** A check: logged, and a failed one fails the scenario. */
    boolean check(boolean passed, String what) {
        log("%s %s", passed ? "ok  " : "FAIL", what);
        if (!passed) {
            failures.add(what);
        }
        return passed;
    }

    /** Prints the figures and the verdict; the process's exit code. */
    int verdict() {
        System.out.println();
        System.out.println("== " + name + ": figures");
        int width = figures.keySet().stream().mapToInt(String::length).max().orElse(10);
        figures.forEach((label, value) -> System.out.printf(Locale.ROOT, "  %-" + width + "s  %s%n", label, value));
        System.out.println();
        if (failures.isEmpty()) {
            System.out.println(name + ": PASS");
            return 0;
        }
        System.out.println(name + ": FAIL");
        failures.forEach(failure -> System.out.println("  - " + failure));
        return 1;
    }

    /** Stops the nodes still running and the database. */
    @Override
    public void close() {
        for (Node node : nodes) {
            if (node.alive()) {
                try {
                    node.liberty().close();
                } catch (RuntimeException e) {
                    log("could not stop %s: %s", node.name(), e);
                }
            }
        }
        if (database != null) {
            try {
                database.close();
            } catch (RuntimeException e) {
                log("could not stop PostgreSQL: %s", e);
            }
        }
    }

    static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("setup failed: " + what);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value at {@code quantile} of the values (nearest rank), 0 when there are none. */
    static double percentile(Collection<? extends Number> values, double quantile) {
        List<Double> sorted = values.stream().map(Number::doubleValue).sorted().toList();
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank)));
    }

    static String text(JsonObject object, String field) {
        JsonValue value = object.get(field);
        return value == null || value.getValueType() == JsonValue.ValueType.NULL ? null
                : value.getValueType() == JsonValue.ValueType.STRING ? object.getString(field) : value.toString();
    }

    /** A Steward node: its Liberty server and the JVM that runs it. */
    record Node(String name, LibertyServer liberty) {

        URI baseUri() {
            return liberty.baseUri();
        }

        /**
         * The JVM running this server of this installation: Liberty's pid file for it, checked against the process
         * table (a Java process whose command line names our installation and this server), never just any
         * {@code ws-server.jar} on the machine.
         */
        long pid() {
            Optional<ProcessHandle> jvm = fromPidFile().or(() -> ProcessHandle.allProcesses()
                    .filter(Node.this::isOurs).findFirst());
            return jvm.map(ProcessHandle::pid).orElseThrow(() -> new IllegalStateException("no JVM runs " + name));
        }

        boolean alive() {
            return fromPidFile().isPresent();
        }

        private Optional<ProcessHandle> fromPidFile() {
            Path pidFile = WLP.resolve("usr/servers/.pid/" + name + ".pid");
            try {
                if (!Files.exists(pidFile)) {
                    return Optional.empty();
                }
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::isOurs);
            } catch (IOException | NumberFormatException e) {
                return Optional.empty();
            }
        }

        private boolean isOurs(ProcessHandle process) {
            String commandLine = process.info().commandLine().orElse("");
            List<String> arguments = process.info().arguments().map(List::of).orElse(List.of());
            return commandLine.contains("ws-server.jar") && commandLine.contains(WLP.toString())
                    && arguments.contains(name);
        }

        /** SIGKILL to the server's JVM; returns its pid once it is gone. */
        long kill9() {
            long pid = pid();
            ProcessHandle jvm = ProcessHandle.of(pid).orElseThrow();
            jvm.destroyForcibly();
            jvm.onExit().join();
            return pid;
        }
    }
}
