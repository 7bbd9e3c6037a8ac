package dev.steward.bench;

import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.FreePorts;
import dev.steward.testing.LibertyServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * What the load harnesses share: a fresh embedded PostgreSQL and one Steward node on free ports, the Liberty JVM's
 * process id (for its memory and CPU), an HTTP/1.1 client (one connection per stream, as browsers have), and the
 * operator's calls that make tenants and their keys.
 *
 * <p>Server settings come from the harness, then from {@code -Dload.env.NAME=value} (e.g.
 * {@code -Dload.env.STEWARD_DB_POOL_SIZE=40}), which win.
 */
final class LoadRig implements AutoCloseable {

    static {
        // Liberty closes a keep-alive connection after 30 s idle (httpOptions persistTimeout). A client that sends
        // on a pooled connection just as the server closes it gets "header parser received no bytes", and the JDK's
        // client retries only idempotent requests, not a POST. Clients must drop idle connections sooner (the JDK's
        // default keeps them 1,200 s); read once, when the JDK's connection pool is first loaded.
        System.setProperty("jdk.httpclient.keepalive.timeout", "20");
    }

    /** A tenant the harness made, with an all-scopes key. */
    record Tenant(int index, String id, String slug, String key) {
    }

    final EmbeddedDatabase database;
    final LibertyServer server;
    final URI base;
    final String adminToken;
    final HttpClient http;
    final Map<String, String> environment;
    final long serverPid;

    private LoadRig(EmbeddedDatabase database, LibertyServer server, String adminToken, Map<String, String> environment,
                    long serverPid) {
        this.database = database;
        this.server = server;
        this.base = server.baseUri();
        this.adminToken = adminToken;
        this.environment = Map.copyOf(environment);
        this.serverPid = serverPid;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Starts PostgreSQL and Steward under {@code target/bench/<name>-work}, {@code settings} in its environment. */
    static LoadRig start(String name, Map<String, String> settings) throws Exception {
        Path work = Path.of("target/bench/" + name + "-work");
        Files.createDirectories(work);
        EmbeddedDatabase database = EmbeddedDatabase.startFresh(work.resolve("pgdata"), work.resolve("pg"));
        try {
            database.ensureDatabase("steward", EmbeddedDatabase.SUPERUSER);
            String adminToken = "op-" + UUID.randomUUID();
            Map<String, String> environment = new HashMap<>();
            environment.put("STEWARD_HTTP_PORT", String.valueOf(FreePorts.pick()));
            environment.put("STEWARD_DB_URL", database.jdbcUrl("steward"));
            environment.put("STEWARD_DB_USER", EmbeddedDatabase.SUPERUSER);
            environment.put("STEWARD_ADMIN_TOKEN", adminToken);
            environment.put("STEWARD_MASTER_KEY", "load-master-key-" + UUID.randomUUID());
            environment.putAll(settings);
            System.getProperties().stringPropertyNames().stream().filter(p -> p.startsWith("load.env."))
                    .forEach(p -> environment.put(p.substring("load.env.".length()), System.getProperty(p)));
            Path wlp = Path.of("target/liberty/wlp");
            LibertyServer server = LibertyServer.start(wlp, environment, work.resolve("liberty-launch.log"));
            try {
                server.awaitReady(Duration.ofMinutes(3));
                long pid = Long.parseLong(Files.readString(wlp.resolve("usr/servers/.pid/" + LibertyServer.NAME
                        + ".pid")).trim());
                return new LoadRig(database, server, adminToken, environment, pid);
            } catch (Exception | Error notReady) {
                server.close();
                throw notReady;
            }
        } catch (Exception | Error failed) {
            database.close();
            throw failed;
        }
    }

    /** The settings that decide what the load may do, as the server got them (unset: the default). */
    String setting(String name, String defaultValue) {
        return environment.getOrDefault(name, defaultValue);
    }

    /** {@code count} tenants ({@code <prefix>-000}, ...), each with an all-scopes key, made 16 at a time. */
    List<Tenant> createTenants(String prefix, int count) throws Exception {
        List<CompletableFuture<Tenant>> made = new ArrayList<>();
        Semaphore slots = new Semaphore(16);
        for (int i = 0; i < count; i++) {
            int index = i;
            slots.acquire();
            String slug = String.format(Locale.ROOT, "%s-%03d", prefix, i);
            made.add(sendAsync("POST", "/api/v1/admin/tenants", adminToken,
                    "{\"slug\":\"" + slug + "\",\"name\":\"Load " + i + "\"}", 201)
                    .thenCompose(tenant -> sendAsync("POST", "/api/v1/admin/tenants/"
                            + ((JsonObject) tenant).getString("id") + "/api-keys", adminToken,
                            "{\"name\":\"load\",\"scopes\":[\"*\"]}", 201)
                            .thenApply(key -> new Tenant(index, ((JsonObject) tenant).getString("id"), slug,
                                    ((JsonObject) key).getString("key"))))
                    .whenComplete((tenant, failure) -> slots.release()));
        }
        List<Tenant> tenants = new ArrayList<>();
        for (CompletableFuture<Tenant> tenant : made) {
            tenants.add(tenant.join());
        }
        return tenants;
    }

    /** A request that must answer {@code expected}; its JSON body (an object or array), or a failed future. */
    CompletableFuture<JsonStructure> sendAsync(String method, String path, String token, String body, int expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
                return reader.read();
            }
        });
    }

    JsonStructure send(String method, String path, String token, String body, int expected) {
        return sendAsync(method, path, token, body, expected).join();
    }

    /** Seconds since the database's epoch clock, as a text timestamp to compare its rows with. */
    String databaseNow() throws Exception {
        try (var sql = database.connect("steward", EmbeddedDatabase.SUPERUSER);
             var now = sql.createStatement().executeQuery("SELECT clock_timestamp()::text")) {
            now.next();
            return now.getString(1);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            database.close();
        }
    }
}
