package dev.steward.dispatch;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.steward.testing.Api;
import dev.steward.testing.StewardServer;
import dev.steward.testing.Tasks;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The tasks API over real HTTP, with the node's real dispatcher running the jobs. */
@ExtendWith(StewardServer.class)
class TasksApiIT {

    private static Api.TestTenant a;
    private static Api.TestTenant b;

    @BeforeAll
    static void twoTenants() {
        a = Api.newTenant("tasks-a");
        b = Api.newTenant("tasks-b");
    }

    @Test
    void aNoopTaskRunsToCompletion() {
        String id = Api.as(a.key()).body("{\"kind\":\"noop\",\"priority\":\"P1\",\"payload\":{\"n\":1}}")
                .post("/api/v1/tasks").then().statusCode(201)
                .body("kind", equalTo("noop")).body("priority", equalTo("P1")).body("payload.n", equalTo(1))
                .extract().path("id");
        assertEquals("completed", Tasks.awaitState(a.key(), id, "completed"));
        Api.as(a.key()).get("/api/v1/tasks/" + id).then().statusCode(200).body("attempt", equalTo(1));
        Api.anonymous().get("/metrics?scope=application").then().statusCode(200)
                .body(containsString("steward_dispatch_claimed_total"))
                .body(containsString("steward_dispatch_outcomes_total{mp_scope=\"application\",outcome=\"completed\""))
                .body(containsString("steward_dispatch_pickup_seconds_count{mp_scope=\"application\",tier=\"P1\""))
                .body(containsString("steward_dispatch_depth{mp_scope=\"application\",state=\"available\",tier=\"P0\""));
    }

