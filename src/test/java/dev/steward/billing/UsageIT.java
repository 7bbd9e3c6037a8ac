package dev.steward.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.steward.testing.Api;
import dev.steward.testing.FakeProvider;
import dev.steward.testing.StewardServer;
import dev.steward.testing.Tasks;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Metering end to end: every call through the gateway is a usage event with its tokens and cost at the model's
 * prices, the cost counts against the month's budget, and the budget then holds model work back.
 */
@ExtendWith(StewardServer.class)
class UsageIT {

    private static FakeProvider provider;

    @BeforeAll
    static void startProvider() {
        provider = FakeProvider.start();
    }

    @AfterAll
    static void stopProvider() {
        provider.close();
    }

    @Test
    void everyCallIsMeteredWithItsTokensAndCost() {
        Api.TestTenant tenant = tenantWithModel("usage", "1", "2");
        tryModel(tenant, "echo").then().statusCode(200);
        tryModel(tenant, "echo").then().statusCode(200);
        tryModel(tenant, "steward-scripted").then().statusCode(200);
        provider.failWith(500);
        try {
            tryModel(tenant, "echo").then().statusCode(502);
        } finally {
            provider.failWith(0);
        }

        JsonPath echo = Api.as(tenant.key()).get("/api/v1/usage?model=echo").then().statusCode(200)
                .extract().jsonPath();
        assertThat(echo.getList("events")).hasSize(3);
        assertThat(echo.getList("events.outcome")).containsExactly("failed", "ok", "ok");
        assertThat(echo.getInt("totals.calls")).isEqualTo(3);
        assertThat(echo.getInt("totals.inputTokens")).isEqualTo(24);
        assertThat(echo.getInt("totals.outputTokens")).isEqualTo(10);
        // 12 tokens in at 1 and 5 out at 2 per million: 0.000022 a call.
        assertThat(new BigDecimal(echo.getString("totals.cost"))).isEqualByComparingTo("0.000044");
        Api.as(tenant.key()).get("/api/v1/usage?model=steward-scripted").then().statusCode(200)
                .body("events[0].provider", equalTo("steward")).body("totals.cost", equalTo(0.0f));
        Api.as(tenant.key()).get("/api/v1/usage?from=" + Instant.now().plus(Duration.ofHours(1))).then()
                .statusCode(200).body("totals.calls", equalTo(0));
    }

    @Test
    void aSpentBudgetHoldsModelWorkBackOnceMeteringHasCountedIt() {
        Api.TestTenant tenant = tenantWithModel("usage-budget", "10000", "10000");
        Api.as(tenant.key()).body("{\"monthlyBudget\":0.10}").put("/api/v1/quotas/tenant").then().statusCode(200);
        tryModel(tenant, "echo").then().statusCode(200); // 17 tokens at 10,000 per million: 0.17

        Api.as(tenant.key()).get("/api/v1/quotas/tenant").then().statusCode(200)
                .body("usage.spentThisMonth", equalTo(0.17f));
        String model = Tasks.submit(tenant.key(), "{\"kind\":\"noop\",\"resources\":[\"provider:fake\"]}");
        String plain = Tasks.submit(tenant.key(), "{\"kind\":\"noop\"}");
        assertThat(Tasks.awaitState(tenant.key(), plain, "completed")).isEqualTo("completed");
        Instant deadline = Instant.now().plusSeconds(15);
        while (Instant.now().isBefore(deadline) && !"budget".equals(Api.as(tenant.key())
                .get("/api/v1/tasks/" + model).then().extract().path("deferredBy"))) {
            Tasks.pause(50);
        }
        Api.as(tenant.key()).get("/api/v1/tasks/" + model).then().body("deferredBy", equalTo("budget"));
        // The gateway itself refuses further calls, before any reaches the provider.
        int calls = provider.requests().size();
        tryModel(tenant, "echo").then().statusCode(429).contentType("application/problem+json");
        assertThat(provider.requests()).hasSize(calls);
    }

    @Test
    void crossingTheAlertShareAndThenTheBudgetIsAuditedOnceEach() {
        Api.TestTenant tenant = tenantWithModel("usage-alert", "10000", "10000");
        Api.as(tenant.key()).body("{\"monthlyBudget\":0.20}").put("/api/v1/quotas/tenant").then().statusCode(200);
        tryModel(tenant, "echo").then().statusCode(200); // 0.17 of 0.20: past the 80% alert line
        Api.as(tenant.key()).get("/api/v1/audit?action=budget.alert").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].details.spent", equalTo(0.17f));
        Api.as(tenant.key()).get("/api/v1/audit?action=budget.exhausted").then().body("size()", equalTo(0));
        tryModel(tenant, "echo").then().statusCode(200); // 0.34: past the budget, the hard stop
        Api.as(tenant.key()).get("/api/v1/audit?action=budget.exhausted").then().body("size()", equalTo(1))
                .body("[0].details.monthlyBudget", equalTo(0.2f));
        Api.as(tenant.key()).get("/api/v1/audit?action=budget.alert").then().body("size()", equalTo(1));
        tryModel(tenant, "echo").then().statusCode(429);
    }

    @Test
    void usageIsEachTenantsOwnAndFiltersAreChecked() {
        Api.TestTenant a = tenantWithModel("usage-a", "1", "1");
        Api.TestTenant b = Api.newTenant("usage-b");
        tryModel(a, "echo").then().statusCode(200);

        Api.as(b.key()).get("/api/v1/usage").then().statusCode(200).body("totals.calls", equalTo(0));
        Api.as(a.key()).get("/api/v1/usage?agent=not-an-id").then().statusCode(400)
                .body("errors.field", hasItem("agent"));
        Api.as(a.key()).get("/api/v1/usage?from=yesterday").then().statusCode(400)
                .body("errors.field", hasItem("from"));
        String writeOnly = Api.issueKey(a.id(), "[\"models:*\"]");
        Api.as(writeOnly).get("/api/v1/usage").then().statusCode(403);
    }

    private static Api.TestTenant tenantWithModel(String slug, String inputPrice, String outputPrice) {
        Api.TestTenant tenant = Api.newTenant(slug);
        Api.as(tenant.key()).body("{\"name\":\"fake\",\"type\":\"openai-compatible\",\"baseUrl\":\""
                + provider.baseUrl() + "\"}").post("/api/v1/providers").then().statusCode(201);
        Api.as(tenant.key()).body("{\"name\":\"echo\",\"provider\":\"fake\",\"providerModel\":\"fake-gpt\","
                + "\"inputPrice\":" + inputPrice + ",\"outputPrice\":" + outputPrice + "}")
                .post("/api/v1/models").then().statusCode(201);
        return tenant;
    }

    private static io.restassured.response.Response tryModel(Api.TestTenant tenant, String model) {
        return Api.as(tenant.key()).body("{\"prompt\":\"hello\"}").post("/api/v1/models/" + model + "/try");
    }
}
