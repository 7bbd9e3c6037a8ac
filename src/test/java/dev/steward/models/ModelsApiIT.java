package dev.steward.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import dev.steward.testing.Api;
import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.StewardServer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Provider accounts and models over real HTTP: credentials sealed and never shown, prices, isolation. */
@ExtendWith(StewardServer.class)
class ModelsApiIT {

    private static final String SECRET = "sk-test-" + UUID.randomUUID();
    private static Api.TestTenant a;
    private static Api.TestTenant b;

    @BeforeAll
    static void twoTenants() {
        a = Api.newTenant("models-a");
        b = Api.newTenant("models-b");
    }

    @Test
    void credentialsAreEncryptedAtRestAndNeverReturned() throws Exception {
        String id = Api.as(a.key()).body("{\"name\":\"openai\",\"type\":\"openai\",\"credentials\":{\"apiKey\":\""
                        + SECRET + "\"}}")
                .post("/api/v1/providers").then().statusCode(201)
                .body("credentials", equalTo(List.of("apiKey"))).body("$", not(hasKey("apiKey")))
                .extract().path("id");
        assertThat(Api.as(a.key()).get("/api/v1/providers/" + id).then().statusCode(200).extract().asString())
                .doesNotContain(SECRET);
        assertThat(Api.as(a.key()).get("/api/v1/providers").then().statusCode(200).extract().asString())
                .doesNotContain(SECRET);
        try (Connection db = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             Statement sql = db.createStatement();
             ResultSet row = sql.executeQuery("SELECT credentials FROM models.providers WHERE id = '" + id + "'")) {
            row.next();
            assertThat(new String(row.getBytes(1), StandardCharsets.ISO_8859_1)).doesNotContain(SECRET)
                    .doesNotContain("apiKey");
        }
        // Rotation replaces them; an update without credentials keeps them.
        Api.as(a.key()).body("{\"type\":\"openai\",\"settings\":{\"organization\":\"acme\"}}")
                .put("/api/v1/providers/" + id).then().statusCode(200)
                .body("credentials", equalTo(List.of("apiKey"))).body("settings.organization", equalTo("acme"));
        Api.as(a.key()).body("{\"type\":\"bedrock\",\"baseUrl\":\"https://bedrock-runtime.us-west-2.amazonaws.com"
                + "/openai/v1\"}").put("/api/v1/providers/" + id).then().statusCode(400)
                .body("errors.field", hasItem("credentials.apiKey"));
        // Credentials stay with their address: moving the account needs them again, or drops them.
        Api.as(a.key()).body("{\"type\":\"openai\",\"baseUrl\":\"https://attacker.example.com/v1\"}")
                .put("/api/v1/providers/" + id).then().statusCode(400)
                .body("errors.field", hasItem("credentials.apiKey"));
        Api.as(a.key()).body("{\"type\":\"openai-compatible\",\"baseUrl\":\"https://other.example.com/v1\"}")
                .put("/api/v1/providers/" + id).then().statusCode(200).body("credentials", equalTo(List.of()));
    }

    @Test
    void modelsArePricedOnAProviderAndTheBuiltInOneIsAlwaysThere() {
        Api.as(a.key()).body("{\"name\":\"gateway\",\"type\":\"openai-compatible\","
                + "\"baseUrl\":\"http://127.0.0.1:8000/v1\"}").post("/api/v1/providers").then().statusCode(201);
        Api.as(a.key()).body("{\"name\":\"fast\",\"provider\":\"gateway\",\"providerModel\":\"gpt-4o-mini\","
                        + "\"inputPrice\":0.15,\"outputPrice\":0.6,\"cachedInputPrice\":0.075}")
                .post("/api/v1/models").then().statusCode(201)
                .body("name", equalTo("fast")).body("provider", equalTo("gateway"))
                .body("outputPrice", equalTo(0.6f)).body("builtIn", equalTo(false));
        Api.as(a.key()).get("/api/v1/models").then().statusCode(200)
                .body("[0].name", equalTo("steward-scripted")).body("[0].builtIn", equalTo(true))
                .body("name", hasItem("fast"));
        Api.as(a.key()).body("{\"name\":\"uses-fast\",\"kind\":\"llm\",\"model\":\"fast\"}")
                .post("/api/v1/agents").then().statusCode(201);
        Api.as(a.key()).body("{\"name\":\"fast\",\"provider\":\"gateway\",\"providerModel\":\"x\","
                + "\"inputPrice\":1,\"outputPrice\":1}").post("/api/v1/models").then().statusCode(409);
        Api.as(a.key()).get("/api/v1/providers").then().body("name", hasItem("gateway"));
        String gateway = Api.as(a.key()).get("/api/v1/providers").then().extract()
                .path("find { it.name == 'gateway' }.id");
        Api.as(a.key()).delete("/api/v1/providers/" + gateway).then().statusCode(409);
        Api.as(a.key()).delete("/api/v1/models/steward-scripted").then().statusCode(409);
        Api.as(a.key()).delete("/api/v1/models/fast").then().statusCode(204);
        Api.as(a.key()).delete("/api/v1/providers/" + gateway).then().statusCode(204);
    }

