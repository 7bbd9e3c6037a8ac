package dev.steward.dispatch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.steward.testing.Api;
import dev.steward.testing.LibertyServer;
import dev.steward.testing.SseClient;
import dev.steward.testing.StewardServer;
import dev.steward.testing.Tasks;
import dev.steward.testing.WebhookReceiver;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two Steward nodes on one database, both dispatching: the queue and the constraint engine's counters are shared
 * through PostgreSQL alone, so no job runs twice and no cap is overrun however the two interleave; a session's
 * events reach its streams on either node, and a turn parked on one resumes from a decision taken on the other.
 */
@ExtendWith(StewardServer.class)
class TwoNodesIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static LibertyServer second;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void startSecondNode() {
        receiver = WebhookReceiver.start();
        second = StewardServer.rig().startNode("steward-b");
    }

    @AfterAll
    static void stopSecondNode() {
        receiver.close();
        if (second != null) {
            second.close();
        }
    }

    @Test
    void twoNodesNeverRunOneJobTwice() {
        Api.TestTenant tenant = Api.newTenant("two-nodes");
        receiver.delay("/once", 5);
        List<String> ids = submitToBothNodes(tenant, 200, webhook("/once", ""));

        awaitCompleted(tenant, ids, ids.size());
        Map<String, Long> callsPerKey = receiver.calls("/once").stream()
                .collect(Collectors.groupingBy(WebhookReceiver.Call::idempotencyKey, Collectors.counting()));
        assertThat(callsPerKey).hasSize(ids.size());
        assertThat(callsPerKey.values()).allMatch(calls -> calls == 1);
        assertThat(claimedOn(second)).as("the second node's dispatcher took part").isPositive();
    }

    @Test
    void aChannelsDailyCapHoldsExactlyWithTwoDispatchersAdmittingAtOnce() {
        Api.TestTenant tenant = Api.newTenant("two-nodes-cap");
        Api.as(tenant.key()).body("{\"perDay\":25}").put("/api/v1/quotas/channel:blast").then().statusCode(200);
        receiver.delay("/blast", 20);
        List<String> ids = submitToBothNodes(tenant, 100, webhook("/blast", ",\"resources\":[\"channel:blast\"]"));

        awaitCompleted(tenant, ids, 25);
        // Give any overrun the chance to show: the rest stay held back until tomorrow.
        Tasks.pause(1_000);
        assertThat(receiver.calls("/blast")).hasSize(25);
        long held = ids.stream().filter(id -> "channel-daily-cap".equals(Api.as(tenant.key())
                .get("/api/v1/tasks/" + id).then().extract().path("deferredBy"))).count();
        assertThat(held).isEqualTo(75);
        Api.as(tenant.key()).get("/api/v1/quotas/channel:blast").then().statusCode(200)
                .body("usage.usedToday", equalTo(25));
    }

    @Test
    void aSessionStreamsOnBothNodesAndAnApprovalOnOneResumesATurnStartedOnTheOther() {
        Api.TestTenant tenant = Api.newTenant("two-nodes-sessions");
        String agent = Api.as(tenant.key()).body("{\"name\":\"writer\",\"kind\":\"llm\",\"model\":"
                + "\"steward-scripted\",\"tools\":[\"save_note\"]}").post("/api/v1/agents").then().statusCode(201)
                .extract().path("id");
        String session = Api.as(tenant.key()).body("{\"agentId\":\"" + agent + "\"}").post("/api/v1/sessions")
                .then().statusCode(201).extract().path("id");
        String events = "/api/v1/sessions/" + session + "/events";
        try (SseClient onFirst = SseClient.open(events, tenant.key(), null);
             SseClient onSecond = SseClient.open(second.baseUri(), events, tenant.key(), null)) {
            Api.as(tenant.key()).body("{\"input\":\"call save_note {\\\"text\\\": \\\"both\\\"}\"}")
                    .post("/api/v1/sessions/" + session + "/turns").then().statusCode(202);
            List<SseClient.Event> asked = onSecond.until("confirmation.requested", WAIT);
            String confirmation = asked.get(asked.size() - 1).data().getString("confirmationId");
            given().baseUri(second.baseUri().toString()).contentType(ContentType.JSON).auth().oauth2(tenant.key())
                    .body("{\"approve\":true}").post("/api/v1/sessions/" + session + "/confirmations/" + confirmation)
                    .then().statusCode(200);

            List<SseClient.Event> fromFirst = onFirst.until("turn.completed", WAIT);
            List<SseClient.Event> fromSecond = new ArrayList<>(asked);
            fromSecond.addAll(onSecond.until("turn.completed", WAIT));
            assertThat(fromFirst).isEqualTo(fromSecond);
            assertThat(fromFirst.get(fromFirst.size() - 1).data().getString("answer"))
                    .startsWith("Tool save_note answered: Saved note ");
        }
    }

    private static String webhook(String path, String extraFields) {
        return "{\"kind\":\"webhook\",\"payload\":{\"url\":\"" + receiver.url(path) + "\"}" + extraFields + "}";
    }

    /** Submits {@code count} tasks, alternating between the two nodes' APIs. */
    private static List<String> submitToBothNodes(Api.TestTenant tenant, int count, String json) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i % 2 == 0) {
                ids.add(Tasks.submit(tenant.key(), json));
            } else {
                ids.add(given().baseUri(second.baseUri().toString()).contentType(ContentType.JSON)
                        .auth().oauth2(tenant.key()).body(json).post("/api/v1/tasks")
                        .then().statusCode(201).extract().path("id"));
            }
        }
        return ids;
    }

    /** Waits until {@code expected} of the tasks have completed (the tenant's own list, one request a round). */
    private static void awaitCompleted(Api.TestTenant tenant, List<String> ids, int expected) {
        Instant deadline = Instant.now().plusSeconds(30);
        long done = 0;
        while (Instant.now().isBefore(deadline)) {
            List<String> completed = Api.as(tenant.key()).get("/api/v1/tasks?state=completed&limit=500")
                    .then().statusCode(200).extract().path("id");
            done = completed.stream().filter(ids::contains).count();
            if (done >= expected) {
                break;
            }
            Tasks.pause(100);
        }
        assertThat(done).isEqualTo(expected);
    }

    private static double claimedOn(LibertyServer node) {
        String metrics = given().baseUri(node.baseUri().toString()).get("/metrics?scope=application")
                .then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith("steward_dispatch_claimed_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
