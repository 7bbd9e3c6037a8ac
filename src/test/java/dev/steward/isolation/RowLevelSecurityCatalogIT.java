package dev.steward.isolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steward.testing.Api;
import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.StewardServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The isolation suite, part one: what the database catalog promises. Every table of Steward's schemas that holds
 * tenant data has row-level security enabled and forced and the one tenant policy; every other table is on an
 * explicit list of platform tables; the application role can neither bypass RLS nor read anything without a tenant.
 * A new table fails here until it follows the rules (or is argued onto the platform list).
 */
@ExtendWith(StewardServer.class)
class RowLevelSecurityCatalogIT {

    /** Tables without tenant data, each for a reason. */
    private static final Set<String> PLATFORM_TABLES = Set.of(
            "steward.flyway_schema_history",      // Flyway's own bookkeeping
            "tenancy.platform_access_log");       // who used the cross-tenant path; platform audit, no tenant rows

    /** Tables keyed by the tenant's own id rather than a tenant_id column. */
    private static final Set<String> TENANT_ROOT_TABLES = Set.of("tenancy.tenants");

    /** The policy's expression as PostgreSQL deparses it: evaluated once per query (an InitPlan), not per row. */
    private static final String POLICY =
            "( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS \"nullif\")";

    @BeforeAll
    static void someTenantDataExists() {
        Api.newTenant("catalog");
    }

    @Test
    void everyTenantTableHasForcedRowLevelSecurityAndTheTenantPolicy() throws SQLException {
        List<String> problems = new ArrayList<>();
        List<String> tenantTables = new ArrayList<>();
        eachRow("""
                     SELECT n.nspname || '.' || c.relname AS name, c.relrowsecurity, c.relforcerowsecurity,
                            EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                                    AND a.attname = 'tenant_id' AND NOT a.attisdropped) AS has_tenant_id,
                            (SELECT string_agg(pg_get_expr(p.polqual, p.polrelid), ' | ')
                               FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation')
                              AS tenant_policy,
                            EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a
                                      ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                                    WHERE i.indrelid = c.oid AND a.attname IN ('tenant_id', 'id')) AS indexed
                     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE c.relkind IN ('r', 'p')
                       AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'ejbtimers')
                       AND n.nspname NOT LIKE 'pg_toast%'
                     ORDER BY 1""", tables -> {
            String name = tables.getString("name");
            if (!tables.getBoolean("has_tenant_id") && !TENANT_ROOT_TABLES.contains(name)) {
                if (!PLATFORM_TABLES.contains(name)) {
                    problems.add(name + " has no tenant_id and is not a known platform table");
                }
                return;
            }
            tenantTables.add(name);
            if (!tables.getBoolean("relrowsecurity")) {
                problems.add(name + ": row level security is not enabled");
            }
            if (!tables.getBoolean("relforcerowsecurity")) {
                problems.add(name + ": row level security is not forced");
            }
            String column = TENANT_ROOT_TABLES.contains(name) ? "id" : "tenant_id";
            String policy = tables.getString("tenant_policy");
            if (policy == null || !policy.equals("(" + column + " = " + POLICY + ")")) {
                problems.add(name + ": tenant_isolation policy is " + policy);
            }
            if (!tables.getBoolean("indexed")) {
                problems.add(name + ": no index leads with " + column);
            }
        });
        assertTrue(tenantTables.containsAll(List.of("tenancy.tenants", "tenancy.api_keys")), tenantTables.toString());
        assertEquals(List.of(), problems);
    }

