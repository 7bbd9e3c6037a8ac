package dev.steward.dispatch;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steward.testing.Api;
import dev.steward.testing.StewardServer;
import dev.steward.testing.Tasks;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code POST /api/v1/tasks/batch} over real HTTP, with the node's real dispatcher running the jobs. */
@ExtendWith(StewardServer.class)
class TasksBatchIT {

    private static final String BATCH = "/api/v1/tasks/batch";

    /** An hour from now: tasks that stay put while a test looks at them. */
    private static String later() {
        return Instant.now().plus(Duration.ofHours(1)).toString();
    }

    private static String batch(String... tasks) {
        return "{\"tasks\":[" + String.join(",", tasks) + "]}";
    }

    /** How many tasks the tenant has (the tests' tenants have fewer than the list's page). */
    private static int count(String key) {
        return Api.as(key).get("/api/v1/tasks?limit=500").then().statusCode(200).extract().jsonPath()
                .getList("$").size();
    }

    @Test
    void aBatchOfValidTasksIsCreatedInOrderAndEveryOneRuns() {
        Api.TestTenant tenant = Api.newTenant("batch-run");
        JsonPath answer = Api.as(tenant.key()).body(batch(
                        "{\"kind\":\"noop\",\"priority\":\"P0\",\"payload\":{\"n\":0}}",
                        "{\"kind\":\"noop\",\"priority\":\"P1\",\"payload\":{\"n\":1},\"resources\":[\"provider:openai\"],"
                                + "\"tokens\":10}",
                        "{\"kind\":\"noop\",\"payload\":{\"n\":2},\"maxAttempts\":3}",
                        "{\"kind\":\"noop\",\"priority\":\"P3\",\"payload\":{\"n\":3},\"runAt\":\""
                                + Instant.now().minusSeconds(5) + "\"}",
                        "{\"kind\":\"noop\",\"payload\":{\"n\":4},\"idempotencyKey\":\"run-" + UUID.randomUUID() + "\"}"))
                .post(BATCH).then().statusCode(201)
                .body("tasks.created", equalTo(List.of(true, true, true, true, true)))
                .body("tasks.kind", everyItem(equalTo("noop")))
                .body("tasks.priority", equalTo(List.of("P0", "P1", "P2", "P3", "P2")))
                .body("tasks.payload.n", equalTo(List.of(0, 1, 2, 3, 4)))
                .body("tasks[1].resources", equalTo(List.of("provider:openai"))).body("tasks[1].tokens", equalTo(10))
                .body("tasks[2].maxAttempts", equalTo(3)).body("tasks[0].maxAttempts", equalTo(5))
                .body("tasks[4].idempotencyKey", startsWith("run-"))
                .extract().jsonPath();
        List<String> ids = answer.getList("tasks.id");
        for (int i = 0; i < ids.size(); i++) {
            // Each answer is the row of its own item, as stored.
            Api.as(tenant.key()).get("/api/v1/tasks/" + ids.get(i)).then().statusCode(200)
                    .body("payload.n", equalTo(i));
            if (i > 0) {
                assertTrue(Long.parseLong(ids.get(i)) > Long.parseLong(ids.get(i - 1)), "ids in request order " + ids);
            }
        }
        for (String id : ids) {
            assertEquals("completed", Tasks.awaitState(tenant.key(), id, "completed"), "task " + id);
        }
        assertEquals(5, count(tenant.key()));
    }

    @Test
    void invalidItemsAreAllNamedByIndexAndNothingIsInserted() {
        Api.TestTenant tenant = Api.newTenant("batch-bad");
        Tasks.submit(tenant.key(), "{\"kind\":\"noop\",\"runAt\":\"" + later() + "\"}");
        int before = count(tenant.key());
        String key = "bad-" + UUID.randomUUID();
        Api.as(tenant.key()).body(batch(
                        "{\"kind\":\"noop\",\"runAt\":\"" + later() + "\"}",
                        "{\"kind\":\"launch-rockets\"}",
                        "{\"kind\":\"noop\",\"priority\":\"P9\",\"maxAttempts\":0}",
                        "{\"kind\":\"webhook\",\"payload\":{}}",
                        "{\"kind\":\"noop\",\"resources\":[\"disk:c\"]}",
                        "null",
                        "{\"kind\":\"\"}",
                        "{\"kind\":\"noop\",\"idempotencyKey\":\"" + key + "\"}"))
                .post(BATCH).then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://steward.dev/problems/validation-failed"))
                .body("errors.field", equalTo(List.of("tasks[1].kind", "tasks[2].maxAttempts", "tasks[2].priority",
                        "tasks[3].payload.url", "tasks[4].resources[0]", "tasks[5]", "tasks[6].kind")))
                .body("errors.find { it.field == 'tasks[1].kind' }.message", containsString("noop"))
                .body("detail", containsString("6 of 8")).body("detail", containsString("none was submitted"));
        assertEquals(before, count(tenant.key()), "nothing inserted");
        // The valid item's key was not taken either.
        Api.as(tenant.key()).body("{\"kind\":\"noop\",\"idempotencyKey\":\"" + key + "\"}").post("/api/v1/tasks")
                .then().statusCode(201);
    }

