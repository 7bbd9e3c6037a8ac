package dev.steward.orchestration;

import static dev.steward.orchestration.RunsApi.await;
import static dev.steward.orchestration.RunsApi.awaitRun;
import static dev.steward.orchestration.RunsApi.node;
import static dev.steward.orchestration.RunsApi.post;
import static dev.steward.orchestration.RunsApi.startRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.steward.testing.Api;
import dev.steward.testing.FakeProvider;
import dev.steward.testing.StewardServer;
import io.restassured.path.json.JsonPath;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The supervisor and DAG workflows end to end: the lead-to-cash flow built from the public API alone, conflicting
 * proposals resolved by rank, record leases under concurrent triggers, idempotent triggers, low-confidence
 * proposals held for approval, a specialist whose model is down or hangs, invalid workflows refused, branches and
 * waits, cancellation, and another tenant's runs, approvals and workflows out of reach.
 */
@ExtendWith(StewardServer.class)
class WorkflowsIT {

    @Test
    void aNewLeadIsQualifiedRoutedCommittedOnceAndItsOutreachWaitsForApproval() throws IOException {
        Api.TestTenant tenant = Api.newTenant("wf-lead");
        JsonObject flow = demoFlow();
        flow.getJsonArray("agents").forEach(agent -> post(tenant, "/api/v1/agents", agent.toString()));
        flow.getJsonArray("workflows").forEach(workflow -> post(tenant, "/api/v1/workflows", workflow.toString()));
        flow.getJsonArray("routingRules").forEach(rule -> post(tenant, "/api/v1/routing-rules", rule.toString()));

        String lead = post(tenant, "/api/v1/records", "{\"type\":\"lead\",\"fields\":{\"name\":\"Ada Lovelace\","
                + "\"company\":\"Analytical Engines\",\"email\":\"ada@engines.example\"}}");
        String run = await(() -> Api.as(tenant.key()).get("/api/v1/runs?record=" + lead).then().extract()
                .path("[0].id"));
        JsonPath waiting = awaitRun(tenant, run, r -> "waiting".equals(node(r, "outreach", "state")));
        assertThat(waiting.getString("state")).isEqualTo("running");
        assertThat(waiting.getString("workflow.name")).isEqualTo("lead-to-cash");
        assertThat(waiting.getList("nodes.state")).containsOnly("succeeded", "waiting");

        JsonPath record = Api.as(tenant.key()).get("/api/v1/records/" + lead).then().statusCode(200).extract()
                .jsonPath();
        assertThat(record.getInt("fields.score")).isEqualTo(72);
        assertThat(record.getString("fields.status")).isEqualTo("qualified");
        assertThat(record.getString("fields.owner")).isEqualTo("dana@demo.example");
        // Score, owner and status arrived in one commit: one version after the creation.
        assertThat(record.getInt("version")).isEqualTo(2);
        assertThat(record.getString("workflows[0].label")).isEqualTo("outreach waiting for approval");
        Api.as(tenant.key()).get("/api/v1/records?type=task&field.lead=" + lead).then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].fields.title", equalTo("First call with Ada Lovelace"));

        JsonPath approval = Api.as(tenant.key()).get("/api/v1/approvals?status=pending").then().statusCode(200)
                .extract().jsonPath();
        assertThat(approval.getList("")).hasSize(1);
        assertThat(approval.getString("[0].reason")).isEqualTo("outbound");
        assertThat(approval.getString("[0].action.to")).isEqualTo("ada@engines.example");
        assertThat(approval.getString("[0].reasoning")).isEqualTo("A short, personal first touch");
        assertThat(approval.getString("[0].record.fields.owner")).isEqualTo("dana@demo.example");
        assertThat(approval.getString("[0].context.trigger.event")).isEqualTo("record.created");

