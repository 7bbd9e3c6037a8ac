package dev.steward.devserver;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Gives a new demo tenant something to show: on the first start (the tenant has no session yet) a little work
 * through the public API with the demo key, as a user would do it: chats with {@code assistant}, a question to
 * {@code data-analyst}, an inbound email for {@code email-triage} (a task filed, a reply waiting for approval) and
 * two leads for {@code lead-to-cash}. All on the built-in model, so it costs nothing and needs no network; the
 * admin UI's costs, sessions, runs, approvals and queue pages then have the demo tenant's activity in them.
 * {@code STEWARD_DEMO_ACTIVITY=false} skips it.
 */
final class DemoActivity {

    private static final List<String> CHATS = List.of("Hello! What can you do?", "Summarize our week in two lines.",
            "Draft a friendly reminder about Friday's demo.");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String api;
    private final String key;

    private DemoActivity(String baseUri, String key) {
        this.api = baseUri + "/api/v1";
        this.key = key;
    }

    /** Runs it unless the tenant already has sessions; says what it did. Failures are reported, never thrown. */
    static void runOnce(String baseUri, String demoKey) {
        try {
            DemoActivity activity = new DemoActivity(baseUri, demoKey);
            if (!activity.get("/sessions?limit=1").asJsonArray().isEmpty()) {
                return;
            }
            System.out.println("[steward] " + activity.run());
        } catch (IOException | RuntimeException e) {
            System.out.println("[steward] The demo activity did not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String run() throws IOException, InterruptedException {
        JsonArray agents = get("/agents").asJsonArray();
        for (String input : CHATS) {
            String session = post("/sessions", Json.createObjectBuilder().add("agentId", agentId(agents, "assistant"))
                    .build()).getString("id");
            post("/sessions/" + session + "/turns", Json.createObjectBuilder().add("input", input).build());
        }
        String analyst = post("/sessions", Json.createObjectBuilder().add("agentId", agentId(agents, "data-analyst"))
                .build()).getString("id");
        post("/sessions/" + analyst + "/turns", Json.createObjectBuilder()
                .add("input", "How many notes do we have?").build());
        post("/triggers", Json.createObjectBuilder().add("event", "email.received").add("data", Json
                .createObjectBuilder().add("from", "grace@customer.example").add("subject", "Invoice 1042 is wrong")
                .add("text", "Hello, the invoice charges us twice for October. Can you fix it?")
                .add("messageId", "<demo-1@customer.example>")).build());
        for (String name : List.of("Ada Lovelace", "Alan Turing")) {
            post("/records", Json.createObjectBuilder().add("type", "lead").add("fields", Json.createObjectBuilder()
                    .add("name", name).add("company", name.split(" ")[1] + " Ltd")
                    .add("email", name.split(" ")[0].toLowerCase() + "@leads.example")).build());
        }
        return "Demo activity: 4 sessions, an inbound email and 2 leads, so the admin UI has something to show";
    }

    private static String agentId(JsonArray agents, String name) {
        return agents.getValuesAs(JsonObject.class).stream().filter(agent -> name.equals(agent.getString("name")))
                .findFirst().orElseThrow(() -> new IllegalStateException("the demo agent " + name + " is missing"))
                .getString("id");
    }

    private JsonValue get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(api + path)).GET());
    }

    private JsonObject post(String path, JsonObject body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(api + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))).asJsonObject();
    }

    private JsonValue send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IOException(request.build().uri().getPath() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        if (response.body().isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readValue();
        }
    }
}