    @Test
    void noOtherPolicyWidensWhatTheApplicationSees() throws SQLException {
        // Permissive policies OR together: one more policy for PUBLIC or steward_app would undo the tenant policy.
        List<String> problems = new ArrayList<>();
        eachRow("""
                SELECT p.polrelid::regclass::text AS table_name, p.polname,
                       ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r) END
                             FROM unnest(p.polroles) r) AS roles, p.polpermissive, p.polcmd::text AS command
                FROM pg_policy p""", policy -> {
            String name = policy.getString("table_name") + "." + policy.getString("polname");
            List<String> roles = List.of((String[]) policy.getArray("roles").getArray());
            // The analysts' paths (V23) read only, and only for their own groups, which the application is not in.
            boolean reads = policy.getString("command").equals("r");
            boolean allowed = switch (policy.getString("polname")) {
                case "tenant_isolation" -> roles.equals(List.of("public"));
                case "analyst_path", "analyst_bound" -> reads && roles.equals(List.of("steward_analyst"));
                case "platform_analyst_path" -> reads && roles.equals(List.of("steward_platform_analyst"));
                default -> roles.equals(List.of("steward_platform"));
            };
            if (!allowed) {
                problems.add(name + " applies to " + roles);
            }
        });
        assertEquals(List.of(), problems);
    }

    /**
     * Views run with the caller's rights, so row-level security binds the caller. The SQL tool's {@code agent_sql}
     * views are the one exception, argued: they let {@code steward_sql} read nothing of the tables themselves, and
     * run as an owner that row-level security binds too (the tables force it and the owner cannot bypass it), so
     * they see the bound tenant's rows only; the test checks that owner.
     */
    @Test
    void viewsRunWithTheCallersRightsAndThereAreNoMaterializedViews() throws SQLException {
        List<String> problems = new ArrayList<>();
        eachRow("""
                SELECT n.nspname, n.nspname || '.' || c.relname AS name, c.relkind, c.reloptions::text AS options,
                       o.rolsuper OR o.rolbypassrls AS owner_bypasses
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_roles o ON o.oid = c.relowner
                WHERE c.relkind IN ('v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')""", view -> {
            String options = view.getString("options");
            if (view.getString("relkind").equals("m")) {
                problems.add(view.getString("name") + " is a materialized view, which row-level security cannot bind");
            } else if (view.getString("nspname").equals("agent_sql")) {
                if (view.getBoolean("owner_bypasses")) {
                    problems.add(view.getString("name") + " runs as an owner that bypasses row-level security");
                }
            } else if (options == null || !options.contains("security_invoker=true")) {
                problems.add(view.getString("name") + " is not security_invoker");
            }
        });
        assertEquals(List.of(), problems);
    }

    /**
     * The analysts' groups read only; and a tenant analyst is bound on every table it can read by a restrictive
     * policy, so setting another tenant's id in its session (which the permissive tenant policy would honour) shows
     * it nothing more.
     */
    @Test
    void analystsReadOnlyAndATenantAnalystIsBoundOnEveryTableItReads() throws SQLException {
        List<String> problems = new ArrayList<>();
        eachRow("""
                SELECT n.nspname || '.' || c.relname AS name,
                       has_any_column_privilege('steward_analyst', c.oid, 'SELECT') AS analyst_reads,
                       EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'analyst_bound'
                                  AND NOT p.polpermissive) AS bound,
                       has_table_privilege('steward_analyst', c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')
                           OR has_table_privilege('steward_platform_analyst', c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')
                           OR has_any_column_privilege('steward_analyst', c.oid, 'INSERT, UPDATE')
                           OR has_any_column_privilege('steward_platform_analyst', c.oid, 'INSERT, UPDATE') AS writes
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')""", row -> {
            if (row.getBoolean("analyst_reads") && !row.getBoolean("bound")) {
                problems.add(row.getString("name") + ": readable by steward_analyst without a restrictive bound");
            }
            if (row.getBoolean("writes")) {
                problems.add(row.getString("name") + ": an analysts' group may write to it");
            }
        });
        assertEquals(List.of(), problems);
    }

