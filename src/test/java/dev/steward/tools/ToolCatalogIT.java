package dev.steward.tools;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import dev.steward.testing.Api;
import dev.steward.testing.StewardServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The tool catalog over the API, and grants: a write granted with autoApprove runs without waiting for a person. */
@ExtendWith(StewardServer.class)
class ToolCatalogIT {

    @Test
    void theCatalogShowsEachToolsSchemaSideEffectAndTimeout() {
        Api.TestTenant tenant = Api.newTenant("tools-catalog");
        Api.as(tenant.key()).get("/api/v1/tools").then().statusCode(200)
                .body("name", hasItems("current_time", "save_note", "wait_seconds", "sql_query"));
        Api.as(tenant.key()).get("/api/v1/tools/save_note").then().statusCode(200)
                .body("sideEffect", equalTo("write")).body("requiresApproval", equalTo(true))
                .body("parameters.required[0]", equalTo("text")).body("timeoutSeconds", equalTo(10))
                .body("source", equalTo("built-in"));
        Api.as(tenant.key()).get("/api/v1/tools/sql_query").then().body("sideEffect", equalTo("read"))
                .body("requiresApproval", equalTo(false));
        Api.as(tenant.key()).get("/api/v1/tools/nope").then().statusCode(404)
                .contentType("application/problem+json").body("detail", equalTo("No tool named nope"));
        String agentsOnly = Api.issueKey(tenant.id(), "[\"agents:read\"]");
        Api.as(agentsOnly).get("/api/v1/tools").then().statusCode(403);
        Api.anonymous().get("/api/v1/tools").then().statusCode(401);
    }

    @Test
    void aWriteGrantedWithAutoApproveRunsAtOnceAndOnlyAGrantedToolMayBeAutoApproved() {
        Api.TestTenant tenant = Api.newTenant("tools-grants");
        Api.as(tenant.key()).body("{\"name\":\"clerk\",\"kind\":\"llm\",\"model\":\"steward-scripted\","
                + "\"tools\":[\"current_time\"],\"autoApprove\":[\"save_note\"]}").post("/api/v1/agents").then()
                .statusCode(400).body("errors[0].field", equalTo("autoApprove[0]"))
                .body("errors[0].message", equalTo("is not among the agent's tools"));
        String agent = ToolTurns.agent(tenant, "clerk", "\"tools\":[\"save_note\"],\"autoApprove\":[\"save_note\"]");
        String session = ToolTurns.session(tenant.key(), agent);
        ToolTurns.send(tenant.key(), session, "call save_note {\"text\": \"filed\"}");
        ToolTurns.awaitState(tenant.key(), session, "done");
        Api.as(tenant.key()).get("/api/v1/sessions/" + session).then().body("turns[0].state", equalTo("done"))
                .body("turns[0].answer", startsWith("Tool save_note answered: Saved note "));
        Api.as(tenant.key()).get("/api/v1/sessions/" + session + "/confirmations").then().body("size()",
                equalTo(0));
    }
}
