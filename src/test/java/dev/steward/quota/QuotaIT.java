package dev.steward.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.steward.testing.Api;
import dev.steward.testing.StewardServer;
import dev.steward.testing.Tasks;
import dev.steward.testing.WebhookReceiver;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The constraint engine end to end: limits set over the API, jobs run by the node's real dispatcher, each kind of
 * limit holding work back (without spending its attempts) and letting it go when room returns.
 */
@ExtendWith(StewardServer.class)
class QuotaIT {

    private static WebhookReceiver receiver;

    @BeforeAll
    static void startReceiver() {
        receiver = WebhookReceiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void aTenantAtItsConcurrencyLimitRunsNoMoreAtOnceWhileOthersRunFreely() {
        Api.TestTenant busy = Api.newTenant("quota-busy");
        Api.TestTenant other = Api.newTenant("quota-other");
        Api.asOperator().body("{\"concurrency\":2}")
                .put("/api/v1/admin/tenants/" + busy.id() + "/quotas/tenant").then().statusCode(200)
                .body("limits.concurrency", equalTo(2)).body("own.concurrency", equalTo(2));
        receiver.delay("/busy", 400);

        List<String> slow = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            slow.add(Tasks.submit(busy.key(), webhook("/busy", null)));
        }
        String quick = Tasks.submit(other.key(), "{\"kind\":\"noop\"}");
        assertThat(Tasks.awaitState(other.key(), quick, "completed", Duration.ofSeconds(5))).isEqualTo("completed");

        for (String id : slow) {
            assertThat(Tasks.awaitState(busy.key(), id, "completed")).isEqualTo("completed");
        }
        assertThat(receiver.mostInFlight("/busy")).isEqualTo(2);
        assertThat(receiver.calls("/busy")).hasSize(6);
        // Held back, not failed: every task ran once, in its first attempt.
        List<JsonPath> views = slow.stream().map(id -> task(busy.key(), id)).toList();
        assertThat(views).allSatisfy(view -> assertThat(view.getInt("attempt")).isEqualTo(1));
        Api.anonymous().get("/metrics?scope=application").then().statusCode(200)
                .body(containsString("steward_dispatch_deferrals_total{constraint=\"tenant-concurrency\""));
    }