        Api.as(tenant.key()).body("{\"approve\":true,\"comment\":\"Looks good\"}")
                .post("/api/v1/approvals/" + approval.getString("[0].id")).then().statusCode(200)
                .body("state", equalTo("approved")).body("comment", equalTo("Looks good"));
        Api.as(tenant.key()).body("{\"approve\":false}").post("/api/v1/approvals/" + approval.getString("[0].id"))
                .then().statusCode(409);
        JsonPath done = awaitRun(tenant, run, r -> "succeeded".equals(r.getString("state")));
        assertThat(done.getList("nodes.state")).containsOnly("succeeded");
        assertThat(done.getLong("durationMillis")).isNotNull();
        Api.as(tenant.key()).get("/api/v1/records/" + lead).then().body("workflows.size()", equalTo(0));

        List<String> trail = Api.as(tenant.key()).get("/api/v1/audit?run=" + run + "&limit=100").then()
                .statusCode(200).extract().path("action");
        assertThat(trail).contains("run.triggered", "context.assembled", "specialist.proposed",
                "changes.committed", "approval.requested", "approval.approved", "run.succeeded");
        assertThat(trail.stream().filter("specialist.proposed"::equals)).hasSize(3);
        Api.as(tenant.key()).get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));
    }

    @Test
    void theDemoTenantHasTheLeadToCashFlow() {
        String demo = StewardServer.rig().demoKey();
        Api.as(demo).get("/api/v1/workflows").then().statusCode(200).body("name", hasItem("lead-to-cash"));
        Api.as(demo).get("/api/v1/routing-rules").then().statusCode(200).body("name", hasItem("new-leads"));
        Api.as(demo).get("/api/v1/agents").then().body("name", hasItem("lead-qualifier"))
                .body("name", hasItem("outreach-writer"));
    }

    @Test
    void conflictingProposalsOnOneFieldAreResolvedByRankAndNothingIsLost() {
        Api.TestTenant tenant = Api.newTenant("wf-conflict");
        specialist(tenant, "compliance-bot", "compliance", "{\\\"action\\\": \\\"update\\\", \\\"record\\\": "
                + "\\\"{{record.id}}\\\", \\\"fields\\\": {\\\"status\\\": \\\"frozen\\\"}}", 0.7, "opportunity",
                "update");
        specialist(tenant, "sales-bot", "sales", "{\\\"action\\\": \\\"update\\\", \\\"record\\\": "
                + "\\\"{{record.id}}\\\", \\\"fields\\\": {\\\"status\\\": \\\"negotiation\\\", \\\"amount\\\": 900}}",
                0.95, "opportunity", "update");
        post(tenant, "/api/v1/workflows", "{\"name\":\"deal-review\",\"nodes\":[{\"id\":\"compliance\",\"kind\":"
                + "\"agent\",\"capability\":\"compliance\"},{\"id\":\"sales\",\"kind\":\"agent\",\"agent\":"
                + "\"sales-bot\"},{\"id\":\"commit\",\"kind\":\"commit\"}],\"edges\":[{\"from\":\"compliance\","
                + "\"to\":\"commit\"},{\"from\":\"sales\",\"to\":\"commit\"}]}");
        String deal = post(tenant, "/api/v1/records", "{\"type\":\"opportunity\",\"fields\":{\"status\":\"open\"}}");

        String run = startRun(tenant, "{\"workflow\":\"deal-review\",\"record\":\"" + deal + "\"}", null)
                .then().statusCode(201).extract().path("id");
        JsonPath done = awaitRun(tenant, run, r -> "succeeded".equals(r.getString("state")));
        Api.as(tenant.key()).get("/api/v1/records/" + deal).then().body("fields.status", equalTo("frozen"))
                .body("fields.amount", equalTo(900)).body("version", equalTo(2));
        String commit = "nodes.find { it.id == 'commit' }.output";
        assertThat(done.getString(commit + ".overridden[0].field")).isEqualTo("status");
        assertThat(done.getString(commit + ".overridden[0].winner.node")).isEqualTo("compliance");
        assertThat(done.getString(commit + ".overridden[0].loser.node")).isEqualTo("sales");
        assertThat(done.getString(commit + ".overridden[0].rule")).isEqualTo("rank");
        // The losing proposal stays on its node, as it was made.
        assertThat(done.getString("nodes.find { it.id == 'sales' }.output.proposal.actions[0].fields.status"))
                .isEqualTo("negotiation");
        JsonPath conflict = Api.as(tenant.key()).get("/api/v1/audit?run=" + run).then().extract().jsonPath();
        assertThat(conflict.getString("find { it.action == 'conflict.resolved' }.details.winner.agent"))
                .isEqualTo("compliance-bot");

        // The tenant's policy decides: with sales ranked first, sales wins the same conflict.
        Api.as(tenant.key()).body("{\"conflictRanks\":[\"sales\",\"compliance\"],\"confidenceThreshold\":0.5,"
                + "\"approvalTtlSeconds\":3600}").put("/api/v1/supervisor-policy").then().statusCode(200);
        String second = startRun(tenant, "{\"workflow\":\"deal-review\",\"record\":\"" + deal + "\"}", null)
                .then().statusCode(201).extract().path("id");
        awaitRun(tenant, second, r -> "succeeded".equals(r.getString("state")));
        Api.as(tenant.key()).get("/api/v1/records/" + deal).then().body("fields.status", equalTo("negotiation"));
    }

    @Test
    void twoTriggersOnOneRecordAtOnceNeverRaceOneRunHoldsTheRecord() throws Exception {
        Api.TestTenant tenant = Api.newTenant("wf-lease");
        post(tenant, "/api/v1/workflows", "{\"name\":\"hold\",\"nodes\":[{\"id\":\"ok\",\"kind\":\"approval\","
                + "\"label\":\"being reviewed\"}]}");
        String lead = post(tenant, "/api/v1/records", "{\"type\":\"lead\",\"fields\":{}}");
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Integer>> racers = List.of(1, 2).stream().map(i -> CompletableFuture.supplyAsync(
                () -> {
                    awaitQuietly(go);
                    return startRun(tenant, "{\"workflow\":\"hold\",\"record\":\"" + lead
                            + "\",\"onLocked\":\"reject\"}", null).statusCode();
                })).toList();
        go.countDown();
        List<Integer> statuses = racers.stream().map(CompletableFuture::join).sorted().toList();
        assertThat(statuses).containsExactly(201, 409);
        JsonPath runs = Api.as(tenant.key()).get("/api/v1/runs?record=" + lead).then().extract().jsonPath();
        assertThat(runs.getList("state")).containsExactlyInAnyOrder("running", "rejected");
        String holder = runs.getString("find { it.state == 'running' }.id");
        await(() -> Api.as(tenant.key()).get("/api/v1/records/" + lead).then().extract()
                .path("workflows.find { it.label == 'being reviewed' }.run"));
        assertThat(Api.as(tenant.key()).get("/api/v1/audit?record=" + lead).then().extract().<String>path(
                "find { it.action == 'run.rejected' }.details.heldBy")).isEqualTo(holder);

        // Waiting instead: the next run starts when the holder ends.
        String next = startRun(tenant, "{\"workflow\":\"hold\",\"record\":\"" + lead + "\"}", null).then()
                .statusCode(201).body("state", equalTo("waiting")).extract().path("id");
        String approval = await(() -> Api.as(tenant.key()).get("/api/v1/approvals?status=pending&run=" + holder)
                .then().extract().path("[0].id"));
        Api.as(tenant.key()).body("{\"approve\":true}").post("/api/v1/approvals/" + approval).then().statusCode(200);
        awaitRun(tenant, holder, r -> "succeeded".equals(r.getString("state")));
        awaitRun(tenant, next, r -> "running".equals(r.getString("state")));
        Api.as(tenant.key()).post("/api/v1/runs/" + next + "/cancel").then().statusCode(200)
                .body("state", equalTo("cancelled"));
        Api.as(tenant.key()).post("/api/v1/runs/" + next + "/cancel").then().statusCode(409);
        Api.as(tenant.key()).get("/api/v1/approvals?run=" + next).then().body("[0].state", equalTo("cancelled"));
    }

    @Test
    void aRepeatedTriggerStartsOneRun() {
        Api.TestTenant tenant = Api.newTenant("wf-idempotent");
        post(tenant, "/api/v1/workflows", "{\"name\":\"quick\",\"nodes\":[{\"id\":\"check\",\"kind\":\"condition\","
                + "\"condition\":{\"path\":\"trigger.data.amount\",\"op\":\"gt\",\"value\":100}}]}");
        post(tenant, "/api/v1/routing-rules", "{\"name\":\"big-orders\",\"on\":{\"event\":\"order.placed\"},"
                + "\"when\":{\"path\":\"data.amount\",\"op\":\"gte\",\"value\":50},\"workflow\":\"quick\"}");
        String body = "{\"event\":\"order.placed\",\"data\":{\"amount\":120}}";
        String first = Api.as(tenant.key()).header("Idempotency-Key", "order-7").body(body)
                .post("/api/v1/triggers").then().statusCode(202).body("rule.name", equalTo("big-orders"))
                .extract().path("run");
        String again = Api.as(tenant.key()).header("Idempotency-Key", "order-7").body(body)
                .post("/api/v1/triggers").then().statusCode(202).extract().path("run");
        assertThat(again).isEqualTo(first);
        Api.as(tenant.key()).get("/api/v1/runs").then().body("size()", equalTo(1));
        JsonPath done = awaitRun(tenant, first, r -> "succeeded".equals(r.getString("state")));
        assertThat(done.getBoolean("nodes[0].output.result")).isTrue();
        Api.as(tenant.key()).body("{\"event\":\"order.placed\",\"data\":{\"amount\":10}}").post("/api/v1/triggers")
                .then().statusCode(200).body("routed", equalTo(false));
        Api.as(tenant.key()).body("{\"event\":\"record.created\"}").post("/api/v1/triggers").then().statusCode(400)
                .body("errors[0].field", equalTo("event"));
    }

    @Test
    void aLowConfidenceProposalWaitsForAPersonAndADenialChangesNothing() {
        Api.TestTenant tenant = Api.newTenant("wf-confidence");
        specialist(tenant, "unsure-bot", "sales", "{\\\"action\\\": \\\"update\\\", \\\"record\\\": "
                + "\\\"{{record.id}}\\\", \\\"fields\\\": {\\\"stage\\\": \\\"won\\\"}}", 0.3, "opportunity", "update");
        post(tenant, "/api/v1/workflows", "{\"name\":\"guess\",\"nodes\":[{\"id\":\"guess\",\"kind\":\"agent\","
                + "\"agent\":\"unsure-bot\"},{\"id\":\"commit\",\"kind\":\"commit\"}],\"edges\":[{\"from\":\"guess\","
                + "\"to\":\"commit\"}]}");
        String deal = post(tenant, "/api/v1/records", "{\"type\":\"opportunity\",\"fields\":{\"stage\":\"open\"}}");
        String run = startRun(tenant, "{\"workflow\":\"guess\",\"record\":\"" + deal + "\"}", null).then()
                .statusCode(201).extract().path("id");
        String approval = await(() -> Api.as(tenant.key()).get("/api/v1/approvals?status=pending&run=" + run)
                .then().extract().path("[0].id"));
        Api.as(tenant.key()).get("/api/v1/approvals/" + approval).then().body("reason", equalTo("low-confidence"))
                .body("confidence", equalTo(0.3f)).body("action.fields.stage", equalTo("won"));
        Api.as(tenant.key()).body("{\"approve\":false,\"comment\":\"Not yet\"}")
                .post("/api/v1/approvals/" + approval).then().statusCode(200).body("state", equalTo("denied"));
        JsonPath done = awaitRun(tenant, run, r -> "succeeded".equals(r.getString("state")));
        assertThat(done.getBoolean("nodes.find { it.id == 'commit' }.output.approved")).isFalse();
        Api.as(tenant.key()).get("/api/v1/records/" + deal).then().body("fields.stage", equalTo("open"))
                .body("version", equalTo(1));
    }

    @Test
    void aSpecialistWhoseModelIsDownOrHangsFailsItsNodeAndTheRunCommitsNothing() {
        try (FakeProvider down = FakeProvider.start(); FakeProvider hung = FakeProvider.start()) {
            down.failWith(500);
            hung.delay(Duration.ofSeconds(30));
            Api.TestTenant tenant = Api.newTenant("wf-down");
            for (FakeProvider fake : List.of(down, hung)) {
                String name = fake == down ? "down" : "hung";
                post(tenant, "/api/v1/providers", "{\"name\":\"" + name + "\",\"type\":\"openai-compatible\","
                        + "\"baseUrl\":\"" + fake.baseUrl() + "\"}");
                post(tenant, "/api/v1/models", "{\"name\":\"" + name + "-model\",\"provider\":\"" + name
                        + "\",\"providerModel\":\"fake-gpt\",\"inputPrice\":1,\"outputPrice\":2}");
                post(tenant, "/api/v1/agents", "{\"name\":\"" + name + "-bot\",\"kind\":\"llm\",\"model\":\"" + name
                        + "-model\",\"proposes\":[{\"type\":\"lead\",\"actions\":[\"update\"]}]}");
            }
            specialist(tenant, "fine-bot", "sales", "{\\\"action\\\": \\\"update\\\", \\\"record\\\": "
                    + "\\\"{{record.id}}\\\", \\\"fields\\\": {\\\"score\\\": 5}}", 0.9, "lead", "update");
            for (String name : List.of("down", "hung")) {
                post(tenant, "/api/v1/workflows", "{\"name\":\"with-" + name + "\",\"nodes\":[{\"id\":\"fine\","
                        + "\"kind\":\"agent\",\"agent\":\"fine-bot\"},{\"id\":\"broken\",\"kind\":\"agent\",\"agent\":\""
                        + name + "-bot\",\"retries\":1},{\"id\":\"commit\",\"kind\":\"commit\"}],\"edges\":[{\"from\":"
                        + "\"fine\",\"to\":\"commit\"},{\"from\":\"broken\",\"to\":\"commit\"}]}");
                String lead = post(tenant, "/api/v1/records", "{\"type\":\"lead\",\"fields\":{\"score\":1}}");
                String run = startRun(tenant, "{\"workflow\":\"with-" + name + "\",\"record\":\"" + lead + "\"}",
                        null).then().statusCode(201).extract().path("id");
                JsonPath failed = awaitRun(tenant, run, r -> "failed".equals(r.getString("state")));
                assertThat(node(failed, "broken", "state")).isEqualTo("failed");
                assertThat(failed.getInt("nodes.find { it.id == 'broken' }.attempts")).isEqualTo(2);
                assertThat(node(failed, "commit", "state")).isEqualTo("cancelled");
                assertThat(failed.getString("error")).startsWith("Node broken failed");
                Api.as(tenant.key()).get("/api/v1/records/" + lead).then().body("fields.score", equalTo(1))
                        .body("workflows.size()", equalTo(0));
                // The record is free again: a new run takes it at once.
                startRun(tenant, "{\"workflow\":\"with-" + name + "\",\"record\":\"" + lead + "\"}", null).then()
                        .statusCode(201).body("state", equalTo("running"));
            }
        }
    }

    @Test
    void invalidWorkflowsAreRefusedNamingTheField() {
        Api.TestTenant tenant = Api.newTenant("wf-invalid");
        Api.as(tenant.key()).body("{\"name\":\"loop\",\"nodes\":[{\"id\":\"a\",\"kind\":\"condition\",\"condition\":"
                        + "{\"path\":\"x\",\"op\":\"exists\"}},{\"id\":\"b\",\"kind\":\"wait\",\"seconds\":1}],\"edges\":"
                        + "[{\"from\":\"a\",\"to\":\"b\"},{\"from\":\"b\",\"to\":\"a\"}]}").post("/api/v1/workflows").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("edges"))
                .body("errors[0].message", containsString("cycle through a, b"));
        Api.as(tenant.key()).body("{\"name\":\"dangling\",\"nodes\":[{\"id\":\"a\",\"kind\":\"commit\"}],\"edges\":"
                        + "[{\"from\":\"a\",\"to\":\"ghost\"}]}").post("/api/v1/workflows").then().statusCode(400)
                .body("errors.field", hasItem("edges[0].to"));
        Api.as(tenant.key()).body("{\"name\":\"Bad Name\",\"nodes\":[{\"id\":\"a\",\"kind\":\"teleport\"},"
                        + "{\"id\":\"w\",\"kind\":\"wait\"}]}").post("/api/v1/workflows").then().statusCode(400)
                .body("errors.field", hasItem("name")).body("errors.field", hasItem("nodes[0].kind"))
                .body("errors.field", hasItem("nodes[1].seconds"));
        Api.as(tenant.key()).body("{\"name\":\"r\",\"on\":{\"event\":\"x\"},\"workflow\":\"none\","
                + "\"onLocked\":\"shove\"}").post("/api/v1/routing-rules").then().statusCode(400)
                .body("errors.field", hasItem("onLocked"));
        Api.as(tenant.key()).body("{\"name\":\"r\",\"on\":{\"event\":\"x\"},\"workflow\":\"none\"}")
                .post("/api/v1/routing-rules").then().statusCode(400).body("errors[0].field", equalTo("workflow"));
        Api.as(tenant.key()).body("{\"workflow\":\"none\"}").post("/api/v1/runs").then().statusCode(400)
                .body("errors[0].field", equalTo("workflow"));
        Api.as(tenant.key()).body("{\"nodes\":").post("/api/v1/workflows").then().statusCode(400)
                .contentType("application/problem+json");
        Api.as(tenant.key()).get("/api/v1/runs/not-a-uuid").then().statusCode(404);
        Api.as(tenant.key()).get("/api/v1/workflows").then().body("size()", equalTo(0));
    }

    @Test
    void branchesSkipTheEdgesNotTakenWaitsWakeAndDefinitionsAreVersioned() {
        Api.TestTenant tenant = Api.newTenant("wf-branches");
        String workflow = post(tenant, "/api/v1/workflows", "{\"name\":\"branchy\",\"nodes\":["
                + "{\"id\":\"big\",\"kind\":\"condition\",\"condition\":{\"path\":\"record.fields.amount\","
                + "\"op\":\"gte\",\"value\":1000}},{\"id\":\"pause\",\"kind\":\"wait\",\"seconds\":1},"
                + "{\"id\":\"review\",\"kind\":\"approval\"},{\"id\":\"note\",\"kind\":\"tool\",\"tool\":"
                + "\"current_time\"}],\"edges\":[{\"from\":\"big\",\"to\":\"review\",\"when\":{\"path\":"
                + "\"outputs.big.result\",\"op\":\"eq\",\"value\":true}},{\"from\":\"big\",\"to\":\"pause\",\"when\":"
                + "{\"path\":\"outputs.big.result\",\"op\":\"eq\",\"value\":false}},{\"from\":\"pause\",\"to\":"
                + "\"note\"},{\"from\":\"review\",\"to\":\"note\"}]}");
        String deal = post(tenant, "/api/v1/records", "{\"type\":\"opportunity\",\"fields\":{\"amount\":10}}");
        Instant started = Instant.now();
        String run = startRun(tenant, "{\"workflow\":\"branchy\",\"record\":\"" + deal + "\"}", null).then()
                .statusCode(201).extract().path("id");
        JsonPath done = awaitRun(tenant, run, r -> "succeeded".equals(r.getString("state")));
        assertThat(Duration.between(started, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(node(done, "review", "state")).isEqualTo("skipped");
        assertThat(node(done, "pause", "state")).isEqualTo("succeeded");
        assertThat(node(done, "note", "state")).isEqualTo("succeeded");
        assertThat(done.getString("nodes.find { it.id == 'note' }.output.result")).isNotBlank();

        Api.as(tenant.key()).body("{\"nodes\":[{\"id\":\"only\",\"kind\":\"commit\"}]}")
                .put("/api/v1/workflows/" + workflow).then().statusCode(200).body("version", equalTo(2));
        Api.as(tenant.key()).get("/api/v1/workflows/" + workflow + "/versions").then().body("version",
                equalTo(List.of(1, 2)));
        Api.as(tenant.key()).get("/api/v1/runs/" + run).then().body("workflow.version", equalTo(1));
    }

    @Test
    void anotherTenantsRunsApprovalsAndWorkflowsAreOutOfReach() {
        Api.TestTenant a = Api.newTenant("wf-iso-a");
        Api.TestTenant b = Api.newTenant("wf-iso-b");
        String workflow = post(a, "/api/v1/workflows", "{\"name\":\"hold\",\"nodes\":[{\"id\":\"ok\",\"kind\":"
                + "\"approval\"}]}");
        String lead = post(a, "/api/v1/records", "{\"type\":\"lead\",\"fields\":{}}");
        String run = startRun(a, "{\"workflow\":\"hold\",\"record\":\"" + lead + "\"}", null).then()
                .statusCode(201).extract().path("id");
        String approval = await(() -> Api.as(a.key()).get("/api/v1/approvals?status=pending").then().extract()
                .path("[0].id"));

        Api.as(b.key()).get("/api/v1/runs/" + run).then().statusCode(404);
        Api.as(b.key()).get("/api/v1/runs").then().body("size()", equalTo(0));
        Api.as(b.key()).post("/api/v1/runs/" + run + "/cancel").then().statusCode(404);
        Api.as(b.key()).get("/api/v1/approvals").then().body("size()", equalTo(0));
        Api.as(b.key()).get("/api/v1/approvals/" + approval).then().statusCode(404);
        Api.as(b.key()).body("{\"approve\":true}").post("/api/v1/approvals/" + approval).then().statusCode(404);
        Api.as(b.key()).get("/api/v1/workflows/" + workflow).then().statusCode(404);
        Api.as(b.key()).body("{\"nodes\":[{\"id\":\"x\",\"kind\":\"commit\"}]}")
                .put("/api/v1/workflows/" + workflow).then().statusCode(404);
        Api.as(b.key()).delete("/api/v1/workflows/" + workflow).then().statusCode(404);
        Api.as(b.key()).get("/api/v1/workflows").then().body("size()", equalTo(0));
        // B cannot start its own run on A's record, nor trigger on it.
        post(b, "/api/v1/workflows", "{\"name\":\"hold\",\"nodes\":[{\"id\":\"ok\",\"kind\":\"approval\"}]}");
        startRun(b, "{\"workflow\":\"hold\",\"record\":\"" + lead + "\"}", null).then().statusCode(400)
                .body("errors[0].field", equalTo("record"));
        Api.as(b.key()).body("{\"event\":\"x\",\"record\":\"" + lead + "\"}").post("/api/v1/triggers").then()
                .statusCode(400);
        Api.as(b.key()).get("/api/v1/audit?run=" + run).then().body("size()", equalTo(0));
        Api.as(a.key()).get("/api/v1/approvals/" + approval).then().statusCode(200).body("state", equalTo("pending"));
    }

    private static void specialist(Api.TestTenant tenant, String name, String capability, String action,
                                   double confidence, String type, String verb) {
        post(tenant, "/api/v1/agents", "{\"name\":\"" + name + "\",\"kind\":\"llm\",\"model\":\"steward-scripted\","
                + "\"instructions\":\"Propose: {\\\"actions\\\": [" + action + "], \\\"confidence\\\": " + confidence
                + ", \\\"reasoning\\\": \\\"" + name + " says so\\\"}\",\"capabilities\":[{\"name\":\"" + capability
                + "\"}],\"proposes\":[{\"type\":\"" + type + "\",\"actions\":[\"" + verb + "\"]}]}");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonObject demoFlow() throws IOException {
        try (InputStream in = WorkflowsIT.class.getResourceAsStream("/demo/lead-to-cash.json");
             JsonReader reader = Json.createReader(in)) {
            return reader.readObject();
        }
    }
}
