package dev.steward.tools;

import dev.steward.testing.Api;
import dev.steward.testing.Tasks;
import jakarta.json.Json;
import java.time.Instant;

/** Tool calls the way agents make them: a turn of a session with an agent on the built-in model. */
final class ToolTurns {

    private ToolTurns() {
    }

    /** A new agent on the built-in model with {@code grantJson} (e.g. {@code "tools":["sql_query"]}); its id. */
    static String agent(Api.TestTenant tenant, String name, String grantJson) {
        return Api.as(tenant.key()).body("{\"name\":\"" + name + "\",\"kind\":\"llm\",\"model\":\"steward-scripted\","
                + grantJson + "}").post("/api/v1/agents").then().statusCode(201).extract().path("id");
    }

    /** A new session with the agent; its id. */
    static String session(String key, String agent) {
        return Api.as(key).body("{\"agentId\":\"" + agent + "\"}").post("/api/v1/sessions").then().statusCode(201)
                .extract().path("id");
    }

    /** Sends {@code input} as the session's first turn and returns its answer once done. */
    static String answer(String key, String session, String input) {
        send(key, session, input);
        awaitState(key, session, "done");
        return Api.as(key).get("/api/v1/sessions/" + session).then().extract().path("turns[0].answer");
    }

    static void send(String key, String session, String input) {
        Api.as(key).body(Json.createObjectBuilder().add("input", input).build().toString())
                .post("/api/v1/sessions/" + session + "/turns").then().statusCode(202);
    }

    static void awaitState(String key, String session, String state) {
        Instant deadline = Instant.now().plusSeconds(20);
        String current = null;
        while (Instant.now().isBefore(deadline)) {
            current = Api.as(key).get("/api/v1/sessions/" + session).then().extract().path("turns[0].state");
            if (state.equals(current)) {
                return;
            }
            if ("failed".equals(current)) {
                break;
            }
            Tasks.pause(50);
        }
        throw new AssertionError("The turn is " + current + ", not " + state + ": " + Api.as(key)
                .get("/api/v1/sessions/" + session).then().extract().path("turns[0].error"));
    }
}