    @Test
    void anAgentAtItsConcurrencyLimitHoldsBackOnlyItsOwnJobs() {
        Api.TestTenant tenant = Api.newTenant("quota-agent");
        UUID agent = UUID.randomUUID();
        Api.as(tenant.key()).body("{\"concurrency\":1}").put("/api/v1/quotas/agent:" + agent).then().statusCode(200);
        receiver.delay("/agent", 300);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(Tasks.submit(tenant.key(), webhook("/agent", agent)));
        }
        for (String id : ids) {
            assertThat(Tasks.awaitState(tenant.key(), id, "completed")).isEqualTo("completed");
        }
        assertThat(receiver.mostInFlight("/agent")).isEqualTo(1);
    }

    @Test
    void aProviderRateHoldsJobsBackUntilTheLimitIsRaised() {
        Api.TestTenant tenant = Api.newTenant("quota-rate");
        Api.as(tenant.key()).body("{\"perMinute\":2}").put("/api/v1/quotas/provider:acme").then().statusCode(200);

        List<String> ids = submitNoops(tenant, 4, "\"resources\":[\"provider:acme\"]");
        List<String> waiting = awaitSplit(tenant, ids, 2, "provider-requests");
        // Two a minute: the next one is due in about 30 s, not at once.
        Instant runAt = Instant.parse(task(tenant.key(), waiting.get(0)).getString("runAt"));
        assertThat(runAt).isAfter(Instant.now().plusSeconds(20));

        Api.as(tenant.key()).body("{\"perMinute\":600}").put("/api/v1/quotas/provider:acme").then().statusCode(200);
        for (String id : waiting) {
            assertThat(Tasks.awaitState(tenant.key(), id, "completed")).isEqualTo("completed");
            assertThat(task(tenant.key(), id).getInt("attempt")).isEqualTo(1);
        }
    }

    @Test
    void providerTokensPerMinuteHoldBackTheJobThatWouldOverspend() {
        Api.TestTenant tenant = Api.newTenant("quota-tokens");
        Api.as(tenant.key()).body("{\"tokensPerMinute\":1000}").put("/api/v1/quotas/provider:llm")
                .then().statusCode(200);

        List<String> ids = submitNoops(tenant, 2, "\"resources\":[\"provider:llm\"],\"tokens\":800");
        List<String> waiting = awaitSplit(tenant, ids, 1, "provider-tokens");

        // Dropping the subject's own limits lets the defaults (none, for a provider) apply again.
        Api.as(tenant.key()).delete("/api/v1/quotas/provider:llm").then().statusCode(204);
        assertThat(Tasks.awaitState(tenant.key(), waiting.get(0), "completed")).isEqualTo("completed");
    }

    @Test
    void aChannelsDailyCapHoldsExactlyAndTheRestWaitsForTheNextUtcDay() {
        Api.TestTenant tenant = Api.newTenant("quota-channel");
        Api.as(tenant.key()).body("{\"perDay\":3,\"channelType\":\"smtp\"}").put("/api/v1/quotas/channel:sales")
                .then().statusCode(200);

        List<String> ids = submitNoops(tenant, 5, "\"resources\":[\"channel:sales\"]");
        List<String> waiting = awaitSplit(tenant, ids, 3, "channel-daily-cap");
        Instant tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        assertThat(waiting).allSatisfy(id ->
                assertThat(Instant.parse(task(tenant.key(), id).getString("runAt"))).isEqualTo(tomorrow));
        Api.as(tenant.key()).get("/api/v1/quotas/channel:sales").then().statusCode(200)
                .body("limits.perDay", equalTo(3)).body("usage.usedToday", equalTo(3));
    }

    @Test
    void aSpentBudgetStopsModelWorkButNotOtherWorkUntilItIsRaised() {
        Api.TestTenant tenant = Api.newTenant("quota-budget");
        Api.as(tenant.key()).body("{\"monthlyBudget\":0}").put("/api/v1/quotas/tenant").then().statusCode(200)
                .body("limits.monthlyBudget", equalTo(0.0f))
                .body("limits.concurrency", equalTo(100)); // the operator's (here the default) stays

        String model = Tasks.submit(tenant.key(), "{\"kind\":\"noop\",\"resources\":[\"provider:openai\"]}");
        String plain = Tasks.submit(tenant.key(), "{\"kind\":\"noop\"}");
        assertThat(Tasks.awaitState(tenant.key(), plain, "completed")).isEqualTo("completed");
        awaitDeferredBy(tenant, model, "budget");

        Api.as(tenant.key()).body("{\"monthlyBudget\":250.00}").put("/api/v1/quotas/tenant").then().statusCode(200);
        assertThat(Tasks.awaitState(tenant.key(), model, "completed")).isEqualTo("completed");
    }

    @Test
    void quotasReadWithTheirDefaultsAndOnlyApplicableLimitsCanBeSet() {
        Api.TestTenant tenant = Api.newTenant("quota-api");
        Api.as(tenant.key()).get("/api/v1/quotas").then().statusCode(200)
                .body("[0].subject", equalTo("tenant"))
                .body("[0].limits.concurrency", equalTo(100)).body("[0].limits.perMinute", equalTo(60000))
                .body("[0].own.concurrency", equalTo(null));
        Api.as(tenant.key()).get("/api/v1/quotas/channel:new").then().statusCode(200)
                .body("limits.perDay", equalTo(1000)).body("usage.usedToday", equalTo(0));
        Api.as(tenant.key()).body("{\"channelType\":\"gmail\"}").put("/api/v1/quotas/channel:gm").then()
                .statusCode(200).body("limits.perDay", equalTo(2000));

        Api.as(tenant.key()).body("{\"concurrency\":1000}").put("/api/v1/quotas/tenant").then().statusCode(403)
                .contentType("application/problem+json");
        Api.as(tenant.key()).delete("/api/v1/quotas/tenant").then().statusCode(403);
        Api.as(tenant.key()).body("{\"perDay\":5,\"concurrency\":0}").put("/api/v1/quotas/provider:x").then()
                .statusCode(400).body("errors.field", hasItem("concurrency"));
        Api.as(tenant.key()).body("{\"perDay\":5}").put("/api/v1/quotas/provider:x").then()
                .statusCode(400).body("errors.field", hasItem("perDay"));
        Api.as(tenant.key()).body("{\"concurrency\":2}").put("/api/v1/quotas/agent:not-a-uuid").then()
                .statusCode(404);
        Api.as(tenant.key()).get("/api/v1/quotas/Channel:UPPER").then().statusCode(404);
        Api.as(tenant.key()).body("{\"perDay\":").put("/api/v1/quotas/channel:x").then().statusCode(400);
        String readOnly = Api.issueKey(tenant.id(), "[\"quotas:read\"]");
        Api.as(readOnly).get("/api/v1/quotas").then().statusCode(200);
        Api.as(readOnly).body("{\"perDay\":5}").put("/api/v1/quotas/channel:x").then().statusCode(403);
    }

    @Test
    void aTenantSeesAndChangesOnlyItsOwnQuotasAndOnlyTheOperatorSetsATenantsCapacity() {
        Api.TestTenant a = Api.newTenant("quota-iso-a");
        Api.TestTenant b = Api.newTenant("quota-iso-b");
        Api.as(a.key()).body("{\"perDay\":7}").put("/api/v1/quotas/channel:secret").then().statusCode(200);

        Api.as(b.key()).get("/api/v1/quotas").then().statusCode(200)
                .body("subject", not(hasItem("channel:secret")));
        Api.as(b.key()).get("/api/v1/quotas/channel:secret").then().statusCode(200)
                .body("limits.perDay", equalTo(1000));
        Api.as(b.key()).delete("/api/v1/quotas/channel:secret").then().statusCode(204);
        Api.as(a.key()).get("/api/v1/quotas/channel:secret").then().body("limits.perDay", equalTo(7));

        Api.asOperator().get("/api/v1/admin/tenants/" + a.id() + "/quotas").then().statusCode(200)
                .body("subject", hasItem("channel:secret"));
        Api.asOperator().body("{\"concurrency\":5,\"perMinute\":100}")
                .put("/api/v1/admin/tenants/" + b.id() + "/quotas/tenant").then().statusCode(200);
        Api.as(b.key()).get("/api/v1/quotas/tenant").then().body("limits.concurrency", equalTo(5));
        Api.as(a.key()).get("/api/v1/quotas/tenant").then().body("limits.concurrency", equalTo(100));
        Api.asOperator().get("/api/v1/admin/tenants/" + UUID.randomUUID() + "/quotas").then().statusCode(404);
        Api.asOperator().get("/api/v1/admin/tenants/nope/quotas").then().statusCode(404);
        Api.as(a.key()).get("/api/v1/admin/tenants/" + a.id() + "/quotas").then().statusCode(401);
    }

    @Test
    void theOperatorAndTheTenantEachSetTheirOwnPartOfTheTenantsLimits() {
        Api.TestTenant tenant = Api.newTenant("quota-owners");
        String operatorPath = "/api/v1/admin/tenants/" + tenant.id() + "/quotas/tenant";
        Api.asOperator().body("{\"concurrency\":7}").put(operatorPath).then().statusCode(200);
        Api.as(tenant.key()).body("{\"monthlyBudget\":90.5}").put("/api/v1/quotas/tenant").then().statusCode(200)
                .body("own.concurrency", equalTo(7)).body("own.monthlyBudget", equalTo(90.5f));
        Api.asOperator().body("{\"concurrency\":9,\"perMinute\":120}").put(operatorPath).then().statusCode(200)
                .body("own.concurrency", equalTo(9)).body("own.perMinute", equalTo(120))
                .body("own.monthlyBudget", equalTo(90.5f));
    }

    private static String webhook(String path, UUID agent) {
        return "{\"kind\":\"webhook\",\"payload\":{\"url\":\"" + receiver.url(path) + "\"}"
                + (agent == null ? "" : ",\"agentId\":\"" + agent + "\"") + "}";
    }

    private static List<String> submitNoops(Api.TestTenant tenant, int count, String fields) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(Tasks.submit(tenant.key(), "{\"kind\":\"noop\"," + fields + "}"));
        }
        return ids;
    }

    /** Waits until exactly {@code completed} of the tasks completed and the others wait on {@code constraint}. */
    private static List<String> awaitSplit(Api.TestTenant tenant, List<String> ids, int completed,
                                           String constraint) {
        Instant deadline = Instant.now().plusSeconds(15);
        List<String> done = List.of();
        List<String> held = List.of();
        while (Instant.now().isBefore(deadline)) {
            done = ids.stream().filter(id -> "completed".equals(task(tenant.key(), id).getString("state"))).toList();
            held = ids.stream().filter(id -> constraint.equals(task(tenant.key(), id).getString("deferredBy")))
                    .toList();
            if (done.size() == completed && held.size() == ids.size() - completed) {
                break;
            }
            Tasks.pause(50);
        }
        assertThat(done).hasSize(completed);
        assertThat(held).hasSize(ids.size() - completed);
        assertThat(held).allSatisfy(id -> {
            JsonPath view = task(tenant.key(), id);
            assertThat(view.getInt("attempt")).isZero();
            assertThat(view.getInt("deferrals")).isPositive();
        });
        return held;
    }

    private static void awaitDeferredBy(Api.TestTenant tenant, String id, String constraint) {
        Instant deadline = Instant.now().plusSeconds(15);
        while (Instant.now().isBefore(deadline)
                && !constraint.equals(task(tenant.key(), id).getString("deferredBy"))) {
            Tasks.pause(50);
        }
        assertThat(task(tenant.key(), id).getString("deferredBy")).isEqualTo(constraint);
    }

    private static JsonPath task(String key, String id) {
        return Api.as(key).get("/api/v1/tasks/" + id).then().statusCode(200).extract().jsonPath();
    }
}
