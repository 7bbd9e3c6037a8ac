package dev.steward.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import dev.steward.testing.Api;
import dev.steward.testing.StewardServer;
import io.restassured.path.json.JsonPath;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The agent registry over real HTTP: versions by content, diffs, capabilities, validation, isolation. */
@ExtendWith(StewardServer.class)
class AgentsApiIT {

    private static Api.TestTenant a;
    private static Api.TestTenant b;

    @BeforeAll
    static void twoTenants() {
        a = Api.newTenant("agents-a");
        b = Api.newTenant("agents-b");
        for (Api.TestTenant tenant : new Api.TestTenant[] {a, b}) {
            Api.as(tenant.key())
                    .body("{\"name\":\"local\",\"type\":\"ollama\",\"baseUrl\":\"http://127.0.0.1:11434\"}")
                    .post("/api/v1/providers").then().statusCode(201);
            for (String model : new String[] {"m", "m1", "m2", "m3"}) {
                Api.as(tenant.key()).body("{\"name\":\"" + model + "\",\"provider\":\"local\","
                        + "\"providerModel\":\"llama3\",\"inputPrice\":0,\"outputPrice\":0}")
                        .post("/api/v1/models").then().statusCode(201);
            }
        }
    }

    @Test
    void theSimplestAgentIsANameAKindAModelAndInstructions() {
        JsonPath created = Api.as(a.key()).body("{\"name\":\"helper\",\"kind\":\"llm\",\"model\":\"steward-scripted\","
                        + "\"instructions\":\"Be brief.\"}")
                .post("/api/v1/agents").then().statusCode(201)
                .body("name", equalTo("helper")).body("kind", equalTo("llm")).body("version", equalTo(1))
                .body("config.model", equalTo("steward-scripted")).extract().jsonPath();
        assertThat(created.getString("sha256")).hasSize(64);
        String read = Api.as(a.key()).get("/api/v1/agents/" + created.getString("id")).then().statusCode(200)
                .body("sha256", equalTo(created.getString("sha256"))).extract().asString();
        // The configuration reads back as it was hashed: canonical, keys sorted.
        assertThat(read).contains("\"config\":{\"instructions\":\"Be brief.\",\"kind\":\"llm\","
                + "\"model\":\"steward-scripted\"}");
        Api.as(a.key()).body("{\"name\":\"helper\",\"kind\":\"llm\",\"model\":\"m\"}").post("/api/v1/agents")
                .then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void everyChangeIsANewVersionIdentifiedByItsContentAndDiffable() {
        String id = create(a, "versioned", "{\"name\":\"versioned\",\"kind\":\"llm\",\"model\":\"m1\","
                + "\"instructions\":\"One.\",\"parameters\":{\"temperature\":0.2}}");
        String first = Api.as(a.key()).get("/api/v1/agents/" + id).then().extract().path("sha256");

        // The same configuration, keys in another order: no new version.
        Api.as(a.key()).body("{\"parameters\":{\"temperature\":0.2},\"instructions\":\"One.\",\"model\":\"m1\","
                        + "\"kind\":\"llm\"}")
                .put("/api/v1/agents/" + id).then().statusCode(200).body("version", equalTo(1))
                .body("sha256", equalTo(first));
        Api.as(a.key()).body("{\"kind\":\"llm\",\"model\":\"m2\",\"instructions\":\"One.\",\"tools\":[\"search\"]}")
                .put("/api/v1/agents/" + id).then().statusCode(200).body("version", equalTo(2))
                .body("sha256", not(equalTo(first)));

        Api.as(a.key()).get("/api/v1/agents/" + id + "/versions").then().statusCode(200)
                .body("version", equalTo(java.util.List.of(1, 2))).body("[0].sha256", equalTo(first))
                .body("[0].config.model", equalTo("m1"));
        Api.as(a.key()).get("/api/v1/agents/" + id + "/versions/1").then().statusCode(200)
                .body("config.parameters.temperature", equalTo(0.2f));
        Api.as(a.key()).get("/api/v1/agents/" + id + "/diff").then().statusCode(200)
                .body("from", equalTo(1)).body("to", equalTo(2))
                .body("changes.find { it.path == '/model' }.op", equalTo("changed"))
                .body("changes.find { it.path == '/model' }.to", equalTo("m2"))
                .body("changes.find { it.path == '/parameters' }.op", equalTo("removed"))
                .body("changes.find { it.path == '/tools' }.op", equalTo("added"));
        Api.as(a.key()).get("/api/v1/agents/" + id + "/diff?from=1&to=9").then().statusCode(400)
                .body("errors.field", hasItem("to"));
        Api.as(a.key()).body("{\"name\":\"renamed\",\"kind\":\"llm\",\"model\":\"m3\"}")
                .put("/api/v1/agents/" + id).then().statusCode(409);
    }

    @Test
    void numbersHashByValueSoTheSameConfigurationWrittenOtherwiseIsTheSameVersion() {
        String id = create(a, "numbers", "{\"name\":\"numbers\",\"kind\":\"llm\",\"model\":\"m\","
                + "\"parameters\":{\"temperature\":1E-1,\"topP\":0.950,\"maxTokens\":1E+3}}");
        Api.as(a.key()).body("{\"kind\":\"llm\",\"model\":\"m\",\"parameters\":{\"maxTokens\":1000,"
                        + "\"temperature\":0.1,\"topP\":0.95}}")
                .put("/api/v1/agents/" + id).then().statusCode(200).body("version", equalTo(1));
    }

    @Test
    void capabilitiesAreDiscoverable() {
        create(a, "summarizer", "{\"name\":\"summarizer\",\"kind\":\"llm\",\"model\":\"m\",\"capabilities\":"
                + "[{\"name\":\"summarize\",\"description\":\"Summaries of long text\","
                + "\"input\":{\"type\":\"string\"},\"output\":{\"type\":\"string\"}}]}");
        create(a, "engine", "{\"name\":\"engine\",\"kind\":\"remote\",\"endpoint\":\"https://agents.example.com/run\","
                + "\"timeoutSeconds\":20,\"capabilities\":[{\"name\":\"qualify-lead\"}]}");

        Api.as(a.key()).get("/api/v1/capabilities?name=summarize").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].agentName", equalTo("summarizer"))
                .body("[0].input.type", equalTo("string"));
        Api.as(a.key()).get("/api/v1/agents?capability=qualify-lead").then().statusCode(200)
                .body("name", equalTo(java.util.List.of("engine")));
        Api.as(b.key()).get("/api/v1/capabilities?name=summarize").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void invalidAgentsAreRefusedNamingTheField() {
        post(a, "{\"name\":\"x\",\"kind\":\"llm\"}").then().statusCode(400).body("errors.field", hasItem("model"));
        post(a, "{\"name\":\"x\",\"kind\":\"llm\",\"model\":\"gpt-nonexistent\",\"fallbackModels\":[\"m\",\"nope\"]}")
                .then().statusCode(400).body("errors.field", hasItem("model"))
                .body("errors.field", hasItem("fallbackModels[1]"));
        post(a, "{\"name\":\"x\",\"kind\":\"robot\",\"model\":\"m\"}").then().statusCode(400)
                .body("errors.field", hasItem("kind"));
        post(a, "{\"name\":\"Bad Name\",\"kind\":\"llm\",\"model\":\"m\"}").then().statusCode(400)
                .body("errors.field", hasItem("name"));
        post(a, "{\"kind\":\"llm\",\"model\":\"m\"}").then().statusCode(400).body("errors.field", hasItem("name"));
        post(a, "{\"name\":\"x\",\"kind\":\"remote\",\"endpoint\":\"http://plain.example.com\"}").then()
                .statusCode(400).body("errors.field", hasItem("endpoint"));
        post(a, "{\"name\":\"x\",\"kind\":\"remote\",\"endpoint\":\"https://e.example.com\",\"model\":\"m\"}")
                .then().statusCode(400).body("errors.field", hasItem("model"));
        post(a, "{\"name\":\"x\",\"kind\":\"llm\",\"model\":\"m\",\"endpoint\":\"https://e.example.com\"}")
                .then().statusCode(400).body("errors.field", hasItem("endpoint"));
        post(a, "{\"name\":\"x\",\"kind\":\"llm\",\"model\":\"m\",\"capabilities\":[{\"name\":\"c\"},"
                + "{\"name\":\"c\"}]}").then().statusCode(400).body("errors.field", hasItem("capabilities[1].name"));
        post(a, "{\"name\":\"x\",\"kind\":\"llm\",").then().statusCode(400);
        // PostgreSQL cannot store a NUL in text: a 400, and nothing written.
        post(a, "{\"name\":\"nul\",\"kind\":\"llm\",\"model\":\"m\",\"instructions\":\"a\\u0000b\"}").then()
                .statusCode(400).contentType("application/problem+json");
        Api.as(a.key()).get("/api/v1/agents").then().body("name", not(hasItem("nul")));
        Api.as(a.key()).get("/api/v1/agents?capability=nothing-has-this").then().statusCode(200)
                .body("$", hasSize(0));
    }

    @Test
    void anotherTenantsAgentIsInvisibleAndUntouchable() {
        String id = create(a, "private", "{\"name\":\"private\",\"kind\":\"llm\",\"model\":\"m\"}");
        String path = "/api/v1/agents/" + id;
        Api.as(b.key()).get(path).then().statusCode(404);
        Api.as(b.key()).get(path + "/versions").then().statusCode(404);
        Api.as(b.key()).get(path + "/diff").then().statusCode(404);
        Api.as(b.key()).body("{\"kind\":\"llm\",\"model\":\"hijack\"}").put(path).then().statusCode(404);
        Api.as(b.key()).delete(path).then().statusCode(404);
        Api.as(b.key()).get("/api/v1/agents").then().statusCode(200).body("name", not(hasItem("private")));
        // The name is each tenant's own.
        create(b, "private", "{\"name\":\"private\",\"kind\":\"llm\",\"model\":\"m\"}");
        Api.as(a.key()).get(path).then().statusCode(200).body("config.model", equalTo("m"));
        Api.as(a.key()).get("/api/v1/agents/" + UUID.randomUUID()).then().statusCode(404);
        Api.as(a.key()).get("/api/v1/agents/not-an-id").then().statusCode(404);
    }

    @Test
    void aDeletedAgentIsGoneAndItsNameFreeAgain() {
        String id = create(a, "temporary", "{\"name\":\"temporary\",\"kind\":\"llm\",\"model\":\"m\"}");
        Api.as(a.key()).delete("/api/v1/agents/" + id).then().statusCode(204);
        Api.as(a.key()).get("/api/v1/agents/" + id).then().statusCode(404);
        Api.as(a.key()).delete("/api/v1/agents/" + id).then().statusCode(404);
        create(a, "temporary", "{\"name\":\"temporary\",\"kind\":\"llm\",\"model\":\"m\"}");
    }

    @Test
    void agentsNeedTheirScopesAndTheDemoTenantHasItsAssistant() {
        String readOnly = Api.issueKey(a.id(), "[\"agents:read\"]");
        Api.as(readOnly).get("/api/v1/agents").then().statusCode(200);
        Api.as(readOnly).body("{\"name\":\"nope\",\"kind\":\"llm\",\"model\":\"m\"}").post("/api/v1/agents")
                .then().statusCode(403);
        Api.anonymous().get("/api/v1/agents").then().statusCode(401);
        Api.as(StewardServer.rig().demoKey()).get("/api/v1/agents").then().statusCode(200)
                .body("name", hasItem("assistant"))
                .body("find { it.name == 'assistant' }.config.model", equalTo("steward-scripted"));
    }

    private static String create(Api.TestTenant tenant, String name, String json) {
        return post(tenant, json).then().statusCode(201).body("name", equalTo(name)).extract().path("id");
    }

    private static io.restassured.response.Response post(Api.TestTenant tenant, String json) {
        return Api.as(tenant.key()).body(json).post("/api/v1/agents");
    }
}