    @Test
    void invalidAccountsAndModelsAreRefusedNamingTheField() {
        Api.as(a.key()).body("{\"name\":\"x\",\"type\":\"anthropic\"}").post("/api/v1/providers").then()
                .statusCode(400).body("errors.field", hasItem("credentials.apiKey"));
        Api.as(a.key()).body("{\"name\":\"x\",\"type\":\"openai\",\"baseUrl\":\"http://plain.example.com\","
                + "\"credentials\":{\"apiKey\":\"k\"}}").post("/api/v1/providers").then().statusCode(400)
                .body("errors.field", hasItem("baseUrl"));
        Api.as(a.key()).body("{\"name\":\"x\",\"type\":\"ollama\"}").post("/api/v1/providers").then()
                .statusCode(400).body("errors.field", hasItem("baseUrl"));
        Api.as(a.key()).body("{\"name\":\"x\",\"type\":\"bedrock\",\"credentials\":{\"apiKey\":\"a\"}}")
                .post("/api/v1/providers").then().statusCode(400)
                .body("errors.field", hasItem("baseUrl"));
        Api.as(a.key()).body("{\"name\":\"x\",\"type\":\"watson\"}").post("/api/v1/providers").then()
                .statusCode(400).body("errors.field", hasItem("type"));
        Api.as(a.key()).body("{\"name\":\"m\",\"provider\":\"nobody\",\"providerModel\":\"x\",\"inputPrice\":1,"
                + "\"outputPrice\":-1}").post("/api/v1/models").then().statusCode(400)
                .body("errors.field", hasItem("outputPrice"));
        Api.as(a.key()).body("{\"name\":\"m\",\"provider\":\"nobody\",\"providerModel\":\"x\",\"inputPrice\":1,"
                + "\"outputPrice\":1}").post("/api/v1/models").then().statusCode(400)
                .body("errors.field", hasItem("provider"));
        Api.as(a.key()).body("{\"name\":\"steward-scripted\",\"provider\":\"nobody\",\"providerModel\":\"x\","
                + "\"inputPrice\":1,\"outputPrice\":1}").post("/api/v1/models").then().statusCode(400)
                .body("errors.field", hasItem("name"));
    }

    @Test
    void anotherTenantsAccountsAndModelsAreInvisibleAndUnusable() {
        String id = Api.as(a.key()).body("{\"name\":\"mine\",\"type\":\"gemini\",\"credentials\":{\"apiKey\":\"g\"}}")
                .post("/api/v1/providers").then().statusCode(201).extract().path("id");
        Api.as(a.key()).body("{\"name\":\"private-model\",\"provider\":\"mine\",\"providerModel\":\"gemini-2\","
                + "\"inputPrice\":1,\"outputPrice\":2}").post("/api/v1/models").then().statusCode(201);

        Api.as(b.key()).get("/api/v1/providers/" + id).then().statusCode(404);
        Api.as(b.key()).body("{\"type\":\"gemini\",\"credentials\":{\"apiKey\":\"stolen\"}}")
                .put("/api/v1/providers/" + id).then().statusCode(404);
        Api.as(b.key()).delete("/api/v1/providers/" + id).then().statusCode(404);
        Api.as(b.key()).get("/api/v1/providers").then().statusCode(200).body("name", not(hasItem("mine")));
        Api.as(b.key()).get("/api/v1/models/private-model").then().statusCode(404);
        Api.as(b.key()).get("/api/v1/models").then().body("name", not(hasItem("private-model")));
        Api.as(b.key()).delete("/api/v1/models/private-model").then().statusCode(404);
        // B cannot price a model on A's account, nor bind an agent to A's model.
        Api.as(b.key()).body("{\"name\":\"borrowed\",\"provider\":\"mine\",\"providerModel\":\"x\","
                + "\"inputPrice\":1,\"outputPrice\":1}").post("/api/v1/models").then().statusCode(400)
                .body("errors.field", hasItem("provider"));
        Api.as(b.key()).body("{\"name\":\"thief\",\"kind\":\"llm\",\"model\":\"private-model\"}")
                .post("/api/v1/agents").then().statusCode(400).body("errors.field", hasItem("model"));
        Api.as(a.key()).get("/api/v1/providers/not-an-id").then().statusCode(404);
        String readOnly = Api.issueKey(a.id(), "[\"models:read\"]");
        Api.as(readOnly).get("/api/v1/models").then().statusCode(200);
        Api.as(readOnly).body("{\"name\":\"y\",\"type\":\"ollama\",\"baseUrl\":\"http://127.0.0.1:1\"}")
                .post("/api/v1/providers").then().statusCode(403);
    }
}
