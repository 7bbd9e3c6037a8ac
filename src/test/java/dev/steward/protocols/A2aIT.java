package dev.steward.protocols;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

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
import java.util.List;
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

    @Test
    void aRemoteAgentSpeakingA2aIsCalledThroughItsCardWithItsTokenInOneContext() {
        Api.TestTenant caller = Api.newTenant("a2a-caller");
        Api.TestTenant partner = Api.newTenant("a2a-partner");
        agent(partner, "echo", "");
        // http is for private addresses written as such: the rig serves on localhost, so its card is named by IP.
        String card = StewardServer.rig().baseUri().replace("localhost", "127.0.0.1")
                + "/a2a/echo/.well-known/agent-card.json";
        String remote = Api.as(caller.key()).body("{\"name\":\"partner\",\"kind\":\"remote\",\"protocol\":\"a2a\","
                + "\"endpoint\":\"" + card + "\",\"token\":\"" + partner.key() + "\",\"timeoutSeconds\":20}")
                .post("/api/v1/agents").then().statusCode(201).extract().path("id");
        assertThat(Api.as(caller.key()).get("/api/v1/agents/" + remote + "/versions").asString())
                .doesNotContain(partner.key());
        assertThat(Api.as(caller.key()).get("/api/v1/agents/" + remote).asString()).doesNotContain(partner.key());

        String session = Api.as(caller.key()).body("{\"agentId\":\"" + remote + "\"}").post("/api/v1/sessions")
                .then().statusCode(201).extract().path("id");
        assertThat(turn(caller.key(), session, "hello partner")).isEqualTo("You said: hello partner");
        assertThat(turn(caller.key(), session, "and once more")).isEqualTo("You said: and once more");
        // The partner saw one conversation: one session of its agent, with both turns.
        Api.as(partner.key()).get("/api/v1/sessions").then().body("size()", equalTo(1));
        String theirs = Api.as(partner.key()).get("/api/v1/sessions").then().extract().path("[0].id");
        Api.as(partner.key()).get("/api/v1/sessions/" + theirs).then().body("turns.size()", equalTo(2));

        String wrong = Api.as(caller.key()).body("{\"name\":\"impostor\",\"kind\":\"remote\",\"protocol\":"
                + "\"a2a\",\"endpoint\":\"" + card + "\",\"token\":\"stw_not-a-key\"}").post("/api/v1/agents")
                .then().statusCode(201).extract().path("id");
        String refused = Api.as(caller.key()).body("{\"agentId\":\"" + wrong + "\"}").post("/api/v1/sessions")
                .then().statusCode(201).extract().path("id");
        Api.as(caller.key()).body("{\"input\":\"hi\"}").post("/api/v1/sessions/" + refused + "/turns").then()
                .statusCode(202);
        assertThat((String) awaitTurn(caller.key(), refused, 0, "failed").get("error")).contains("HTTP 401");

        Api.as(caller.key()).body("{\"name\":\"bad\",\"kind\":\"llm\",\"model\":\"steward-scripted\","
                + "\"token\":\"x\",\"protocol\":\"a2a\"}").post("/api/v1/agents").then().statusCode(400)
                .body("errors.field", hasItems("token", "protocol"));
        Api.as(caller.key()).body("{\"name\":\"bad\",\"kind\":\"remote\",\"endpoint\":\"" + card + "\","
                + "\"token\":\"x\"}").post("/api/v1/agents").then().statusCode(400)
                .body("errors.field", equalTo(List.of("token")));
    }

    private static String turn(String key, String session, String input) {
        int number = Api.as(key).get("/api/v1/sessions/" + session).then().extract().path("turns.size()");
        Api.as(key).body("{\"input\":\"" + input + "\"}").post("/api/v1/sessions/" + session + "/turns").then()
                .statusCode(202);
        return (String) awaitTurn(key, session, number, "done").get("answer");
    }

    private static Map<String, Object> awaitTurn(String key, String session, int index, String state) {
        Instant deadline = Instant.now().plusSeconds(30);
        Map<String, Object> turn = null;
        while (Instant.now().isBefore(deadline)) {
            JsonPath view = Api.as(key).get("/api/v1/sessions/" + session).then().extract().jsonPath();
            if (view.getList("turns").size() > index) {
                turn = view.getMap("turns[" + index + "]");
                if (state.equals(turn.get("state"))) {
                    return turn;
                }
            }
            Tasks.pause(100);
        }
        throw new AssertionError("turn " + index + " of " + session + " is not " + state + ": " + turn);
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
