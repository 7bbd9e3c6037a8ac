package dev.steward.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.StewardServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Whether the schema can be sharded by tenant on Citus (docs/scale-out.md): every table with tenant data leads its
 * primary key, its unique keys and its foreign keys with {@code tenant_id}, so it can be distributed by that column
 * and every join and constraint stays on one shard; every other table is on the documented list of reference
 * tables (small, read by every node) and tables that stay local to the coordinator. A new table fails here until it
 * follows the rule or is argued onto a list, in code and in the doc.
 */
@ExtendWith(StewardServer.class)
class DistributionKeysIT {

    /** Replicated to every worker: small, read on most requests, written rarely. */
    static final Set<String> REFERENCE_TABLES = Set.of(
            "tenancy.tenants",   // the tenants themselves: every tenant table's foreign key points here
            "tenancy.api_keys",  // found by prefix before the tenant is known, so unique by prefix across tenants
            "admin.accounts");   // admin sign-in happens before a tenant is known; operators have none

    /** Kept on the coordinator alone: platform bookkeeping no tenant query joins. */
    static final Set<String> LOCAL_TABLES = Set.of(
            "steward.flyway_schema_history", "tenancy.platform_access_log",
            "ejbtimers.timer_part", "ejbtimers.timer_prop", "ejbtimers.timer_task");

    private static final String SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema')"
            + " AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname <> 'public'";

    @Test
    void everyTenantTableCanBeDistributedByTenantId() throws SQLException {
        Set<String> undistributed = new TreeSet<>();
        List<String> tenantTables = new ArrayList<>();
        each("SELECT n.nspname || '.' || c.relname AS name, EXISTS (SELECT 1 FROM pg_attribute a"
                + " WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped) AS tenant_data"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND "
                + SCHEMAS, row -> (row.getBoolean("tenant_data") ? tenantTables : undistributed)
                .add(row.getString("name")));
        // admin.accounts has a tenant_id (null for operators) but is looked up across tenants: a reference table.
        tenantTables.removeAll(REFERENCE_TABLES);
        undistributed.addAll(REFERENCE_TABLES);

        Set<String> documented = new TreeSet<>(REFERENCE_TABLES);
        documented.addAll(LOCAL_TABLES);
        assertThat(undistributed).as("tables without tenant_id must be reference or local tables")
                .isEqualTo(documented);
        assertThat(tenantTables).hasSizeGreaterThan(30);

        List<String> problems = new ArrayList<>();
        each("SELECT c.conrelid::regclass::text AS tbl, c.conname, c.contype,"
                + " (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = c.conkey[1])"
                + " AS first_column, c.confrelid::regclass::text AS referenced"
                + " FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
                + " WHERE c.contype IN ('p', 'u', 'f') AND " + SCHEMAS, row -> {
            String table = row.getString("tbl");
            boolean toReference = REFERENCE_TABLES.contains(row.getString("referenced"));
            if (tenantTables.contains(table) && !toReference && !"tenant_id".equals(row.getString("first_column"))) {
                problems.add(table + " " + row.getString("conname") + " does not lead with tenant_id");
            }
        });
        each("SELECT i.indrelid::regclass::text AS tbl, i.indexrelid::regclass::text AS idx,"
                + " (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[0])"
                + " AS first_column FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE i.indisunique AND " + SCHEMAS, row -> {
            if (tenantTables.contains(row.getString("tbl")) && !"tenant_id".equals(row.getString("first_column"))) {
                problems.add(row.getString("tbl") + " unique index " + row.getString("idx")
                        + " does not lead with tenant_id");
            }
        });
        assertThat(problems).isEmpty();
    }

    private interface RowCheck {
        void accept(ResultSet row) throws SQLException;
    }

    private static void each(String query, RowCheck check) throws SQLException {
        try (Connection db = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             Statement sql = db.createStatement(); ResultSet rows = sql.executeQuery(query)) {
            while (rows.next()) {
                check.accept(rows);
            }
        }
    }
}