    /** The SQL tool's role can use the agent_sql views and no table or other schema of Steward's. */
    @Test
    void theSqlToolsRoleReadsTheDocumentedViewsAndNothingElse() throws SQLException {
        List<String> problems = new ArrayList<>();
        eachRow("""
                SELECT n.nspname || '.' || c.relname AS name, c.relkind::text AS kind
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND c.relkind IN ('r', 'p', 'v')
                  AND has_table_privilege('steward_sql', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')""",
                row -> {
                    if (!row.getString("name").startsWith("agent_sql.") || !row.getString("kind").equals("v")) {
                        problems.add("steward_sql may use " + row.getString("name"));
                    }
                });
        eachRow("""
                SELECT nspname FROM pg_namespace
                WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'agent_sql', 'public')
                  AND nspname NOT LIKE 'pg\\_%' AND has_schema_privilege('steward_sql', oid, 'USAGE')""",
                row -> problems.add("steward_sql may use schema " + row.getString("nspname")));
        assertEquals(List.of(), problems);
        int views = eachRow("SELECT 1 FROM pg_views WHERE schemaname = 'agent_sql'", row -> { });
        assertEquals(5, views, "the documented views");
    }

    @Test
    void securityDefinerFunctionsPinTheirSearchPath() throws SQLException {
        List<String> problems = new ArrayList<>();
        eachRow("""
                SELECT p.oid::regprocedure::text AS name, p.proconfig::text AS config
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE p.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema')""", function -> {
            String config = function.getString("config");
            if (config == null || !config.contains("search_path=pg_catalog, pg_temp")) {
                problems.add(function.getString("name") + " runs with search_path " + config);
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void theApplicationRoleIsAMemberOfNoRoleButTheSqlToolsAndInheritsNothing() throws SQLException {
        List<String> memberships = new ArrayList<>();
        // PostgreSQL 16 grants without inheriting (inherit_option); on 15 steward_app inherits SELECT on the views.
        eachRow("""
                SELECT pg_get_userbyid(m.roleid) AS granted,
                       current_setting('server_version_num')::int >= 160000
                       AND (to_jsonb(m) ->> 'inherit_option')::boolean AS inherited
                FROM pg_auth_members m WHERE m.member = 'steward_app'::regrole""",
                row -> memberships.add(row.getString("granted") + (row.getBoolean("inherited") ? " (inherited)" : "")));
        assertEquals(List.of("steward_sql"), memberships,
                "steward_app may only SET ROLE to the SQL tool's role, and inherits nothing (no owner, no BYPASSRLS)");
    }

    @Test
    void theApplicationRoleCannotBypassRowLevelSecurity() throws SQLException {
        try (Connection db = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             Statement sql = db.createStatement();
             ResultSet role = sql.executeQuery(
                     "SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = 'steward_app'")) {
            assertTrue(role.next(), "steward_app exists");
            assertFalse(role.getBoolean("rolsuper"), "steward_app is not a superuser");
            assertFalse(role.getBoolean("rolbypassrls"), "steward_app does not bypass RLS");
            assertFalse(role.getBoolean("rolcreaterole"), "steward_app cannot create roles");
        }
        try (Connection db = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             Statement sql = db.createStatement();
             ResultSet liberty = sql.executeQuery("SELECT DISTINCT usename FROM pg_stat_activity "
                     + "WHERE datname = 'steward' AND application_name <> 'steward-bootstrap' AND backend_type = 'client backend' "
                     + "AND pid <> pg_backend_pid()")) {
            while (liberty.next()) {
                assertEquals("steward_app", liberty.getString(1), "the running application connects as steward_app only");
            }
        }
    }

    @Test
    void withoutATenantTheApplicationRoleSeesNoTenantRows() throws SQLException {
        try (Connection app = StewardServer.rig().connect("steward_app"); Statement sql = app.createStatement()) {
            for (String table : List.of("tenancy.tenants", "tenancy.api_keys")) {
                try (ResultSet count = sql.executeQuery("SELECT count(*) FROM " + table)) {
                    count.next();
                    assertEquals(0, count.getLong(1), table + " without app.tenant_id");
                }
            }
            // Turning RLS off is an error for a role that does not bypass it, not a way around it.
            sql.execute("SET row_security = off");
            assertThrows(SQLException.class, () -> sql.executeQuery("SELECT count(*) FROM tenancy.api_keys"));
        }
    }

    @Test
    void theApplicationRoleCannotWriteAnotherTenantsRows() throws SQLException {
        Api.TestTenant a = Api.newTenant("writer-a");
        Api.TestTenant b = Api.newTenant("writer-b");
        try (Connection app = StewardServer.rig().connect("steward_app")) {
            app.setAutoCommit(false);
            try (Statement sql = app.createStatement()) {
                sql.execute("SELECT set_config('app.tenant_id', '" + a.id() + "', true)");
                assertEquals(0, sql.executeUpdate("UPDATE tenancy.api_keys SET revoked_at = now() WHERE tenant_id = '"
                        + b.id() + "'"), "B's keys are invisible to an update under A");
                assertThrows(SQLException.class, () -> sql.execute("INSERT INTO tenancy.api_keys "
                        + "(tenant_id, id, name, prefix, secret_hash, scopes) VALUES ('" + b.id()
                        + "', gen_random_uuid(), 'x', 'forgedprefix', '\\x00', '{*}')"), "no insert into B under A");
            }
            app.rollback();
        }
    }

    @Test
    void onlyTheApplicationRoleMayCallTheCrossTenantFunctions() throws SQLException {
        List<String> problems = new ArrayList<>();
        int functions = eachRow("""
                     SELECT p.oid::regprocedure::text AS name, pg_get_userbyid(p.proowner) AS owner,
                            p.proacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a WHERE a.grantee = 0)
                              AS public_may_execute,
                            ARRAY(SELECT pg_get_userbyid(a.grantee) FROM aclexplode(p.proacl) a
                                  WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner) AS callers
                     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                     WHERE p.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema')""", function -> {
            String name = function.getString("name");
            if (!function.getString("owner").equals("steward_platform")) {
                problems.add(name + " is SECURITY DEFINER but owned by " + function.getString("owner"));
            }
            if (function.getBoolean("public_may_execute")) {
                problems.add(name + " is executable by PUBLIC");
            }
            for (String caller : (String[]) function.getArray("callers").getArray()) {
                if (!caller.equals("steward_app")) {
                    problems.add(name + " is executable by " + caller);
                }
            }
        });
        assertTrue(functions >= 3, "found the platform functions");
        assertEquals(List.of(), problems);
    }

    @Test
    void thePlatformPathIsNarrowAndAudited() throws SQLException {
        try (Connection app = StewardServer.rig().connect("steward_app"); Statement sql = app.createStatement()) {
            assertThrows(SQLException.class, () -> sql.executeQuery("SELECT * FROM tenancy.platform_access_log"),
                    "the application cannot read the platform log");
            app.setAutoCommit(false);
            sql.execute("SELECT set_config('app.principal', 'api_key:someone', true)");
            assertThrows(SQLException.class, () -> sql.executeQuery("SELECT * FROM tenancy.platform_list_tenants()"),
                    "a tenant's principal cannot list all tenants even by calling the function directly");
            app.rollback();
        }
        Api.asOperator().get("/api/v1/admin/tenants").then().statusCode(200);
        try (Connection db = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             Statement sql = db.createStatement();
             ResultSet logged = sql.executeQuery("SELECT principal, request_id FROM tenancy.platform_access_log "
                     + "WHERE operation = 'list_tenants' ORDER BY id DESC LIMIT 1")) {
            assertTrue(logged.next(), "listing tenants left a row in the platform log");
            assertEquals("operator:operator", logged.getString("principal"));
            assertFalse(logged.getString("request_id").isBlank());
        }
    }

    /** Runs a catalog query as the superuser, hands every row to {@code check}, and returns the number of rows. */
    private static int eachRow(String query, RowCheck check) throws SQLException {
        int rows = 0;
        try (Connection db = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             Statement sql = db.createStatement();
             ResultSet row = sql.executeQuery(query)) {
            while (row.next()) {
                rows++;
                check.accept(row);
            }
        }
        return rows;
    }

    @FunctionalInterface
    private interface RowCheck {
        void accept(ResultSet row) throws SQLException;
    }
}