    @Test
    void aRepeatedKeyAnswersWithItsFirstTask() {
        Api.TestTenant tenant = Api.newTenant("batch-keys");
        String earlierKey = "earlier-" + UUID.randomUUID();
        String batchKey = "batch-" + UUID.randomUUID();
        String earlier = Tasks.submit(tenant.key(), "{\"kind\":\"noop\",\"idempotencyKey\":\"" + earlierKey
                + "\",\"runAt\":\"" + later() + "\"}");
        JsonPath first = Api.as(tenant.key()).body(batch(
                        "{\"kind\":\"noop\",\"idempotencyKey\":\"" + batchKey + "\",\"runAt\":\"" + later() + "\"}",
                        "{\"kind\":\"noop\",\"priority\":\"P0\",\"idempotencyKey\":\"" + batchKey + "\"}",
                        "{\"kind\":\"noop\",\"idempotencyKey\":\"" + earlierKey + "\"}",
                        "{\"kind\":\"noop\",\"runAt\":\"" + later() + "\"}"))
                .post(BATCH).then().statusCode(201)
                .body("tasks.created", equalTo(List.of(true, false, false, true)))
                // The repeat is the first item's task, as that item asked for it.
                .body("tasks[1].priority", equalTo("P2")).body("tasks[1].state", equalTo("scheduled"))
                .body("tasks[2].id", equalTo(earlier))
                .extract().jsonPath();
        String created = first.getString("tasks[0].id");
        assertEquals(created, first.getString("tasks[1].id"));
        assertNotEquals(created, first.getString("tasks[3].id"));
        assertEquals(3, count(tenant.key()));

        // Nothing new: 200, every item the first task of its key.
        Api.as(tenant.key()).body(batch("{\"kind\":\"noop\",\"idempotencyKey\":\"" + earlierKey + "\"}",
                        "{\"kind\":\"noop\",\"idempotencyKey\":\"" + batchKey + "\"}",
                        "{\"kind\":\"webhook\",\"payload\":{\"url\":\"http://127.0.0.1:9/\"},\"idempotencyKey\":\""
                                + batchKey + "\"}"))
                .post(BATCH).then().statusCode(200)
                .body("tasks.created", equalTo(List.of(false, false, false)))
                .body("tasks.id", equalTo(List.of(earlier, created, created)))
                .body("tasks.kind", everyItem(equalTo("noop")));
        assertEquals(3, count(tenant.key()));
    }

