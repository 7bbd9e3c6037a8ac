package dev.steward.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.steward.testing.Api;
import dev.steward.testing.StewardServer;
import dev.steward.testing.Tasks;
import dev.steward.testing.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Webhook tasks against a real HTTP receiver (the test rig allows 127.0.0.1 and private addresses). */
@ExtendWith(StewardServer.class)
class WebhookIT {

    private static WebhookReceiver receiver;
    private static Api.TestTenant tenant;

    @BeforeAll
    static void start() {
        receiver = WebhookReceiver.start();
        tenant = Api.newTenant("webhook");
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @Test
    void aWebhookDeliversItsBodyWithAnIdempotencyKeyAndCompletes() {
        String id = Tasks.submit(tenant.key(), "{\"kind\":\"webhook\",\"payload\":{\"url\":\"" + receiver.url("/ok")
                + "\",\"body\":{\"order\":42}}}");

        assertThat(Tasks.awaitState(tenant.key(), id, "completed")).isEqualTo("completed");
        assertThat(receiver.calls("/ok")).singleElement().satisfies(call -> {
            assertThat(call.body()).isEqualTo("{\"order\":42}");
            assertThat(call.idempotencyKey()).isEqualTo("steward-" + tenant.id() + "-" + id);
        });
    }

    @Test
    void aClientErrorDeadLettersAtOnceAndAServerErrorIsRetried() {
        receiver.answer("/gone", 404);
        receiver.answer("/flaky", 503);
        String gone = Tasks.submit(tenant.key(), webhook("/gone"));
        String flaky = Tasks.submit(tenant.key(), webhook("/flaky"));

        assertThat(Tasks.awaitState(tenant.key(), gone, "failed")).isEqualTo("failed");
        Api.as(tenant.key()).get("/api/v1/tasks/" + gone).then()
                .body("attempt", equalTo(1)).body("lastError", containsString("404"));
        assertThat(Tasks.awaitState(tenant.key(), flaky, "retryable")).isEqualTo("retryable");
        Api.as(tenant.key()).get("/api/v1/tasks/" + flaky).then()
                .body("attempt", equalTo(1)).body("lastError", containsString("503"));
        Instant retryAt = Instant.parse(Api.as(tenant.key()).get("/api/v1/tasks/" + flaky).then()
                .extract().path("runAt"));
        assertThat(retryAt).isAfter(Instant.now().minus(Duration.ofSeconds(1)));
    }

    @Test
    void aReceiverAskingToBeCalledLaterDefersTheTaskWithoutSpendingAnAttempt() {
        receiver.answer("/later", 429, 1);
        String id = Tasks.submit(tenant.key(), webhook("/later"));

        Instant deadline = Instant.now().plusSeconds(15);
        while (Instant.now().isBefore(deadline) && !"dependency".equals(Api.as(tenant.key())
                .get("/api/v1/tasks/" + id).then().extract().path("deferredBy"))) {
            Tasks.pause(50);
        }
        Api.as(tenant.key()).get("/api/v1/tasks/" + id).then()
                .body("deferredBy", equalTo("dependency")).body("attempt", equalTo(0));
        receiver.answer("/later", 200);
        assertThat(Tasks.awaitState(tenant.key(), id, "completed")).isEqualTo("completed");
        Api.as(tenant.key()).get("/api/v1/tasks/" + id).then().body("attempt", equalTo(1));
    }

    @Test
    void aCallThatOutlivesTheKindsMaximumRunTimeIsInterruptedAndRetried() {
        // The rig sets webhooks' maximum to 3 s; this receiver answers after 20 s, within the call's own timeout.
        receiver.delay("/hang", 20_000);
        String id = Tasks.submit(tenant.key(), "{\"kind\":\"webhook\",\"payload\":{\"url\":\"" + receiver.url("/hang")
                + "\",\"timeoutSeconds\":30}}");

        assertThat(Tasks.awaitState(tenant.key(), id, "retryable", Duration.ofSeconds(15))).isEqualTo("retryable");
        Api.as(tenant.key()).get("/api/v1/tasks/" + id).then()
                .body("attempt", equalTo(1)).body("lastError", containsString("maximum of 3 s"));
        // No further hung attempts for the rest of the suite (409 if one already started: it is interrupted too).
        Api.as(tenant.key()).post("/api/v1/tasks/" + id + "/cancel");
    }

    @Test
    void aUrlOffTheAllowListOrABadPayloadIsRefusedWhenSubmitted() {
        Api.as(tenant.key()).body("{\"kind\":\"webhook\",\"payload\":{\"url\":\"http://example.com/hook\"}}")
                .post("/api/v1/tasks").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("payload.url"))
                .body("errors.message", hasItem(containsString("allow-list")));
        Api.as(tenant.key()).body("{\"kind\":\"webhook\",\"payload\":{\"url\":\"" + receiver.url("/x")
                        + "\",\"method\":\"DELETE\",\"timeoutSeconds\":99}}")
                .post("/api/v1/tasks").then().statusCode(400)
                .body("errors.field", hasItem("payload.method"))
                .body("errors.field", hasItem("payload.timeoutSeconds"));
        Api.as(tenant.key()).body("{\"kind\":\"webhook\",\"payload\":{}}")
                .post("/api/v1/tasks").then().statusCode(400).body("errors.field", hasItem("payload.url"));
        Api.as(tenant.key()).body("{\"kind\":\"webhook\",\"payload\":{\"url\":\"file:///etc/passwd\"}}")
                .post("/api/v1/tasks").then().statusCode(400).body("errors.field", hasItem("payload.url"));
    }

    private static String webhook(String path) {
        return "{\"kind\":\"webhook\",\"payload\":{\"url\":\"" + receiver.url(path) + "\"}}";
    }
}
