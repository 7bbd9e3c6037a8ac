package dev.steward.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension for integration tests: one real Steward for the whole test run, started on first use and stopped
 * when the run ends. A fresh embedded PostgreSQL on a free port, bootstrapped the hard way, from a CREATEROLE user
 * that is not a superuser; the assembled Liberty server on another free port; random operator token, master key
 * and demo key.
 */
public final class StewardServer implements BeforeAllCallback {

    public static final String DATABASE = "steward";
    public static final String PROVISIONER = "provisioner";

    private static volatile Rig rig;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Rig.class, key -> startRig(), Rig.class);
    }

    /** The running rig; valid in any test class annotated with {@code @ExtendWith(StewardServer.class)}. */
    public static Rig rig() {
        if (rig == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(StewardServer.class)");
        }
        return rig;
    }

    private static Rig startRig() {
        Path work = Path.of(System.getProperty("steward.test.work.dir", "target/it"));
        Path wlp = Path.of(System.getProperty("steward.server.dir", "target/liberty/wlp"));
        try {
            Files.createDirectories(work);
            EmbeddedDatabase database = EmbeddedDatabase.startFresh(work.resolve("pgdata"), work.resolve("pg"));
            database.execute("postgres", "CREATE ROLE " + PROVISIONER + " LOGIN CREATEROLE PASSWORD 'provisioner'");
            database.ensureDatabase(DATABASE, PROVISIONER);

            Map<String, String> environment = new HashMap<>();
            environment.put("STEWARD_HTTP_PORT", String.valueOf(FreePorts.pick()));
            environment.put("STEWARD_DB_URL", database.jdbcUrl(DATABASE));
            environment.put("STEWARD_DB_USER", PROVISIONER);
            environment.put("STEWARD_DB_PASSWORD", "provisioner");
            environment.put("STEWARD_ADMIN_TOKEN", "op-" + UUID.randomUUID());
            environment.put("STEWARD_ADMIN_PASSWORD", "admin-" + UUID.randomUUID()); // the admin UI's operator
            environment.put("STEWARD_MASTER_KEY", "test-master-key-" + UUID.randomUUID());
            environment.put("STEWARD_DEMO_KEY", DevKeys.newApiKey());
            environment.put("STEWARD_HTTP_MAX_BODY_BYTES", "65536");
            environment.put("STEWARD_HTTP_MAX_AUDIO_BYTES", "262144"); // voice turns' own limit
            // Long enough that a test can tell a LISTEN/NOTIFY wake-up from a poll.
            environment.put("STEWARD_DISPATCH_POLL_MILLIS", "5000");
            // Webhook tasks call receivers the tests run on this machine.
            environment.put("STEWARD_WEBHOOK_ALLOWED_HOSTS", "127.0.0.1:*");
            environment.put("STEWARD_WEBHOOK_ALLOW_PRIVATE", "true");
            // Model providers too: the fake one runs on this machine.
            environment.put("STEWARD_MODELS_ALLOW_PRIVATE", "true");
            // A circuit opens after 3 failed calls and tries again after 2 s, so ModelGatewayIT sees it all.
            environment.put("STEWARD_MODELS_CIRCUIT_FAILURES", "3");
            environment.put("STEWARD_MODELS_CIRCUIT_OPEN_SECONDS", "2");
            environment.put("STEWARD_MODELS_TIMEOUT_SECONDS", "2");
            environment.put("STEWARD_QUOTA_RECHECK_MILLIS", "300");
            // Housekeeping (the rescuer, pruning) every 2 s, so that HousekeepingIT sees it work without waiting.
            environment.put("STEWARD_DISPATCH_RESCUE_SECONDS", "2");
            // A webhook that outlives this is interrupted and retried (WebhookIT): short, so the test need not wait.
            environment.put("STEWARD_DISPATCH_MAX_RUN_SECONDS_WEBHOOK", "3");
            // Sessions: evictions and expiries within seconds, long jobs polled briskly.
            environment.put("STEWARD_SESSIONS_SWEEP_SECONDS", "1");
            environment.put("STEWARD_SESSIONS_CONFIRMATION_SECONDS", "6");
            environment.put("STEWARD_SESSIONS_POLL_MILLIS", "200");
            // The audit chain is verified in stretches of 25 entries, so short test trails cross stretches too.
            environment.put("STEWARD_AUDIT_VERIFY_STRETCH", "25");
            environment.put("STEWARD_WORKFLOWS_SCHEDULE_SECONDS", "1");
            environment.put("STEWARD_TOOLS_SQL_TIMEOUT_MILLIS", "1000");
            environment.put("STEWARD_TOOLS_HTTP_ALLOW_PRIVATE", "true"); // the HTTP tool tests call loopback
            environment.put("STEWARD_TOOLS_HTTP_TIMEOUT_SECONDS", "2");
            environment.put("STEWARD_TOOLS_HTTP_MAX_BYTES", "100000");
            environment.put("STEWARD_AGENTS_ALLOW_PRIVATE", "true"); // remote agents' engines on loopback
            // Mail: GreenMail on loopback, mailboxes polled every second, a send given up after three quick tries.
            environment.put("STEWARD_EMAIL_ALLOW_PRIVATE", "true");
            environment.put("STEWARD_EMAIL_POLL_SECONDS", "1");
            environment.put("STEWARD_EMAIL_TIMEOUT_SECONDS", "3");
            environment.put("STEWARD_EMAIL_SEND_ATTEMPTS", "3");
            LibertyServer server = LibertyServer.start(wlp, environment, work.resolve("liberty-launch.log"));
            Rig started = new Rig(database, server, environment, wlp, work);
            try {
                server.awaitReady(Duration.ofMinutes(2));
            } catch (RuntimeException notReady) {
                started.close(); // leave no server behind for the next run to trip over
                throw notReady;
            }
            rig = started;
            return rig;
        } catch (Exception e) {
            throw new IllegalStateException("could not start Steward for the integration tests", e);
        }
    }

    /** The running installation and what tests need to reach it. */
    public static final class Rig implements ExtensionContext.Store.CloseableResource {
        private final EmbeddedDatabase database;
        private final LibertyServer server;
        private final Map<String, String> environment;
        private final Path wlp;
        private final Path work;

        Rig(EmbeddedDatabase database, LibertyServer server, Map<String, String> environment, Path wlp, Path work) {
            this.database = database;
            this.server = server;
            this.environment = Map.copyOf(environment);
            this.wlp = wlp;
            this.work = work;
        }

        /**
         * Starts another Steward node on the same database, configured like the first but on its own port; the
         * caller stops it. Its dispatcher shares the queue with the first node's.
         */
        public LibertyServer startNode(String name) {
            return startNode(name, Map.of());
        }

        /** {@link #startNode(String)}, with some settings of its own. */
        public LibertyServer startNode(String name, Map<String, String> settings) {
            LibertyServer.copyServer(wlp, name);
            Map<String, String> nodeEnvironment = new HashMap<>(environment);
            nodeEnvironment.putAll(settings);
            nodeEnvironment.put("STEWARD_HTTP_PORT", String.valueOf(FreePorts.pick()));
            nodeEnvironment.put("STEWARD_NODE_NAME", name); // its jobs' leases are owned as <name>/...
            LibertyServer node = LibertyServer.start(wlp, name, nodeEnvironment, work.resolve(name + "-launch.log"));
            try {
                node.awaitReady(Duration.ofMinutes(2));
                return node;
            } catch (RuntimeException notReady) {
                node.close();
                throw notReady;
            }
        }

        public String baseUri() {
            return server.baseUri().toString();
        }

        public String adminToken() {
            return environment.get("STEWARD_ADMIN_TOKEN");
        }

        /** The admin UI's first operator account: its email and password. */
        public String adminEmail() {
            return "admin@steward.local";
        }

        public String adminPassword() {
            return environment.get("STEWARD_ADMIN_PASSWORD");
        }

        public String demoKey() {
            return environment.get("STEWARD_DEMO_KEY");
        }

        public String masterKey() {
            return environment.get("STEWARD_MASTER_KEY");
        }

        public Path logDirectory() {
            return server.logDirectory();
        }

        /** Where Steward's database listens on loopback, for clients such as psql (local connections are trusted). */
        public int databasePort() {
            return database.port();
        }

        /** A connection to Steward's database as {@code user}: the superuser, or one of Steward's roles. */
        public Connection connect(String user) throws SQLException {
            return database.connect(DATABASE, user);
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
}