    @Test
    void theListHoldsOneToAThousandTasks() {
        Api.TestTenant tenant = Api.newTenant("batch-size");
        String noop = "{\"kind\":\"noop\",\"runAt\":\"2099-01-01T00:00:00Z\"}";
        Api.as(tenant.key()).body(batch(Collections.nCopies(1_001, noop).toArray(String[]::new)))
                .post(BATCH).then().statusCode(400).body("errors.field", equalTo(List.of("tasks")))
                .body("detail", containsString("1001"));
        Api.as(tenant.key()).body("{\"tasks\":[]}").post(BATCH).then().statusCode(400)
                .body("errors.field", equalTo(List.of("tasks")));
        Api.as(tenant.key()).body("{}").post(BATCH).then().statusCode(400)
                .body("errors.field", equalTo(List.of("tasks")));
        assertEquals(0, count(tenant.key()));

        // A thousand go in one statement, in order (kept under the test server's 64 KiB body limit: every third
        // with a key, every tenth with a payload).
        List<String> thousand = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            thousand.add("{\"kind\":\"noop\",\"runAt\":\"2099-01-01T00:00:00Z\""
                    + (i % 3 == 0 ? ",\"idempotencyKey\":\"k" + i + "\"" : "")
                    + (i % 10 == 0 ? ",\"payload\":{\"n\":" + i + "}" : "") + "}");
        }
        JsonPath answer = Api.as(tenant.key()).body(batch(thousand.toArray(String[]::new))).post(BATCH).then()
                .statusCode(201).body("tasks.created", everyItem(equalTo(true)))
                .body("tasks.state", everyItem(equalTo("scheduled"))).extract().jsonPath();
        List<String> ids = answer.getList("tasks.id");
        List<String> keys = answer.getList("tasks.idempotencyKey");
        List<Integer> ns = answer.getList("tasks.payload.n");
        assertEquals(1_000, ids.size());
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(i % 3 == 0 ? "k" + i : null, keys.get(i));
            assertEquals(i % 10 == 0 ? Integer.valueOf(i) : null, ns.get(i));
            if (i > 0) {
                assertTrue(Long.parseLong(ids.get(i)) > Long.parseLong(ids.get(i - 1)), "ids in request order");
            }
        }
        Api.as(tenant.key()).get("/api/v1/tasks/" + ids.get(990)).then().statusCode(200)
                .body("payload.n", equalTo(990)).body("idempotencyKey", equalTo("k990"));
    }

    @Test
    void oversizedAndMalformedBodiesAreThePlatformsProblems() {
        Api.TestTenant tenant = Api.newTenant("batch-body");
        String padded = "{\"kind\":\"noop\",\"payload\":{\"pad\":\"" + "x".repeat(100) + "\"}}";
        Api.as(tenant.key()).body(batch(Collections.nCopies(1_000, padded).toArray(String[]::new)))
                .post(BATCH).then().statusCode(413).contentType(startsWith("application/problem+json"))
                .body("status", equalTo(413));
        Api.as(tenant.key()).body("{\"tasks\":[{\"kind\":\"noop\"}").post(BATCH).then().statusCode(400)
                .contentType(startsWith("application/problem+json")).body("status", equalTo(400));
        Api.as(tenant.key()).body("[{\"kind\":\"noop\"}]").post(BATCH).then().statusCode(400)
                .contentType(startsWith("application/problem+json"));
        Api.as(tenant.key()).body("{\"tasks\":[{\"kind\":\"noop\",\"payload\":[1]}]}").post(BATCH).then()
                .statusCode(400).contentType(startsWith("application/problem+json"));
        assertEquals(0, count(tenant.key()));
    }

    @Test
    void batchesNeedTheWriteScope() {
        Api.TestTenant tenant = Api.newTenant("batch-scope");
        String readOnly = Api.issueKey(tenant.id(), "[\"tasks:read\"]");
        Api.as(readOnly).body(batch("{\"kind\":\"noop\"}")).post(BATCH).then().statusCode(403);
        Api.anonymous().body(batch("{\"kind\":\"noop\"}")).post(BATCH).then().statusCode(401);
        assertEquals(0, count(tenant.key()));
    }

    @Test
    void aBatchIsItsTenantsAloneAndKeysArePerTenant() {
        Api.TestTenant a = Api.newTenant("batch-a");
        Api.TestTenant b = Api.newTenant("batch-b");
        String key = "shared-" + UUID.randomUUID();
        String body = batch("{\"kind\":\"noop\",\"idempotencyKey\":\"" + key + "\",\"payload\":{\"who\":\"a\"},"
                + "\"runAt\":\"" + later() + "\"}", "{\"kind\":\"noop\",\"runAt\":\"" + later() + "\"}");
        List<String> aIds = Api.as(a.key()).body(body).post(BATCH).then().statusCode(201)
                .body("tasks.created", everyItem(equalTo(true))).extract().jsonPath().getList("tasks.id");
        for (String id : aIds) {
            Api.as(b.key()).get("/api/v1/tasks/" + id).then().statusCode(404);
            Api.as(b.key()).post("/api/v1/tasks/" + id + "/cancel").then().statusCode(404);
        }
        Api.as(b.key()).get("/api/v1/tasks").then().statusCode(200).body("id", not(hasItem(aIds.get(0))))
                .body("id", not(hasItem(aIds.get(1))));
        // The same key in B is B's own: a new task, not A's.
        List<String> bIds = Api.as(b.key()).body(body).post(BATCH).then().statusCode(201)
                .body("tasks.created", everyItem(equalTo(true))).extract().jsonPath().getList("tasks.id");
        assertTrue(Collections.disjoint(aIds, bIds), aIds + " / " + bIds);
        Api.as(a.key()).body(batch("{\"kind\":\"noop\",\"idempotencyKey\":\"" + key + "\"}")).post(BATCH).then()
                .statusCode(200).body("tasks[0].id", equalTo(aIds.get(0)));
        Api.as(b.key()).body(batch("{\"kind\":\"noop\",\"idempotencyKey\":\"" + key + "\"}")).post(BATCH).then()
                .statusCode(200).body("tasks[0].id", equalTo(bIds.get(0)));
        assertEquals(2, count(a.key()));
        assertEquals(2, count(b.key()));
        Api.as(a.key()).get("/api/v1/tasks/" + aIds.get(0)).then().statusCode(200).body("payload.who", equalTo("a"));
    }
}
