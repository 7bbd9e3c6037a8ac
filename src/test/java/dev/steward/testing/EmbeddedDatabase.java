package dev.steward.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL 17 (zonky's binaries) on a free loopback port, its data in a directory of ours: kept between
 * runs for the developer launcher, fresh for the tests. Local connections are trusted; the superuser is
 * {@code postgres}.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts on {@code dataDirectory}, initializing it only when it holds no cluster yet. */
    public static EmbeddedDatabase start(Path dataDirectory, Path workDirectory) {
        return start(dataDirectory, workDirectory, FreePorts.pick());
    }

    /** Starts on {@code dataDirectory} and {@code port}: the same cluster again where it was (a restart). */
    public static EmbeddedDatabase start(Path dataDirectory, Path workDirectory, int port) {
        try {
            Files.createDirectories(workDirectory);
            // zonky runs initdb only when the directory holds no postgresql.conf yet, so data survives restarts.
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(workDirectory.toFile())
                    .setPort(port)
                    .setServerConfig("max_connections", "100");
            if (Boolean.getBoolean("steward.pg.statements")) {
                // For profiling a benchmark: CREATE EXTENSION pg_stat_statements, then read the view.
                builder.setServerConfig("shared_preload_libraries", "pg_stat_statements")
                        .setServerConfig("pg_stat_statements.track", "all");
            }
            return new EmbeddedDatabase(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    /** Starts on an empty {@code dataDirectory}, deleting whatever an earlier run left there. */
    public static EmbeddedDatabase startFresh(Path dataDirectory, Path workDirectory) {
        return startFresh(dataDirectory, workDirectory, FreePorts.pick());
    }

    /** Starts on an empty {@code dataDirectory} and {@code port}. */
    public static EmbeddedDatabase startFresh(Path dataDirectory, Path workDirectory, int port) {
        try {
            if (Files.exists(dataDirectory)) {
                try (var walk = Files.walk(dataDirectory)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return start(dataDirectory, workDirectory, port);
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    public Connection connect(String database, String user) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user, "");
    }

    /** Creates {@code database} owned by {@code owner} unless it exists. */
    public void ensureDatabase(String database, String owner) throws SQLException {
        try (Connection connection = connect("postgres", SUPERUSER); Statement sql = connection.createStatement()) {
            try (ResultSet found = sql.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (found.next()) {
                    return;
                }
            }
            sql.execute("CREATE DATABASE " + database + " OWNER " + owner);
        }
    }

    public void execute(String database, String statement) throws SQLException {
        try (Connection connection = connect(database, SUPERUSER); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
