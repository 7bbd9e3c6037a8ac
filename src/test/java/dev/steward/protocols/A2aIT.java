package dev.steward.protocols;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.steward.testing.Api;
import dev.steward.testing.NodeClients;
import dev.steward.testing.StewardServer;
import dev.steward.testing.Tasks;
import io.restassured.path.json.JsonPath;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A2A over the tenant's agents: the official A2A JS SDK client, installed from npm, reads an agent's card and sends,
 * continues, fetches and streams tasks unmodified; tasks can be canceled while they run; bad requests get JSON-RPC
 * errors with A2A's codes; and one tenant's key reaches neither another's agents nor its contexts and tasks.
 */
@ExtendWith(StewardServer.class)
class A2aIT {

    @Test
    void theOfficialA2aClientTalksToAnAgentThroughItsCard() throws Exception {
        Api.TestTenant tenant = Api.newTenant("a2a-client");
        agent(tenant, "echo", "");
        String out = NodeClients.run("a2a-client.mjs", Map.of("STEWARD_URL", StewardServer.rig().baseUri(),
                "STEWARD_KEY", tenant.key(), "STEWARD_AGENT", "echo"), Duration.ofMinutes(2));
        JsonObject result = json(out.trim());
        assertThat(result.getJsonObject("card").getString("name")).isEqualTo("echo");
        assertThat(result.getJsonObject("card").getBoolean("streaming")).isTrue();
        JsonObject first = result.getJsonObject("first");
        assertThat(first.getInt("state")).as("TASK_STATE_COMPLETED").isEqualTo(3);
        assertThat(first.getString("answer")).isEqualTo("You said: hello over a2a");
        assertThat(result.getJsonObject("again").getString("contextId")).isEqualTo(first.getString("contextId"));
        assertThat(result.getJsonObject("again").getString("answer")).isEqualTo("You said: and again");
        assertThat(result.getJsonObject("fetched").getJsonArray("history").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString).toList())
                .containsExactly("hello over a2a", "You said: hello over a2a");
        assertThat(result.getString("streamed")).startsWith("You said: stream this");
        assertThat(result.getJsonArray("kinds").getString(0)).isEqualTo("task");
        assertThat(result.getInt("finalState")).isEqualTo(3);
        assertThat(result.getString("missing")).contains("TaskNotFound");
        // The context is a session the tenant can read: three turns, still open for more.
        Api.as(tenant.key()).get("/api/v1/sessions/" + first.getString("contextId")).then().statusCode(200)
                .body("state", equalTo("active")).body("turns.size()", equalTo(3));
    }

    @Test
    void aRunningTaskCanBeCanceledOnceAndAnEndedOneCannot() {
        Api.TestTenant tenant = Api.newTenant("a2a-cancel");
        agent(tenant, "waiter", ",\"tools\":[\"wait_seconds\"]");
        JsonPath sent = rpc(tenant.key(), "waiter", "SendMessage", "{\"message\":{\"messageId\":\"m1\",\"role\":"
                + "\"ROLE_USER\",\"parts\":[{\"text\":\"call wait_seconds {\\\"seconds\\\": 60}\"}]},"
                + "\"configuration\":{\"returnImmediately\":true}}");
        String task = sent.getString("result.task.id");
        awaitState(tenant.key(), "waiter", task, "TASK_STATE_WORKING");
        JsonPath canceled = rpc(tenant.key(), "waiter", "CancelTask", "{\"id\":\"" + task + "\"}");
        assertThat(canceled.getString("result.status.state")).isEqualTo("TASK_STATE_CANCELED");
        assertThat(rpc(tenant.key(), "waiter", "CancelTask", "{\"id\":\"" + task + "\"}").getInt("error.code"))
                .isEqualTo(-32002);
        assertThat(rpc(tenant.key(), "waiter", "GetTask", "{\"id\":\"" + task + "\"}")
                .getString("result.status.state")).isEqualTo("TASK_STATE_CANCELED");
    }

    @Test
    void badRequestsGetJsonRpcErrorsWithA2aCodes() {
        Api.TestTenant tenant = Api.newTenant("a2a-bad");
        agent(tenant, "echo", "");
        assertThat(Api.as(tenant.key()).body("{\"jsonrpc\":").post("/a2a/echo").then().statusCode(200).extract()
                .jsonPath().getInt("error.code")).isEqualTo(-32700);
        assertThat(Api.as(tenant.key()).body("{\"method\":\"SendMessage\"}").post("/a2a/echo").then().extract()
                .jsonPath().getInt("error.code")).isEqualTo(-32600);
        assertThat(rpc(tenant.key(), "echo", "tasks/send", "{}").getInt("error.code")).isEqualTo(-32601);
        assertThat(rpc(tenant.key(), "echo", "SendMessage", "{}").getInt("error.code")).isEqualTo(-32602);
        assertThat(rpc(tenant.key(), "echo", "SendMessage", "{\"message\":{\"role\":\"ROLE_USER\",\"parts\":"
                + "[{\"url\":\"https://example.com/x.png\"}]}}").getInt("error.code")).isEqualTo(-32005);
        assertThat(rpc(tenant.key(), "echo", "SendMessage", "{\"message\":{\"role\":\"ROLE_USER\",\"taskId\":\"t\","
                + "\"parts\":[{\"text\":\"x\"}]}}").getInt("error.code")).isEqualTo(-32004);
        assertThat(rpc(tenant.key(), "echo", "GetTask", "{\"id\":\"not-a-task\"}").getInt("error.code"))
                .isEqualTo(-32001);
        Api.anonymous().body("{}").post("/a2a/echo").then().statusCode(401);
        Api.as(tenant.key()).get("/a2a/nobody/.well-known/agent-card.json").then().statusCode(404);
    }

    @Test
    void anotherTenantsKeyReachesNeitherItsAgentsNorItsContextsAndTasks() {
        Api.TestTenant a = Api.newTenant("a2a-a");
        Api.TestTenant b = Api.newTenant("a2a-b");
        agent(a, "private-agent", "");
        agent(b, "echo", "");
        Api.as(a.key()).get("/a2a/private-agent/.well-known/agent-card.json").then().statusCode(200)
                .body("supportedInterfaces[0].url", equalTo(StewardServer.rig().baseUri() + "/a2a/private-agent"))
                .body("supportedInterfaces[0].protocolBinding", equalTo("JSONRPC"));
        Api.as(b.key()).get("/a2a/private-agent/.well-known/agent-card.json").then().statusCode(404);
        Api.as(b.key()).body("{}").post("/a2a/private-agent").then().statusCode(404);

        JsonPath task = rpc(a.key(), "private-agent", "SendMessage", "{\"message\":{\"messageId\":\"m\",\"role\":"
                + "\"ROLE_USER\",\"parts\":[{\"text\":\"secret plans\"}]}}");
        String taskId = task.getString("result.task.id");
        String context = task.getString("result.task.contextId");
        assertThat(rpc(b.key(), "echo", "GetTask", "{\"id\":\"" + taskId + "\"}").getInt("error.code"))
                .isEqualTo(-32001);
        assertThat(rpc(b.key(), "echo", "CancelTask", "{\"id\":\"" + taskId + "\"}").getInt("error.code"))
                .isEqualTo(-32001);
        assertThat(rpc(b.key(), "echo", "SendMessage", "{\"message\":{\"messageId\":\"m\",\"role\":\"ROLE_USER\","
                + "\"contextId\":\"" + context + "\",\"parts\":[{\"text\":\"what were the plans?\"}]}}")
                .getInt("error.code")).isEqualTo(-32602);
        Api.as(b.key()).get("/api/v1/sessions/" + context).then().statusCode(404);
    }

    private static JsonPath rpc(String key, String agent, String method, String params) {
        return Api.as(key).body("{\"jsonrpc\":\"2.0\",\"id\":\"" + UUID.randomUUID() + "\",\"method\":\"" + method
                + "\",\"params\":" + params + "}").post("/a2a/" + agent).then().statusCode(200).extract().jsonPath();
    }

    private static void awaitState(String key, String agent, String task, String state) {
        Instant deadline = Instant.now().plusSeconds(20);
        String current = null;
        while (Instant.now().isBefore(deadline)) {
            current = rpc(key, agent, "GetTask", "{\"id\":\"" + task + "\"}").getString("result.status.state");
            if (state.equals(current)) {
                return;
            }
            Tasks.pause(100);
        }
        throw new AssertionError("task " + task + " is " + current + ", not " + state);
    }

    private static void agent(Api.TestTenant tenant, String name, String extra) {
        Api.as(tenant.key()).body("{\"name\":\"" + name + "\",\"kind\":\"llm\",\"model\":\"steward-scripted\""
                + extra + "}").post("/api/v1/agents").then().statusCode(201);
    }

    private static JsonObject json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
