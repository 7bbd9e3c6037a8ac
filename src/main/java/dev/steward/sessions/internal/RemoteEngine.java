package dev.steward.sessions.internal;

import dev.steward.agents.api.AgentDefinition;
import dev.steward.agents.api.AgentDirectory;
import dev.steward.models.api.ChatGateway.ToolCall;
import dev.steward.shared.InternalAddresses;
import dev.steward.shared.MasterKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The lifecycle contract with a tenant's own reasoning engine (a {@code remote} agent). Steward POSTs JSON to the
 * agent's endpoint: {@code type} ({@code turn}, or {@code poll} for a job it said was pending), {@code session}
 * (id and the agent's state), {@code turn} (id, number, input), {@code history} (earlier turns) and
 * {@code pollToken}. Each request carries {@code X-Steward-Timestamp} (epoch seconds) and
 * {@code X-Steward-Signature: v1=<hex HMAC-SHA256(agent's key, timestamp + "." + body)>}, plus
 * {@code Idempotency-Key}; it times out after the agent's {@code timeoutSeconds}. The engine answers 200 with
 * {@code {"output": "...", "state": {...}, "actions": [...]}} (state and proposed actions optional),
 * {@code {"toolRequests": [{"id", "tool", "arguments"}]}} to have granted tools run (the next request, of type
 * {@code tool_results}, carries the turn's {@code steps} with their results), or
 * {@code {"pending": {"pollToken", "pollAfterSeconds", "progress", "status"}}} to be polled. Redirects are not
 * followed; private addresses are refused unless {@code STEWARD_AGENTS_ALLOW_PRIVATE}.
 */
@ApplicationScoped
class RemoteEngine {

    private static final int MAX_ANSWER_BYTES = 1 << 20;

    @Inject
    AgentDirectory agents;

    @Inject
    @ConfigProperty(name = "steward.agents.allow-private", defaultValue = "false")
    boolean allowPrivate;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** What the engine answered. */
    sealed interface Answer {
    }

    record Output(String text, JsonObject state, JsonArray actions) implements Answer {
    }

    record Pending(String pollToken, double progress, String status, Duration pollAfter) implements Answer {
    }

    /** The engine asks Steward to run tools (only those granted to the agent run) and to call it with the results. */
    record ToolRequests(List<ToolCall> calls) implements Answer {
    }

    /** A refusal another attempt cannot fix (a 4xx, an answer that breaks the contract, a refused address). */
    record Refused(String reason) implements Answer {
    }

    /** A failure worth another attempt: a timeout, a broken connection, a 5xx. */
    static final class Unavailable extends Exception {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    Answer call(AgentDefinition agent, JsonObject request, String idempotencyKey)
            throws Unavailable, InterruptedException {
        URI endpoint = URI.create(agent.endpoint());
        String refusal = addressRefusal(endpoint);
        if (refusal != null) {
            return new Refused(refusal);
        }
        String body = request.toString();
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        String signature = HexFormat.of().formatHex(MasterKey.hmac(agents.signingKey(agent.id()),
                (timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(endpoint).timeout(agent.timeout())
                    .header("Content-Type", "application/json").header("X-Steward-Timestamp", timestamp)
                    .header("X-Steward-Signature", "v1=" + signature).header("Idempotency-Key", idempotencyKey)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream answer = response.body()) {
                int status = response.statusCode();
                if (status >= 500 || status == 429 || status == 408) {
                    throw new Unavailable("the remote agent answered HTTP " + status, null);
                }
                if (status != 200) {
                    return new Refused("The remote agent refused the turn (HTTP " + status + ")");
                }
                // Read no more than the limit, whatever the engine sends.
                byte[] bytes = answer.readNBytes(MAX_ANSWER_BYTES + 1);
                if (bytes.length > MAX_ANSWER_BYTES) {
                    return new Refused("The remote agent's answer is larger than 1 MiB");
                }
                return parse(new String(bytes, StandardCharsets.UTF_8));
            }
        } catch (HttpTimeoutException e) {
            throw new Unavailable("the remote agent did not answer within " + agent.timeout().toSeconds() + " s", e);
        } catch (IOException e) {
            throw new Unavailable("the remote agent could not be reached", e);
        }
    }

    private static Answer parse(String body) {
        JsonObject answer;
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            JsonValue value = reader.readValue();
            if (!(value instanceof JsonObject object)) {
                return new Refused("The remote agent's answer is not a JSON object");
            }
            answer = object;
        } catch (JsonException e) {
            return new Refused("The remote agent's answer is not JSON");
        }
        if (answer.get("pending") instanceof JsonObject pending && pending.get("pollToken") instanceof JsonString token) {
            double progress = pending.get("progress") instanceof JsonNumber number ? number.doubleValue() : 0;
            long after = pending.get("pollAfterSeconds") instanceof JsonNumber number ? number.longValue() : 1;
            return new Pending(token.getString(), Math.max(0, Math.min(1, progress)),
                    pending.getString("status", "pending"), Duration.ofSeconds(Math.max(1, Math.min(after, 3600))));
        }
        if (answer.get("toolRequests") instanceof JsonArray requests && !requests.isEmpty()) {
            List<ToolCall> calls = new ArrayList<>();
            for (JsonValue request : requests) {
                if (!(request instanceof JsonObject call) || !(call.get("id") instanceof JsonString id)
                        || !(call.get("tool") instanceof JsonString tool)) {
                    return new Refused("The remote agent's tool requests need an id and a tool each");
                }
                JsonValue arguments = call.getOrDefault("arguments", JsonValue.EMPTY_JSON_OBJECT);
                calls.add(new ToolCall(id.getString(), tool.getString(), arguments.toString()));
            }
            return new ToolRequests(List.copyOf(calls));
        }
        if (answer.get("output") instanceof JsonString output) {
            return new Output(output.getString(), answer.get("state") instanceof JsonObject state ? state : null,
                    answer.get("actions") instanceof JsonArray actions ? actions : null);
        }
        return new Refused("The remote agent's answer has none of output, toolRequests or pending");
    }

    /** Why the URL's host may not be called, or null: private addresses only where the installation allows. */
    String addressRefusal(URI endpoint) {
        try {
            return !allowPrivate && InternalAddresses.resolvesInside(endpoint.getHost())
                    ? "The remote agent's host is a private address (STEWARD_AGENTS_ALLOW_PRIVATE allows it)" : null;
        } catch (UnknownHostException e) {
            return "The remote agent's host does not resolve";
        }
    }
}
