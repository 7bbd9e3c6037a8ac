package dev.steward.protocols;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.steward.testing.Api;
import dev.steward.testing.NodeClients;
import dev.steward.testing.StewardServer;
import io.restassured.path.json.JsonPath;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenAI-compatible endpoint: the conversation a client sends becomes the agent's history, answers come whole
 * or streamed, errors take OpenAI's shape, one tenant cannot name another's agent, and the official openai Node
 * client, installed from npm, works against it unmodified.
 */
@ExtendWith(StewardServer.class)
class ChatCompletionsIT {

    @Test
    void theConversationSentBecomesTheAgentsHistoryAndTheAnswerComesWhole() {
        Api.TestTenant tenant = Api.newTenant("openai-whole");
        agent(tenant, "echo");
        JsonPath completion = Api.as(tenant.key()).body("{\"model\":\"echo\",\"temperature\":0.2,\"messages\":["
                + "{\"role\":\"system\",\"content\":\"ignored\"},{\"role\":\"user\",\"content\":\"first\"},"
                + "{\"role\":\"assistant\",\"content\":\"You said: first\"},{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"what was my first message?\"}]}]}")
                .post("/v1/chat/completions").then().statusCode(200).extract().jsonPath();
        assertThat(completion.getString("object")).isEqualTo("chat.completion");
        assertThat(completion.getString("model")).isEqualTo("echo");
        assertThat(completion.getString("choices[0].message.content"))
                .isEqualTo("You said: what was my first message? Your first message was: first");
        assertThat(completion.getString("choices[0].finish_reason")).isEqualTo("stop");
        assertThat(completion.getInt("usage.total_tokens")).isEqualTo(completion.getInt("usage.prompt_tokens")
                + completion.getInt("usage.completion_tokens"));
        // The request's session is over, with the history it was given and the turn it ran.
        Api.as(tenant.key()).get("/api/v1/sessions").then().body("[0].state", equalTo("ended"));
        String session = Api.as(tenant.key()).get("/api/v1/sessions").then().extract().path("[0].id");
        Api.as(tenant.key()).get("/api/v1/sessions/" + session).then().body("turns.size()", equalTo(2))
                .body("turns[1].answer", equalTo(completion.getString("choices[0].message.content")));
    }

