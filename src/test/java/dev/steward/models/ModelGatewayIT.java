package dev.steward.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.steward.testing.Api;
import dev.steward.testing.FakeProvider;
import dev.steward.testing.StewardServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway against a local fake provider speaking OpenAI's wire protocol over real HTTP: the decrypted key goes to
 * the provider, personal data does not, and comes back restored in the reply.
 */
@ExtendWith(StewardServer.class)
class ModelGatewayIT {

    private static final String KEY = "sk-fake-provider-key";
    private static FakeProvider provider;
    private static Api.TestTenant a;
    private static Api.TestTenant b;

    @BeforeAll
    static void providerAndTenants() {
        provider = FakeProvider.start();
        a = Api.newTenant("gateway-a");
        b = Api.newTenant("gateway-b");
        Api.as(a.key()).body("{\"name\":\"fake\",\"type\":\"openai-compatible\",\"baseUrl\":\"" + provider.baseUrl()
                + "\",\"credentials\":{\"apiKey\":\"" + KEY + "\"}}").post("/api/v1/providers").then().statusCode(201);
        Api.as(a.key()).body("{\"name\":\"echo\",\"provider\":\"fake\",\"providerModel\":\"fake-gpt\","
                + "\"inputPrice\":1,\"outputPrice\":2}").post("/api/v1/models").then().statusCode(201);
    }

    @AfterAll
    static void stopProvider() {
        provider.close();
    }

    @Test
    void personalDataNeverReachesTheProviderAndComesBackInTheReply() {
        Api.as(a.key()).body("{\"system\":\"Be brief.\",\"prompt\":\"Charge card 4111 1111 1111 1111 and mail"
                        + " jane@example.com\"}")
                .post("/api/v1/models/echo/try").then().statusCode(200)
                .body("text", equalTo("Echo: Charge card 4111 1111 1111 1111 and mail jane@example.com"))
                .body("inputTokens", equalTo(12)).body("outputTokens", equalTo(5))
                .body("masked.CARD", equalTo(1)).body("masked.EMAIL", equalTo(1));

        FakeProvider.Request seen = provider.requests().get(provider.requests().size() - 1);
        assertThat(seen.authorization()).isEqualTo("Bearer " + KEY);
        assertThat(seen.body().getString("model")).isEqualTo("fake-gpt");
        assertThat(seen.body().toString()).doesNotContain("4111").doesNotContain("jane@example.com")
                .contains("[CARD_1]").contains("[EMAIL_1]").contains("Be brief.");
    }

    @Test
    void retriesAreBoundedAndOnlyForFailuresAnotherTryCanFix() {
        provider.failNext(1, 503);
        int before = provider.requests().size();
        Api.as(a.key()).body("{\"prompt\":\"once more\"}").post("/api/v1/models/echo/try").then().statusCode(200);
        assertThat(provider.requests()).hasSize(before + 2);

        provider.failNext(1, 400);
        before = provider.requests().size();
        Api.as(a.key()).body("{\"prompt\":\"bad\"}").post("/api/v1/models/echo/try").then().statusCode(502);
        assertThat(provider.requests()).as("a 400 is not retried").hasSize(before + 1);
        provider.failWith(0);
    }

    @Test
    void anAccountThatKeepsFailingHasItsCircuitOpenedThenTriedAgain() throws Exception {
        Api.TestTenant tenant = Api.newTenant("gateway-circuit");
        Api.as(tenant.key()).body("{\"name\":\"fake\",\"type\":\"openai-compatible\",\"baseUrl\":\""
                + provider.baseUrl() + "\"}").post("/api/v1/providers").then().statusCode(201);
        Api.as(tenant.key()).body("{\"name\":\"echo\",\"provider\":\"fake\",\"providerModel\":\"fake-gpt\","
                + "\"inputPrice\":0,\"outputPrice\":0}").post("/api/v1/models").then().statusCode(201);
        provider.failWith(500);
        try {
            int before = provider.requests().size();
            for (int call = 0; call < 3; call++) {
                tryEcho(tenant).then().statusCode(502);
            }
            assertThat(provider.requests()).as("three calls, each tried three times").hasSize(before + 9);
            tryEcho(tenant).then().statusCode(502).body("detail", containsString("circuit"));
            assertThat(provider.requests()).as("an open circuit calls nobody").hasSize(before + 9);
        } finally {
            provider.failWith(0);
        }
        Thread.sleep(2_200);
        tryEcho(tenant).then().statusCode(200);
    }

    private static io.restassured.response.Response tryEcho(Api.TestTenant tenant) {
        return Api.as(tenant.key()).body("{\"prompt\":\"x\"}").post("/api/v1/models/echo/try");
    }

    @Test
    void theBuiltInModelAnswersWithoutAnyProvider() {
        int before = provider.requests().size();
        Api.as(a.key()).body("{\"prompt\":\"hello there\"}").post("/api/v1/models/steward-scripted/try").then()
                .statusCode(200).body("text", equalTo("You said: hello there"))
                .body("inputTokens", equalTo(2)).body("outputTokens", equalTo(4));
        assertThat(provider.requests()).hasSize(before);
    }

    @Test
    void aFailingProviderIsA502AndAnotherTenantsModelA404() {
        provider.failWith(500);
        try {
            Api.as(a.key()).body("{\"prompt\":\"hi\"}").post("/api/v1/models/echo/try").then().statusCode(502)
                    .contentType("application/problem+json");
        } finally {
            provider.failWith(0);
        }
        Api.as(b.key()).body("{\"prompt\":\"hi\"}").post("/api/v1/models/echo/try").then().statusCode(404);
        Api.as(a.key()).body("{\"prompt\":\"\"}").post("/api/v1/models/echo/try").then().statusCode(400);
        String readOnly = Api.issueKey(a.id(), "[\"models:read\"]");
        Api.as(readOnly).body("{\"prompt\":\"hi\"}").post("/api/v1/models/echo/try").then().statusCode(403);
    }
}
