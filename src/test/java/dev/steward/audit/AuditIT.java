package dev.steward.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.steward.testing.Api;
import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.StewardServer;
import dev.steward.testing.Tasks;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The audit trail: agent changes, sessions, model and tool calls and approvals are on it; its chain verifies, and a
 * changed or removed entry is found; the application cannot change or remove entries; each tenant sees its own.
 */
@ExtendWith(StewardServer.class)
class AuditIT {

    @Test
    void whatAgentsAndPeopleDoIsOnTheTrailAndTheChainVerifies() {
        Api.TestTenant tenant = Api.newTenant("audit-trail");
        String agent = Api.as(tenant.key()).body("{\"name\":\"writer\",\"kind\":\"llm\",\"model\":\"steward-scripted\","
                + "\"tools\":[\"save_note\"]}").post("/api/v1/agents").then().statusCode(201).extract().path("id");
        Api.as(tenant.key()).body("{\"kind\":\"llm\",\"model\":\"steward-scripted\",\"tools\":[\"save_note\"],"
                + "\"instructions\":\"Be brief.\"}").put("/api/v1/agents/" + agent).then().statusCode(200);
        String session = Api.as(tenant.key()).body("{\"agentId\":\"" + agent + "\"}").post("/api/v1/sessions").then()
                .statusCode(201).extract().path("id");
        Api.as(tenant.key()).body("{\"input\":\"call save_note {\\\"text\\\": \\\"audited\\\"}\"}")
                .post("/api/v1/sessions/" + session + "/turns").then().statusCode(202);
        String confirmation = await(() -> Api.as(tenant.key()).get("/api/v1/sessions/" + session
                + "/confirmations?state=pending").then().extract().path("[0].id"));
        Api.as(tenant.key()).body("{\"approve\":true,\"comment\":\"fine\"}")
                .post("/api/v1/sessions/" + session + "/confirmations/" + confirmation).then().statusCode(200);
        await(() -> "done".equals(Api.as(tenant.key()).get("/api/v1/sessions/" + session).then().extract()
                .path("turns[0].state")) ? "done" : null);

        JsonPath trail = Api.as(tenant.key()).get("/api/v1/audit").then().statusCode(200).extract().jsonPath();
        List<String> actions = trail.getList("action");
        assertThat(actions).containsSubsequence("model.called", "tool.called", "confirmation.approved", "model.called")
                .contains("agent.created", "agent.updated", "session.started");
        assertThat(trail.getList("seq", Integer.class)).isSortedAccordingTo((a, b) -> b - a);
        assertThat(trail.getString("find { it.action == 'tool.called' }.details.tool")).isEqualTo("save_note");
        assertThat(trail.getString("find { it.action == 'confirmation.approved' }.actor")).startsWith("api_key:");
        assertThat(trail.toString()).doesNotContain("audited"); // the tool's arguments stay off the trail

        Api.as(tenant.key()).get("/api/v1/audit?session=" + session).then().statusCode(200)
                .body("sessionId", org.hamcrest.Matchers.everyItem(equalTo(session)));
        Api.as(tenant.key()).get("/api/v1/audit?action=model.called").then().statusCode(200)
                .body("size()", equalTo(2)).body("agentId", org.hamcrest.Matchers.everyItem(equalTo(agent)));
        Api.as(tenant.key()).get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true))
                .body("entries", equalTo(actions.size())).body("lastSeq", equalTo(actions.size()));
    }

    @Test
    void aChangedOrRemovedEntryBreaksTheChainWhereItHappened() throws SQLException {
        Api.TestTenant changed = tenantWithThreeEntries("audit-changed");
        Api.TestTenant truncated = tenantWithThreeEntries("audit-truncated");
        try (Connection owner = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             Statement sql = owner.createStatement()) {
            sql.execute("UPDATE audit.entries SET details = '{\"name\":\"forged\",\"version\":1}' WHERE tenant_id = '"
                    + changed.id() + "' AND seq = 2");
            sql.execute("DELETE FROM audit.entries WHERE tenant_id = '" + truncated.id() + "' AND seq = 3");
        }
        Api.as(changed.key()).get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(false))
                .body("brokenAt", equalTo(2)).body("problem", equalTo("content"));
        Api.as(truncated.key()).get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(false))
                .body("brokenAt", equalTo(3)).body("problem", equalTo("missing"));
    }

    @Test
    void theApplicationCanNeitherChangeNorRemoveEntries() throws SQLException {
        Api.TestTenant tenant = tenantWithThreeEntries("audit-append-only");
        try (Connection app = StewardServer.rig().connect("steward_app")) {
            app.setAutoCommit(false);
            try (Statement sql = app.createStatement()) {
                sql.execute("SELECT set_config('app.tenant_id', '" + tenant.id() + "', true)");
                assertThatThrownBy(() -> sql.executeUpdate("UPDATE audit.entries SET action = 'x'"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            }
            app.rollback();
            try (Statement sql = app.createStatement()) {
                sql.execute("SELECT set_config('app.tenant_id', '" + tenant.id() + "', true)");
                assertThatThrownBy(() -> sql.executeUpdate("DELETE FROM audit.entries"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            }
            app.rollback();
        }
        Api.as(tenant.key()).get("/api/v1/audit/verify").then().body("valid", equalTo(true));
    }

    @Test
    void eachTenantSeesAndVerifiesItsOwnTrail() {
        Api.TestTenant a = tenantWithThreeEntries("audit-a");
        Api.TestTenant b = Api.newTenant("audit-b");
        String agentOfA = Api.as(a.key()).get("/api/v1/audit?action=agent.created").then().extract()
                .path("[0].agentId");
        Api.as(b.key()).get("/api/v1/audit").then().statusCode(200).body("size()", equalTo(0));
        Api.as(b.key()).get("/api/v1/audit?agent=" + agentOfA).then().statusCode(200).body("size()", equalTo(0));
        Api.as(b.key()).get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true))
                .body("entries", equalTo(0));
        Api.as(a.key()).get("/api/v1/audit?agent=nope").then().statusCode(400).body("errors.field", hasItem("agent"));
        Api.as(a.key()).get("/api/v1/audit?from=yesterday").then().statusCode(400)
                .body("errors.field", hasItem("from"));
        String noAudit = Api.issueKey(a.id(), "[\"agents:*\"]");
        Api.as(noAudit).get("/api/v1/audit").then().statusCode(403);
    }

    /** Three agents created: entries 1 to 3 on the tenant's trail. */
    private static Api.TestTenant tenantWithThreeEntries(String slug) {
        Api.TestTenant tenant = Api.newTenant(slug);
        for (String name : List.of("one", "two", "three")) {
            Api.as(tenant.key()).body("{\"name\":\"" + name + "\",\"kind\":\"llm\",\"model\":\"steward-scripted\"}")
                    .post("/api/v1/agents").then().statusCode(201);
        }
        return tenant;
    }

    private static String await(java.util.function.Supplier<String> probe) {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            String value = probe.get();
            if (value != null) {
                return value;
            }
            Tasks.pause(50);
        }
        throw new AssertionError("nothing within 20 s");
    }
}
