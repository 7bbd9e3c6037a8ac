package dev.steward.devserver;

import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.FreePorts;
import dev.steward.testing.LibertyServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./mvnw -Prun}: Steward on a developer's machine, in the foreground until Ctrl-C.
 *
 * <p>Without {@code STEWARD_DB_URL} it runs an embedded PostgreSQL whose data lives under {@code STEWARD_DATA_DIR}
 * (default {@code .steward/} in the project), kept between runs, and seeds the demo tenant. Credentials not given
 * in the environment are generated once and kept in that directory, so the printed demo key keeps working. Then
 * it starts the Liberty server that {@code package} assembled and prints how to reach it once it is ready.
 */
public final class DevServer {

    private DevServer() {
    }

    public static void main(String[] args) throws Exception {
        Path project = Path.of(System.getProperty("steward.project.dir", ".")).toAbsolutePath();
        Path wlp = Path.of(System.getProperty("steward.server.dir", project.resolve("target/liberty/wlp").toString()));
        Path dataDir = env("STEWARD_DATA_DIR").map(Path::of).orElse(project.resolve(".steward")).toAbsolutePath();
        DevSecrets secrets = DevSecrets.loadOrCreate(dataDir.resolve("dev-secrets.properties"));

        Map<String, String> environment = new HashMap<>(System.getenv());
        int port = env("STEWARD_HTTP_PORT").map(Integer::parseInt).orElseGet(DevServer::defaultPort);
        environment.put("STEWARD_HTTP_PORT", String.valueOf(port));
        environment.putIfAbsent("STEWARD_ADMIN_TOKEN", secrets.adminToken());
        environment.putIfAbsent("STEWARD_MASTER_KEY", secrets.masterKey());

        EmbeddedDatabase database = null;
        if (env("STEWARD_DB_URL").isEmpty()) {
            System.out.println("[steward] Starting the embedded PostgreSQL (data in " + dataDir.resolve("pgdata") + ")");
            database = EmbeddedDatabase.start(dataDir.resolve("pgdata"), dataDir.resolve("pg"));
            database.ensureDatabase("steward", EmbeddedDatabase.SUPERUSER);
            environment.put("STEWARD_DB_URL", database.jdbcUrl("steward"));
            environment.put("STEWARD_DB_USER", EmbeddedDatabase.SUPERUSER);
            environment.put("STEWARD_DB_PASSWORD", secrets.databasePassword());
            environment.putIfAbsent("STEWARD_DEMO_KEY", secrets.demoKey());
            environment.put("STEWARD_REPORTS_DSN", "postgresql://" + EmbeddedDatabase.SUPERUSER + "@127.0.0.1:"
                    + database.port() + "/steward");
        }

        LibertyServer server = LibertyServer.run(wlp, environment);
        EmbeddedDatabase embedded = database;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            if (embedded != null) {
                embedded.close();
            }
        }, "steward-shutdown"));

        try {
            server.awaitReady(Duration.ofMinutes(3));
            printBanner(server, environment);
            String demoKey = environment.get("STEWARD_DEMO_KEY");
            if (demoKey != null && !"false".equals(environment.get("STEWARD_DEMO_ACTIVITY"))) {
                DemoActivity.runOnce(server.baseUri().toString(), demoKey);
            }
        } catch (IllegalStateException notReady) {
            System.out.println("[steward] " + notReady.getMessage() + "; logs in " + server.logDirectory());
        }
        System.exit(server.process().waitFor());
    }

    private static int defaultPort() {
        return FreePorts.isFree(9080) ? 9080 : FreePorts.pick();
    }

    private static void printBanner(LibertyServer server, Map<String, String> environment) {
        String base = server.baseUri().toString();
        StringBuilder banner = new StringBuilder()
                .append("\n[steward] Steward is ready.\n")
                .append("[steward]   API base URL   ").append(base).append("/api/v1\n")
                .append("[steward]   Admin UI       ").append(base).append("/admin (admin@steward.local, the operator token as"
                        + " password unless STEWARD_ADMIN_PASSWORD)\n")
                .append("[steward]   OpenAPI UI     ").append(base).append("/openapi/ui\n")
                .append("[steward]   Operator token ").append(environment.get("STEWARD_ADMIN_TOKEN")).append('\n');
        String demoKey = environment.get("STEWARD_DEMO_KEY");
        if (demoKey != null) {
            banner.append("[steward]   Demo tenant    'demo', API key ").append(demoKey).append('\n')
                    .append("[steward]   Try it:        curl -H 'Authorization: Bearer ").append(demoKey).append("' ")
                    .append(base).append("/api/v1/me\n");
        }
        String reports = environment.get("STEWARD_REPORTS_DSN");
        if (reports != null) {
            banner.append("[steward]   Reports        psql ").append(reports)
                    .append(" -v from=2026-01-01 -v to=2100-01-01 -f reports/cost_by_tenant_day.sql\n");
        }
        System.out.println(banner);
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(value -> !value.isBlank());
    }
}
