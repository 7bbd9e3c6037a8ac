package dev.steward.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.testing.Api;
import dev.steward.testing.StewardServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SQL tool end to end: a model's query over the documented views answers from the tenant's own rows; writes,
 * DDL, catalogs and forbidden functions are refused with a reason; a slow query is stopped and a big one capped; and
 * the database's own wall (the restricted role) holds without the tool's reading of the query.
 */
@ExtendWith(StewardServer.class)
class SqlToolIT {

    private static final String PREFIX = "Tool sql_query answered: ";

    @Test
    void aQueryAnswersFromTheTenantsOwnRecordsOnly() {
        Api.TestTenant a = Api.newTenant("sql-a");
        Api.TestTenant b = Api.newTenant("sql-b");
        List.of("new", "new", "qualified").forEach(status -> lead(a, status));
        List.of("new", "lost", "lost", "lost", "won").forEach(status -> lead(b, status));
        String query = "call sql_query {\"sql\": \"SELECT fields->>'status' AS status, count(*) AS n FROM records"
                + " WHERE type = 'lead' GROUP BY 1 ORDER BY 1\"}";
        assertThat(ask(a, query)).isEqualTo(PREFIX + "{\"columns\":[\"status\",\"n\"],\"rows\":[[\"new\",2],"
                + "[\"qualified\",1]],\"rowCount\":2,\"truncated\":false}");
        assertThat(ask(b, query)).isEqualTo(PREFIX + "{\"columns\":[\"status\",\"n\"],\"rows\":[[\"lost\",3],"
                + "[\"new\",1],[\"won\",1]],\"rowCount\":3,\"truncated\":false}");
    }

    @Test
    void writesCatalogsAndForbiddenFunctionsAreRefusedAndChangeNothing() {
        Api.TestTenant tenant = Api.newTenant("sql-evil");
        String lead = lead(tenant, "new");
        assertThat(ask(tenant, "call sql_query {\"sql\": \"DELETE FROM records\"}"))
                .isEqualTo(PREFIX + "Only a query may run: it must start with SELECT or WITH");
        assertThat(ask(tenant, "call sql_query {\"sql\": \"SELECT 1; UPDATE records SET version = 9\"}"))
                .isEqualTo(PREFIX + "One statement only: remove the ';' inside the query");
        assertThat(ask(tenant, "call sql_query {\"sql\": \"SELECT set_config('app.tenant_id', '"
                + Api.newTenant("sql-victim").id() + "', true), count(*) FROM records\"}"))
                .startsWith(PREFIX + "The function set_config is not allowed");
        assertThat(ask(tenant, "call sql_query {\"sql\": \"SELECT * FROM pg_catalog.pg_stat_activity\"}"))
                .isEqualTo(PREFIX + "Only the documented views may be read, not pg_catalog");
        // Past the tool's reading, the database refuses: the role cannot use Steward's own schemas.
        assertThat(ask(tenant, "call sql_query {\"sql\": \"SELECT * FROM orchestration.records\"}"))
                .isEqualTo(PREFIX + "Only the documented views in agent_sql may be read");
        assertThat(ask(tenant, "call sql_query {\"sql\": \"SELECT * FROM tenancy.api_keys\"}"))
                .isEqualTo(PREFIX + "Only the documented views in agent_sql may be read");
        assertThat(ask(tenant, "call sql_query {\"sql\": \"SELECT * FROM nowhere\"}"))
                .startsWith(PREFIX + "The query failed: ERROR: relation \"nowhere\" does not exist");
        Api.as(tenant.key()).get("/api/v1/records/" + lead).then().statusCode(200);
    }

    @Test
    void aSlowQueryIsStoppedAndABigAnswerIsCapped() {
        Api.TestTenant tenant = Api.newTenant("sql-limits");
        assertThat(ask(tenant, "call sql_query {\"sql\": \"SELECT count(*) FROM generate_series(1, 2000000000)\"}"))
                .isEqualTo(PREFIX + "The query ran longer than 1000 ms and was stopped");
        assertThat(ask(tenant, "call sql_query {\"sql\": \"SELECT 1 AS a, 2 AS a\"}"))
                .isEqualTo(PREFIX + "Name each column once (with AS): [a, a]");
        assertThat(ask(tenant, "call sql_query {\"sql\": \"SELECT type FROM records WHERE false\"}"))
                .isEqualTo(PREFIX + "{\"columns\":[\"type\"],\"rows\":[],\"rowCount\":0,\"truncated\":false}");
        String capped = ask(tenant, "call sql_query {\"sql\": \"SELECT g FROM generate_series(1, 1000) AS t(g)\"}");
        assertThat(capped).endsWith("\"rowCount\":200,\"truncated\":true}");
        // Under the row cap, but past the size a model's context should take.
        String wide = ask(tenant, "call sql_query {\"sql\": \"SELECT concat(md5(g::text), md5(g::text), md5(g::text),"
                + " md5(g::text), md5(g::text), md5(g::text)) FROM generate_series(1, 199) AS t(g)\"}");
        assertThat(wide).contains("\"truncated\":true");
        assertThat(wide.length()).isLessThan(33_000);
    }

    @Test
    void theRestrictedRoleReadsTheViewsOfItsTenantAndNothingElse() throws SQLException {
        Api.TestTenant tenant = Api.newTenant("sql-role");
        lead(tenant, "new");
        lead(Api.newTenant("sql-role-other"), "new");
        try (Connection app = StewardServer.rig().connect("steward_app")) {
            app.setAutoCommit(false);
            try (Statement sql = app.createStatement()) {
                sql.execute("SELECT set_config('app.tenant_id', '" + tenant.id() + "', true)");
                sql.execute("SET LOCAL ROLE steward_sql");
                try (ResultSet count = sql.executeQuery("SELECT count(*) FROM agent_sql.records")) {
                    count.next();
                    assertThat(count.getInt(1)).isEqualTo(1);
                }
                assertThatThrownBy(() -> sql.executeQuery("SELECT * FROM orchestration.records"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            }
            app.rollback();
        }
    }

    @Test
    void theDemoTenantHasAnSqlAgent() {
        String demo = StewardServer.rig().demoKey();
        String agent = Api.as(demo).get("/api/v1/agents").then().extract()
                .path("find { it.name == 'data-analyst' }.id");
        assertThat(ToolTurns.answer(demo, ToolTurns.session(demo, agent), "How many records do we have?"))
                .startsWith(PREFIX + "{\"columns\":[\"type\",\"records\"]");
    }

    private static String lead(Api.TestTenant tenant, String status) {
        return Api.as(tenant.key()).body("{\"type\":\"lead\",\"fields\":{\"status\":\"" + status + "\"}}")
                .post("/api/v1/records").then().statusCode(201).extract().path("id");
    }

    /** One question in a new session with an agent granted sql_query; the turn's answer. */
    private static String ask(Api.TestTenant tenant, String question) {
        String agent = Api.as(tenant.key()).get("/api/v1/agents").then().extract()
                .path("find { it.name == 'analyst' }.id");
        if (agent == null) {
            agent = ToolTurns.agent(tenant, "analyst", "\"tools\":[\"sql_query\"]");
        }
        return ToolTurns.answer(tenant.key(), ToolTurns.session(tenant.key(), agent), question);
    }
}
