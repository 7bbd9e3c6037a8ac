package dev.steward.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.steward.testing.Api;
import dev.steward.testing.FreePorts;
import dev.steward.testing.SseClient;
import dev.steward.testing.StewardServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The remote-agent contract against a local engine over real HTTP: requests signed with the agent's key (checked by
 * the engine; a request that does not verify is refused), the engine's state carried from turn to turn, its
 * "pending" polled to the end with progress streamed, its tool requests run (granted tools only, writes confirmed)
 * with the results sent back, and its refusal failing the turn.
 */
@ExtendWith(StewardServer.class)
class RemoteAgentIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Engine engine;

    @BeforeAll
    static void startEngine() throws IOException {
        engine = new Engine();
    }

    @AfterAll
    static void stopEngine() {
        engine.server.stop(0);
    }

    @Test
    void signedTurnsCarryTheEnginesStateAndPendingJobsArePolled() {
        Api.TestTenant tenant = Api.newTenant("remote-engine");
        String agent = remoteAgent(tenant, "engine");
        engine.key = signingKey(tenant, agent);
        String session = SessionsIT.startSession(tenant, agent);
        try (SseClient stream = SseClient.open(SessionsIT.events(session), tenant.key(), null)) {
            SessionsIT.send(tenant, session, "hello");
            assertThat(SessionsIT.last(stream.until("turn.completed", WAIT)).data().getString("answer"))
                    .isEqualTo("Engine heard 'hello' (turn 1 by its count)");
            SessionsIT.send(tenant, session, "again");
            JsonObject second = SessionsIT.last(stream.until("turn.completed", WAIT)).data();
            assertThat(second.getString("answer")).isEqualTo("Engine heard 'again' (turn 2 by its count)");
            assertThat(second.getJsonArray("actions").getJsonObject(0).getString("action")).isEqualTo("log");

            SessionsIT.send(tenant, session, "slow job");
            List<SseClient.Event> events = stream.until("turn.completed", WAIT);
            assertThat(SessionsIT.last(events).data().getString("answer")).isEqualTo("The slow job is done");
            assertThat(events.stream().filter(e -> e.type().equals("progress")).findFirst().orElseThrow().data()
                    .getJsonNumber("progress").doubleValue()).isEqualTo(0.5);
        }
        Api.as(tenant.key()).get("/api/v1/sessions/" + session).then().statusCode(200)
                .body("agentState.count", equalTo(3));
        List<Engine.Received> received = engine.requests.stream()
                .filter(r -> r.body.getJsonObject("session").getString("id").equals(session)).toList();
        assertThat(received).allSatisfy(request -> assertThat(request.verified).isTrue());
        assertThat(received.stream().map(r -> r.body.getString("type")).toList())
                .containsExactly("turn", "turn", "turn", "poll");
        assertThat(received.get(1).body.getJsonArray("history")).hasSize(2);
    }

    @Test
    void theEnginesToolRequestsRunGrantedToolsWithConfirmationAndItHearsTheResults() {
        Api.TestTenant tenant = Api.newTenant("remote-tools");
        String agent = Api.as(tenant.key()).body("{\"name\":\"tooled\",\"kind\":\"remote\",\"endpoint\":\""
                + engine.url() + "\",\"tools\":[\"save_note\"]}").post("/api/v1/agents").then().statusCode(201)
                .extract().path("id");
        engine.key = signingKey(tenant, agent);
        String session = SessionsIT.startSession(tenant, agent);
        try (SseClient stream = SseClient.open(SessionsIT.events(session), tenant.key(), null)) {
            SessionsIT.send(tenant, session, "note this");
            String confirmation = SessionsIT.last(stream.until("confirmation.requested", WAIT)).data()
                    .getString("confirmationId");
            SessionsIT.decide(tenant, session, confirmation, true).then().statusCode(200);
            List<SseClient.Event> events = stream.until("turn.completed", WAIT);
            assertThat(SessionsIT.last(events).data().getString("answer"))
                    .matches("Engine saw: save_note -> Saved note \\d+; delete_everything -> The tool"
                            + " delete_everything is not granted to this agent");
        }
        List<Engine.Received> received = engine.requests.stream()
                .filter(r -> r.body.getJsonObject("session").getString("id").equals(session)).toList();
        assertThat(received.stream().map(r -> r.body.getString("type")).toList())
                .containsExactly("turn", "tool_results");
        assertThat(received.get(0).body.getJsonArray("tools").getJsonObject(0).getString("name"))
                .isEqualTo("save_note");
    }

    @Test
    void aRequestSignedWithAnotherAgentsKeyIsRefusedByTheEngine() {
        Api.TestTenant tenant = Api.newTenant("remote-keys");
        String first = remoteAgent(tenant, "first");
        String second = remoteAgent(tenant, "second");
        assertThat(signingKey(tenant, first)).isNotEqualTo(signingKey(tenant, second));
        engine.key = signingKey(tenant, first);
        String session = SessionsIT.startSession(tenant, second);
        try (SseClient stream = SseClient.open(SessionsIT.events(session), tenant.key(), null)) {
            SessionsIT.send(tenant, session, "hello");
            assertThat(SessionsIT.last(stream.until("turn.failed", WAIT)).data().getString("error"))
                    .isEqualTo("The remote agent refused the turn (HTTP 401)");
        }
    }

    @Test
    void signingKeysAreForRemoteAgentsOfTheTenantOnly() {
        Api.TestTenant tenant = Api.newTenant("remote-owner");
        Api.TestTenant other = Api.newTenant("remote-other");
        String agent = remoteAgent(tenant, "mine");
        Api.as(other.key()).post("/api/v1/agents/" + agent + "/signing-key").then().statusCode(404);
        String llm = SessionsIT.agent(tenant, "plain", "");
        Api.as(tenant.key()).post("/api/v1/agents/" + llm + "/signing-key").then().statusCode(409);
        Api.as(tenant.key()).body("{\"name\":\"public\",\"kind\":\"remote\",\"endpoint\":\"http://example.com/run\"}")
                .post("/api/v1/agents").then().statusCode(400).body("errors.field", hasItem("endpoint"));
    }

    private static String remoteAgent(Api.TestTenant tenant, String name) {
        return Api.as(tenant.key()).body("{\"name\":\"" + name + "\",\"kind\":\"remote\",\"endpoint\":\""
                + engine.url() + "\",\"timeoutSeconds\":5}").post("/api/v1/agents").then().statusCode(201)
                .extract().path("id");
    }

    private static String signingKey(Api.TestTenant tenant, String agent) {
        return Api.as(tenant.key()).post("/api/v1/agents/" + agent + "/signing-key").then().statusCode(200)
                .body("algorithm", equalTo("HMAC-SHA256")).extract().path("key");
    }

    /** A tenant's reasoning engine: checks the signature, counts turns in its state, and has one slow job. */
    private static final class Engine {

        record Received(JsonObject body, boolean verified) {
        }

        final HttpServer server;
        final List<Received> requests = new CopyOnWriteArrayList<>();
        volatile String key;

        Engine() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.pick()), 16);
            server.createContext("/run", this::answer);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/run";
        }

        private void answer(HttpExchange exchange) throws IOException {
            try (exchange) {
                String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                JsonObject body = Json.createReader(new StringReader(text)).readObject();
                boolean verified = verifies(exchange.getRequestHeaders().getFirst("X-Steward-Timestamp"), text,
                        exchange.getRequestHeaders().getFirst("X-Steward-Signature"));
                requests.add(new Received(body, verified));
                if (!verified) {
                    send(exchange, 401, "{\"error\":\"bad signature\"}");
                    return;
                }
                int count = body.getJsonObject("session").getJsonObject("state").getInt("count", 0);
                String input = body.getJsonObject("turn").getString("input");
                if ("tool_results".equals(body.getString("type"))) {
                    StringBuilder seen = new StringBuilder();
                    for (JsonObject step : body.getJsonArray("steps").getValuesAs(JsonObject.class)) {
                        if (step.getString("role").equals("tool")) {
                            seen.append(seen.isEmpty() ? "" : "; ").append(step.getString("tool")).append(" -> ")
                                    .append(step.getString("text"));
                        }
                    }
                    send(exchange, 200, Json.createObjectBuilder().add("output", "Engine saw: " + seen).build()
                            .toString());
                } else if (input.equals("note this")) {
                    send(exchange, 200, "{\"toolRequests\":[{\"id\":\"t1\",\"tool\":\"save_note\",\"arguments\":"
                            + "{\"text\":\"from the engine\"}},{\"id\":\"t2\",\"tool\":\"delete_everything\"}]}");
                } else if ("poll".equals(body.getString("type"))) {
                    send(exchange, 200, Json.createObjectBuilder().add("output", "The slow job is done")
                            .add("state", Json.createObjectBuilder().add("count", count + 1)).build().toString());
                } else if (input.equals("slow job")) {
                    send(exchange, 200, "{\"pending\":{\"pollToken\":\"job-1\",\"pollAfterSeconds\":1,"
                            + "\"progress\":0.5,\"status\":\"half way\"}}");
                } else {
                    send(exchange, 200, Json.createObjectBuilder()
                            .add("output", "Engine heard '" + input + "' (turn " + (count + 1) + " by its count)")
                            .add("state", Json.createObjectBuilder().add("count", count + 1))
                            .add("actions", Json.createArrayBuilder().add(Json.createObjectBuilder()
                                    .add("action", "log"))).build().toString());
                }
            }
        }

        private boolean verifies(String timestamp, String body, String signature) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(HexFormat.of().parseHex(key), "HmacSHA256"));
                byte[] expected = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
                return signature != null && signature.startsWith("v1=") && MessageDigest.isEqual(expected,
                        HexFormat.of().parseHex(signature.substring(3)));
            } catch (Exception e) {
                return false;
            }
        }

        private static void send(HttpExchange exchange, int status, String json) throws IOException {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
