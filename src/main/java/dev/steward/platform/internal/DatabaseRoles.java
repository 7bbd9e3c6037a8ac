package dev.steward.platform.internal;

import dev.steward.shared.Logs;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Logger;
import org.postgresql.PGConnection;

/**
 * Creates and keeps in shape the roles Steward runs as (and the analysts' groups), connected as the bootstrap user:
 * <ul>
 *   <li>{@value #OWNER}: owns the schemas and runs Flyway. NOINHERIT, so the platform role's policies it may
 *       assume (to hand functions to that role) never widen what its own statements see;</li>
 *   <li>{@value #APP}: every connection of the running application. NOSUPERUSER NOBYPASSRLS, so row-level
 *       security binds all it does;</li>
 *   <li>{@value #PLATFORM}: NOLOGIN; owns the SECURITY DEFINER functions that are the only cross-tenant path;</li>
 *   <li>{@value #SQL}: NOLOGIN; what the SQL tool's queries run as ({@code SET LOCAL ROLE} from the application
 *       role): it may read the documented {@code agent_sql} views and nothing else of Steward's.</li>
 *   <li>{@value #ANALYST} and {@value #PLATFORM_ANALYST}: NOLOGIN groups for people's own login roles that run the
 *       reports: a tenant analyst reads the tenants {@code reporting.analysts} names for it, a platform analyst
 *       every tenant; both read only.</li>
 * </ul>
 * Idempotent: runs at every start, so attributes drifted by hand are put back.
 */
public final class DatabaseRoles {

    public static final String OWNER = "steward_owner";
    public static final String APP = "steward_app";
    static final String PLATFORM = "steward_platform";
    static final String SQL = "steward_sql";
    static final String ANALYST = "steward_analyst";
    static final String PLATFORM_ANALYST = "steward_platform_analyst";

    private static final Logger LOG = Logs.of(DatabaseRoles.class);

    private DatabaseRoles() {
    }

    public static void ensure(Connection bootstrap, String ownerPassword, String appPassword) throws SQLException {
        try (Statement sql = bootstrap.createStatement()) {
            boolean superuser = isSuperuser(sql);
            createIfMissing(sql, OWNER);
            createIfMissing(sql, APP);
            createIfMissing(sql, PLATFORM);
            createIfMissing(sql, SQL);
            createIfMissing(sql, ANALYST);
            createIfMissing(sql, PLATFORM_ANALYST);
            // Only a superuser may even mention these attributes; roles a CREATEROLE user creates never have
            // them, and verifyUnprivileged below checks the ones that matter either way.
            String unprivileged = superuser ? " NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB" : "";
            sql.execute("ALTER ROLE " + OWNER + " WITH LOGIN NOINHERIT" + unprivileged);
            sql.execute("ALTER ROLE " + APP + " WITH LOGIN INHERIT" + unprivileged);
            setPassword(bootstrap, OWNER, ownerPassword);
            setPassword(bootstrap, APP, appPassword);
            sql.execute("ALTER ROLE " + PLATFORM + " WITH NOLOGIN" + unprivileged);
            sql.execute("ALTER ROLE " + SQL + " WITH NOLOGIN NOINHERIT" + unprivileged);
            sql.execute("ALTER ROLE " + ANALYST + " WITH NOLOGIN" + unprivileged);
            sql.execute("ALTER ROLE " + PLATFORM_ANALYST + " WITH NOLOGIN" + unprivileged);
            // steward_app may SET ROLE to it and, from PostgreSQL 16, inherits nothing from it.
            sql.execute("GRANT " + SQL + " TO " + APP + (serverVersion(sql) >= 160000 ? " WITH INHERIT FALSE" : ""));
            verifyUnprivileged(sql);
            if (!superuser) {
                // A CREATEROLE user must be a member of a role to create schemas it owns.
                sql.execute("GRANT " + OWNER + " TO CURRENT_USER");
            }
            sql.execute("GRANT " + PLATFORM + " TO " + OWNER);
            String database = currentDatabase(sql);
            sql.execute("GRANT CONNECT, CREATE ON DATABASE " + identifier(database) + " TO " + OWNER);
            sql.execute("GRANT CONNECT ON DATABASE " + identifier(database) + " TO " + APP);
            sql.execute("CREATE SCHEMA IF NOT EXISTS steward AUTHORIZATION " + OWNER);
            sql.execute("CREATE SCHEMA IF NOT EXISTS ejbtimers AUTHORIZATION " + OWNER);
            sql.execute("GRANT USAGE, CREATE ON SCHEMA ejbtimers TO " + APP);
        }
        LOG.info("Database roles " + OWNER + ", " + APP + ", " + PLATFORM + ", " + SQL + ", " + ANALYST + " and "
                + PLATFORM_ANALYST + " are in place");
    }

    /** Row-level security means nothing for a role that bypasses it: refuse to run on such roles. */
    private static void verifyUnprivileged(Statement sql) throws SQLException {
        try (ResultSet privileged = sql.executeQuery("SELECT rolname FROM pg_roles WHERE rolname IN ('" + OWNER
                + "', '" + APP + "', '" + PLATFORM + "', '" + SQL + "', '" + ANALYST + "', '" + PLATFORM_ANALYST
                + "') AND (rolsuper OR rolbypassrls OR rolcreaterole)")) {
            if (privileged.next()) {
                throw new IllegalStateException("Role " + privileged.getString(1) + " is a superuser, bypasses "
                        + "row-level security or creates roles; ALTER ROLE it NOSUPERUSER NOBYPASSRLS NOCREATEROLE");
            }
        }
    }

    private static void createIfMissing(Statement sql, String role) throws SQLException {
        try (ResultSet found = sql.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'")) {
            if (found.next()) {
                return;
            }
        }
        sql.execute("CREATE ROLE " + role);
    }

    /**
     * Sends the password already hashed (the server's password_encryption, SCRAM by default), so it appears in no
     * statement log. An empty password leaves the role's as it is: a database with trust authentication needs none.
     */
    private static void setPassword(Connection bootstrap, String role, String password) throws SQLException {
        if (!password.isEmpty()) {
            bootstrap.unwrap(PGConnection.class).alterUserPassword(role, password.toCharArray(), null);
        }
    }

    private static boolean isSuperuser(Statement sql) throws SQLException {
        try (ResultSet row = sql.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            return row.next() && row.getBoolean(1);
        }
    }

    private static int serverVersion(Statement sql) throws SQLException {
        try (ResultSet row = sql.executeQuery("SHOW server_version_num")) {
            row.next();
            return Integer.parseInt(row.getString(1));
        }
    }

    private static String currentDatabase(Statement sql) throws SQLException {
        try (ResultSet row = sql.executeQuery("SELECT current_database()")) {
            row.next();
            return row.getString(1);
        }
    }

    static String identifier(String value) {
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