    @Test
    void jobsInsertedAnywhereWakeTheDispatcherWithoutWaitingForAPoll() throws Exception {
        // Inserted straight into the table, as another node would: only the NOTIFY can wake this node before its
        // next poll, 5 s away in the test configuration.
        long id;
        try (java.sql.Connection db = StewardServer.rig().connect(dev.steward.testing.EmbeddedDatabase.SUPERUSER);
             java.sql.Statement sql = db.createStatement();
             java.sql.ResultSet row = sql.executeQuery("INSERT INTO dispatch.jobs (tenant_id, kind, state)"
                     + " VALUES ('" + a.id() + "', 'noop', 'available') RETURNING id")) {
            row.next();
            id = row.getLong(1);
        }
        Instant inserted = Instant.now();
        assertEquals("completed", Tasks.awaitState(a.key(), String.valueOf(id), "completed"));
        Duration took = Duration.between(inserted, Instant.now());
        org.junit.jupiter.api.Assertions.assertTrue(took.toMillis() < 2500, "woken by NOTIFY, took " + took);
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheFirstTask() {
        String key = "order-" + UUID.randomUUID();
        String body = "{\"kind\":\"noop\",\"idempotencyKey\":\"" + key + "\"}";
        String first = Api.as(a.key()).body(body).post("/api/v1/tasks").then().statusCode(201).extract().path("id");
        Api.as(a.key()).body(body).post("/api/v1/tasks").then().statusCode(200).body("id", equalTo(first));
        // The same key is another tenant's own business.
        Api.as(b.key()).body(body).post("/api/v1/tasks").then().statusCode(201).body("id", not(equalTo(first)));
    }

    @Test
    void aScheduledTaskCanBeCancelledBeforeItRuns() {
        String runAt = Instant.now().plus(Duration.ofHours(1)).toString();
        String id = Api.as(a.key()).body("{\"kind\":\"noop\",\"runAt\":\"" + runAt + "\"}")
                .post("/api/v1/tasks").then().statusCode(201).body("state", equalTo("scheduled")).extract().path("id");
        Api.as(a.key()).post("/api/v1/tasks/" + id + "/cancel").then().statusCode(200)
                .body("state", equalTo("cancelled"));
        Api.as(a.key()).post("/api/v1/tasks/" + id + "/cancel").then().statusCode(409)
                .body("type", equalTo("https://steward.dev/problems/conflict"));
        Api.as(a.key()).post("/api/v1/tasks/" + id + "/retry").then().statusCode(409);
    }

    @Test
    void deadLettersCanBeRetriedOrDiscarded() throws Exception {
        long retried = insertDeadLetter(a.id());
        long discarded = insertDeadLetter(a.id());
        Api.as(a.key()).get("/api/v1/tasks?state=failed").then().statusCode(200)
                .body("id", hasItem(String.valueOf(retried))).body("lastError", everyItem(equalTo("handler gave up")));
        Api.as(b.key()).post("/api/v1/tasks/" + retried + "/retry").then().statusCode(404);
        Api.as(a.key()).post("/api/v1/tasks/" + retried + "/retry").then().statusCode(200)
                .body("state", equalTo("available")).body("attempt", equalTo(0));
        assertEquals("completed", Tasks.awaitState(a.key(), String.valueOf(retried), "completed"));
        Api.as(b.key()).post("/api/v1/tasks/" + discarded + "/discard").then().statusCode(404);
        Api.as(a.key()).post("/api/v1/tasks/" + discarded + "/discard").then().statusCode(200)
                .body("state", equalTo("cancelled"));
        Api.as(a.key()).post("/api/v1/tasks/" + discarded + "/retry").then().statusCode(409);
    }

    private static long insertDeadLetter(String tenant) throws Exception {
        try (java.sql.Connection db = StewardServer.rig().connect(dev.steward.testing.EmbeddedDatabase.SUPERUSER);
             java.sql.Statement sql = db.createStatement();
             java.sql.ResultSet row = sql.executeQuery("INSERT INTO dispatch.jobs (tenant_id, kind, state, attempt,"
                     + " max_attempts, last_error, finished_at) VALUES ('" + tenant + "', 'noop', 'failed', 5, 5,"
                     + " 'handler gave up', now()) RETURNING id")) {
            row.next();
            return row.getLong(1);
        }
    }

    @Test
    void badSubmissionsNameTheirField() {
        Api.as(a.key()).body("{\"kind\":\"launch-rockets\"}").post("/api/v1/tasks").then().statusCode(400)
                .body("errors.field", equalTo(java.util.List.of("kind"))).body("detail", containsString("noop"));
        Api.as(a.key()).body("{\"kind\":\"noop\",\"priority\":\"P9\"}").post("/api/v1/tasks").then().statusCode(400)
                .body("errors.field", hasItem("priority"));
        Api.as(a.key()).body("{\"kind\":\"noop\",\"payload\":[1,2]}").post("/api/v1/tasks").then().statusCode(400);
        Api.as(a.key()).body("{\"kind\":\"noop\",\"maxAttempts\":0}").post("/api/v1/tasks").then().statusCode(400)
                .body("errors.field", hasItem("maxAttempts"));
        Api.as(a.key()).get("/api/v1/tasks?state=sleeping").then().statusCode(400)
                .body("errors.field", hasItem("state"));
    }

    @Test
    void tasksAreInvisibleToOtherTenants() {
        String runAt = Instant.now().plus(Duration.ofHours(1)).toString();
        String id = Api.as(a.key()).body("{\"kind\":\"noop\",\"runAt\":\"" + runAt + "\"}")
                .post("/api/v1/tasks").then().statusCode(201).extract().path("id");
        Api.as(b.key()).get("/api/v1/tasks/" + id).then().statusCode(404);
        Api.as(b.key()).post("/api/v1/tasks/" + id + "/cancel").then().statusCode(404);
        Api.as(b.key()).get("/api/v1/tasks").then().statusCode(200).body("id", not(hasItem(id)));
        Api.as(a.key()).get("/api/v1/tasks?state=scheduled").then().statusCode(200)
                .body("id", hasItem(id)).body("state", everyItem(equalTo("scheduled")));
        Api.as(a.key()).get("/api/v1/tasks/" + id).then().statusCode(200).body("state", equalTo("scheduled"));
    }

    @Test
    void tasksNeedTheirScopes() {
        String readOnly = Api.issueKey(a.id(), "[\"tasks:read\"]");
        Api.as(readOnly).get("/api/v1/tasks").then().statusCode(200);
        Api.as(readOnly).body("{\"kind\":\"noop\"}").post("/api/v1/tasks").then().statusCode(403);
        Api.anonymous().get("/api/v1/tasks").then().statusCode(401);
    }
}
