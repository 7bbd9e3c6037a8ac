package dev.steward.protocols;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.steward.testing.Api;
import dev.steward.testing.NodeClients;
import dev.steward.testing.StewardServer;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The MCP server at /mcp: the tenant's agents and read tools as MCP tools, per key and per tenant; keys checked as
 * the API checks them; and the official MCP TypeScript SDK client, installed from npm, working against it unmodified.
 */
@ExtendWith(StewardServer.class)
class McpIT {

    @Test
    void aTenantsAgentsAndReadToolsAreItsMcpToolsAndNoOneElses() {
        Api.TestTenant tenant = Api.newTenant("mcp-a");
        Api.TestTenant other = Api.newTenant("mcp-b");
        agent(tenant, "helper");
        agent(other, "secret");
        Api.as(tenant.key()).body("{\"type\":\"lead\",\"fields\":{\"status\":\"new\"}}").post("/api/v1/records").then()
                .statusCode(201);
        Api.as(other.key()).body("{\"type\":\"lead\",\"fields\":{\"status\":\"won\"}}").post("/api/v1/records").then()
                .statusCode(201);

        JsonPath init = rpc(tenant.key(), "initialize", "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}");
        assertThat(init.getString("result.serverInfo.name")).isEqualTo("steward");
        assertThat(init.getString("result.protocolVersion")).isEqualTo("2025-06-18");
        List<String> tools = rpc(tenant.key(), "tools/list", "{}").getList("result.tools.name");
        assertThat(tools).contains("agent.helper", "tool.current_time", "tool.sql_query", "tool.http_get")
                .doesNotContain("agent.secret", "tool.save_note", "tool.http_send");

        JsonPath asked = rpc(tenant.key(), "tools/call", "{\"name\":\"agent.helper\",\"arguments\":{\"message\":"
                + "\"hi there\"}}");
        assertThat(asked.getString("result.content[0].text")).isEqualTo("You said: hi there");
        assertThat(asked.getBoolean("result.isError")).isFalse();
        JsonPath rows = rpc(tenant.key(), "tools/call", "{\"name\":\"tool.sql_query\",\"arguments\":{\"sql\":"
                + "\"SELECT fields->>'status' AS status FROM records\"}}");
        assertThat(rows.getString("result.content[0].text")).contains("[[\"new\"]]").doesNotContain("won");
        assertThat(rpc(tenant.key(), "tools/call", "{\"name\":\"agent.secret\",\"arguments\":{\"message\":\"x\"}}")
                .getString("error.message")).isEqualTo("Unknown tool: agent.secret");
        assertThat(rpc(tenant.key(), "tools/call", "{\"name\":\"tool.save_note\",\"arguments\":{\"text\":\"x\"}}")
                .getInt("error.code")).isEqualTo(-32602);
        JsonPath missing = rpc(tenant.key(), "tools/call", "{\"name\":\"agent.helper\",\"arguments\":{}}");
        assertThat(missing.getBoolean("result.isError")).isTrue();
        Api.as(tenant.key()).get("/api/v1/audit?action=tool.called").then().body("details.via", hasItem("mcp"));
    }

    @Test
    void keysAreCheckedAndTheirScopesDecideWhatIsListed() {
        Api.TestTenant tenant = Api.newTenant("mcp-keys");
        agent(tenant, "helper");
        mcp(null).body(request("ping", "{}")).post("/mcp").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer");
        mcp("stw_nope").body(request("ping", "{}")).post("/mcp").then().statusCode(401);
        String agentsOnly = Api.issueKey(tenant.id(), "[\"sessions:write\"]");
        List<String> tools = rpc(agentsOnly, "tools/list", "{}").getList("result.tools.name");
        assertThat(tools).containsExactly("agent.helper");
        assertThat(rpc(agentsOnly, "tools/call", "{\"name\":\"tool.current_time\",\"arguments\":{}}")
                .getString("error.message")).isEqualTo("Unknown tool: tool.current_time");
        assertThat(rpc(tenant.key(), "resources/list", "{}").getInt("error.code")).isEqualTo(-32601);
    }

    @Test
    void theOfficialMcpTypeScriptClientWorksUnmodified() throws Exception {
        Api.TestTenant tenant = Api.newTenant("mcp-node");
        agent(tenant, "helper");
        String out = NodeClients.run("mcp-client.mjs", Map.of("STEWARD_URL", StewardServer.rig().baseUri(),
                "STEWARD_KEY", tenant.key(), "STEWARD_AGENT", "helper"), Duration.ofMinutes(2));
        JsonObject result;
        try (JsonReader reader = Json.createReader(new StringReader(out.trim()))) {
            result = reader.readObject();
        }
        assertThat(result.getString("server")).isEqualTo("steward");
        assertThat(result.getJsonArray("tools").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString)).contains("agent.helper", "tool.current_time");
        assertThat(result.getString("agentAnswer")).isEqualTo("You said: hello over mcp");
        assertThat(result.getBoolean("agentError")).isFalse();
        assertThat(result.getString("time")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(result.getJsonObject("unknown").getString("error")).contains("Unknown tool: agent.nobody");
        assertThat(result.getString("refused")).contains("The API key is not valid or has been revoked");
    }

    private static void agent(Api.TestTenant tenant, String name) {
        Api.as(tenant.key()).body("{\"name\":\"" + name + "\",\"kind\":\"llm\",\"model\":\"steward-scripted\"}")
                .post("/api/v1/agents").then().statusCode(201);
    }

    private static RequestSpecification mcp(String key) {
        RequestSpecification spec = Api.anonymous().accept("application/json, text/event-stream")
                .contentType("application/json");
        return key == null ? spec : spec.header("Authorization", "Bearer " + key);
    }

    private static String request(String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    private static JsonPath rpc(String key, String method, String params) {
        return mcp(key).body(request(method, params)).post("/mcp").then().statusCode(200)
                .body("jsonrpc", equalTo("2.0")).extract().jsonPath();
    }
}