    @Test
    void aStreamedAnswerArrivesAsChunksEndingInDone() {
        Api.TestTenant tenant = Api.newTenant("openai-stream");
        agent(tenant, "echo");
        String body = Api.as(tenant.key()).body("{\"model\":\"echo\",\"stream\":true,\"stream_options\":"
                + "{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).contentType("text/event-stream").extract()
                .asString();
        List<String> data = Arrays.stream(body.split("\n\n")).map(String::trim).filter(e -> !e.isEmpty())
                .map(e -> e.substring("data: ".length())).toList();
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        StringBuilder content = new StringBuilder();
        data.subList(0, data.size() - 1).forEach(event -> {
            JsonObject chunk = json(event);
            assertThat(chunk.getString("object")).isEqualTo("chat.completion.chunk");
            if (!chunk.getJsonArray("choices").isEmpty()) {
                content.append(chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
                        .getString("content", ""));
            }
        });
        assertThat(content.toString()).isEqualTo("You said: one two three");
        assertThat(json(data.get(data.size() - 3)).getJsonArray("choices").getJsonObject(0)
                .getString("finish_reason")).isEqualTo("stop");
        assertThat(json(data.get(data.size() - 2)).getJsonObject("usage").getInt("completion_tokens")).isEqualTo(5);
    }

    @Test
    void badRequestsAndOtherTenantsAgentsGetOpenAiErrors() {
        Api.TestTenant tenant = Api.newTenant("openai-errors");
        Api.TestTenant other = Api.newTenant("openai-other");
        agent(other, "private-agent");
        Api.as(tenant.key()).body("{\"model\":\"private-agent\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"hi\"}]}").post("/v1/chat/completions").then().statusCode(404)
                .body("error.code", equalTo("model_not_found")).body("error.param", equalTo("model"));
        Api.as(tenant.key()).body("{\"model\":\"x\",\"messages\":[]}").post("/v1/chat/completions").then()
                .statusCode(400).body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo("messages"));
        agent(tenant, "echo");
        Api.as(tenant.key()).body("{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
                + "{\"role\":\"assistant\",\"content\":\"b\"}]}").post("/v1/chat/completions").then()
                .statusCode(400).body("error.message", equalTo("messages: the last message must be the user's"));
        Api.as(tenant.key()).body("{\"model\":\"echo\",\"messages\":[{\"role\":\"robot\",\"content\":\"a\"}]}")
                .post("/v1/chat/completions").then().statusCode(400).body("error.param",
                        equalTo("messages[0].role"));
        Api.as(tenant.key()).body("{\"model\":\"echo\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"a\"}]}").post("/v1/chat/completions").then().statusCode(400).body("error.param", equalTo("n"));
        Api.anonymous().body("{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}")
                .post("/v1/chat/completions").then().statusCode(401);
        String readOnly = Api.issueKey(tenant.id(), "[\"sessions:read\"]");
        Api.as(readOnly).body("{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}")
                .post("/v1/chat/completions").then().statusCode(403);
        Api.as(tenant.key()).get("/v1/models").then().statusCode(200).body("object", equalTo("list"))
                .body("data.id", equalTo(List.of("echo")));
        Api.as(tenant.key()).get("/v1/models/private-agent").then().statusCode(404)
                .body("error.code", equalTo("model_not_found"));
        // Nothing was started for the refused requests.
        Api.as(tenant.key()).get("/api/v1/sessions").then().body("size()", equalTo(0));
        // A write waits for a person, whom a chat completion cannot ask: 409, naming the session.
        Api.as(tenant.key()).body("{\"name\":\"writer\",\"kind\":\"llm\",\"model\":\"steward-scripted\","
                + "\"tools\":[\"save_note\"]}").post("/api/v1/agents").then().statusCode(201);
        Api.as(tenant.key()).body("{\"model\":\"writer\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"call save_note {\\\"text\\\": \\\"x\\\"}\"}]}").post("/v1/chat/completions").then()
                .statusCode(409).body("error.code", equalTo("approval_required"))
                .body("error.message", containsString("waits for a person's approval"));
    }

    @Test
    void theOfficialOpenAiNodeClientWorksUnmodified() throws Exception {
        Api.TestTenant tenant = Api.newTenant("openai-node");
        agent(tenant, "echo");
        String out = NodeClients.run("openai-client.mjs", Map.of("STEWARD_URL", StewardServer.rig().baseUri(),
                "STEWARD_KEY", tenant.key(), "STEWARD_AGENT", "echo"), Duration.ofMinutes(2));
        JsonObject result = json(out.trim());
        assertThat(result.getString("answer"))
                .isEqualTo("You said: and what was my first message? Your first message was: hello from node");
        assertThat(result.getString("finishReason")).isEqualTo("stop");
        assertThat(result.getJsonObject("usage").getInt("total_tokens")).isGreaterThan(0);
        assertThat(result.getString("streamed")).isEqualTo("You said: stream this please");
        assertThat(result.getInt("chunks")).isGreaterThan(3);
        assertThat(result.getJsonObject("streamUsage").getInt("completion_tokens")).isEqualTo(5);
        assertThat(result.getJsonObject("missing").getInt("status")).isEqualTo(404);
        assertThat(result.getJsonObject("missing").getString("code")).isEqualTo("model_not_found");
        assertThat(result.getJsonArray("models").getString(0)).isEqualTo("echo");
    }

    private static void agent(Api.TestTenant tenant, String name) {
        Api.as(tenant.key()).body("{\"name\":\"" + name + "\",\"kind\":\"llm\",\"model\":\"steward-scripted\"}")
                .post("/api/v1/agents").then().statusCode(201);
    }

    private static JsonObject json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
