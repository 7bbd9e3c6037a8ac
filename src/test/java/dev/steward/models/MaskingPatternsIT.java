package dev.steward.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.steward.testing.Api;
import dev.steward.testing.FakeProvider;
import dev.steward.testing.StewardServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A tenant's own kinds of personal data: masked before a prompt leaves and restored in the reply, for that tenant
 * only; patterns checked before they are kept; a pattern that runs away on a prompt stops the call, fail closed.
 */
@ExtendWith(StewardServer.class)
class MaskingPatternsIT {

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
    void aTenantsPatternMasksItsValuesAndOnlyForThatTenant() {
        Api.TestTenant a = tenantWithModel("masking-a");
        Api.TestTenant b = tenantWithModel("masking-b");
        Api.as(a.key()).body("{\"patterns\":[{\"name\":\"EMPLOYEE_ID\",\"pattern\":\"E-\\\\d{6}\"}]}")
                .put("/api/v1/masking-patterns").then().statusCode(200)
                .body("patterns[0].name", equalTo("EMPLOYEE_ID"));

        Api.as(a.key()).body("{\"prompt\":\"employee E-123456 asked\"}").post("/api/v1/models/echo/try").then()
                .statusCode(200).body("text", equalTo("Echo: employee E-123456 asked"))
                .body("masked.EMPLOYEE_ID", equalTo(1));
        assertThat(lastSent()).doesNotContain("E-123456").contains("[EMPLOYEE_ID_1]");

        Api.as(b.key()).body("{\"prompt\":\"employee E-123456 asked\"}").post("/api/v1/models/echo/try").then()
                .statusCode(200);
        assertThat(lastSent()).contains("E-123456");
        Api.as(b.key()).get("/api/v1/masking-patterns").then().statusCode(200).body("patterns.size()", equalTo(0));
    }

    @Test
    void badPatternsAreRefusedByField() {
        Api.TestTenant tenant = Api.newTenant("masking-input");
        Api.as(tenant.key()).body("{\"patterns\":[{\"name\":\"X\",\"pattern\":\"(unclosed\"},"
                        + "{\"name\":\"EMAIL\",\"pattern\":\"x\"},{\"name\":\"Y\",\"pattern\":\"a*\"},"
                        + "{\"name\":\"lower\",\"pattern\":\"x\"}]}")
                .put("/api/v1/masking-patterns").then().statusCode(400)
                .body("errors.field", hasItem("patterns[0].pattern"))
                .body("errors.field", hasItem("patterns[1].name"))
                .body("errors.field", hasItem("patterns[2].pattern"))
                .body("errors.field", hasItem("patterns[3].name"));
        Api.as(tenant.key()).get("/api/v1/masking-patterns").then().body("patterns.size()", equalTo(0));
        String readOnly = Api.issueKey(tenant.id(), "[\"models:read\"]");
        Api.as(readOnly).body("{\"patterns\":[]}").put("/api/v1/masking-patterns").then().statusCode(403);
    }

    @Test
    void aPatternThatRunsAwayStopsTheCallBeforeAnythingLeaves() {
        Api.TestTenant tenant = tenantWithModel("masking-redos");
        Api.as(tenant.key()).body("{\"patterns\":[{\"name\":\"SLOW\",\"pattern\":\"((a+)+)+b\"}]}")
                .put("/api/v1/masking-patterns").then().statusCode(200);
        int before = provider.requests().size();
        Api.as(tenant.key()).body("{\"prompt\":\"" + "a".repeat(32) + "!\"}").post("/api/v1/models/echo/try").then()
                .statusCode(409).contentType("application/problem+json")
                .body("detail", equalTo("The masking pattern SLOW took too long on the prompt; nothing was sent"));
        assertThat(provider.requests()).hasSize(before);
    }

    private static Api.TestTenant tenantWithModel(String slug) {
        Api.TestTenant tenant = Api.newTenant(slug);
        Api.as(tenant.key()).body("{\"name\":\"fake\",\"type\":\"openai-compatible\",\"baseUrl\":\""
                + provider.baseUrl() + "\"}").post("/api/v1/providers").then().statusCode(201);
        Api.as(tenant.key()).body("{\"name\":\"echo\",\"provider\":\"fake\",\"providerModel\":\"fake-gpt\","
                + "\"inputPrice\":1,\"outputPrice\":1}").post("/api/v1/models").then().statusCode(201);
        return tenant;
    }

    private static String lastSent() {
        return provider.requests().get(provider.requests().size() - 1).body().toString();
    }
}
