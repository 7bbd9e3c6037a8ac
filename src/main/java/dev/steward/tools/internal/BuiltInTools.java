package dev.steward.tools.internal;

import dev.steward.tools.api.EmailChannel;
import dev.steward.tools.api.ToolDescriptor;
import dev.steward.tools.api.ToolDescriptor.SideEffect;
import dev.steward.tools.api.ToolOutcome;
import dev.steward.tools.api.Tools;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The built-in tools every tenant has: {@code current_time} (a read), {@code save_note} (a write, so it waits for
 * approval), {@code wait_seconds} (a long job that answers "pending" and is polled until its time is up) and
 * {@code sql_query} (a read over the tenant's own data through documented views, see {@link SqlQueries}), and
 * {@code http_get} (a read) and {@code http_send} (a write) to hosts on the tenant's allow-list ({@link HttpCalls}),
 * and {@code send_email} (a send: the draft waits for a person's approval unless granted otherwise, then goes out
 * through the queue from one of the tenant's mail accounts, {@link DefaultEmailChannel}).
 */
@ApplicationScoped
@BuiltIn
class BuiltInTools implements Tools {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_WAIT_SECONDS = 3600;

    private static final String SQL_DESCRIPTION = "Answers questions over the tenant's own data with one read-only"
            + " PostgreSQL SELECT (or WITH ... SELECT) over these views: records(id, type, fields jsonb, version,"
            + " created_at, updated_at); record_changes(record_id, version, change, fields jsonb, changed_at,"
            + " changed_by); workflow_runs(id, workflow, workflow_version, record_id, state, error, created_at,"
            + " started_at, finished_at); approvals(id, run_id, record_id, action jsonb, confidence, reason, state,"
            + " created_at, decided_at, decided_by); model_usage(occurred_at, model, provider, agent, agent_version,"
            + " session_id, input_tokens, output_tokens, cached_tokens, latency_ms, cost, outcome). Read fields with"
            + " fields->>'name'. Common aggregate, date, text, number and jsonb functions only; no comments. Answers"
            + " {columns, rows, rowCount, truncated} with at most a few hundred rows.";

    private static final Map<String, ToolDescriptor> TOOLS = index(List.of(
            new ToolDescriptor("current_time", "The current date and time in UTC (ISO-8601)",
                    "{\"type\":\"object\",\"properties\":{}}", SideEffect.READ, TIMEOUT),
            new ToolDescriptor("save_note", "Saves a short note for the tenant",
                    "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\","
                            + "\"description\":\"What to note, at most 10000 characters\"}},\"required\":[\"text\"]}",
                    SideEffect.WRITE, TIMEOUT),
            new ToolDescriptor("wait_seconds", "A long job: finishes after the given number of seconds, reporting"
                    + " its progress meanwhile", "{\"type\":\"object\",\"properties\":{\"seconds\":{\"type\":"
                    + "\"integer\",\"description\":\"1 to 3600\"}},\"required\":[\"seconds\"]}",
                    SideEffect.READ, TIMEOUT),
            new ToolDescriptor("sql_query", SQL_DESCRIPTION, "{\"type\":\"object\",\"properties\":{\"sql\":"
                    + "{\"type\":\"string\",\"description\":\"One PostgreSQL SELECT over the views above, at most "
                    + SqlGuard.MAX_LENGTH + " characters\"}},\"required\":[\"sql\"]}", SideEffect.READ, TIMEOUT),
            new ToolDescriptor("http_get", "Reads a URL on the tenant's HTTP allow-list (GET); answers {status,"
                    + " contentType, body, truncated}", "{\"type\":\"object\",\"properties\":{\"url\":{\"type\":"
                    + "\"string\"},\"headers\":{\"type\":\"object\",\"additionalProperties\":{\"type\":"
                    + "\"string\"}}},\"required\":[\"url\"]}", SideEffect.READ, TIMEOUT),
            new ToolDescriptor("http_send", "Sends a request (POST, PUT, PATCH or DELETE) to a URL on the tenant's"
                    + " HTTP allow-list, with an Idempotency-Key; answers {status, contentType, body, truncated}",
                    "{\"type\":\"object\",\"properties\":{\"method\":{\"enum\":[\"POST\",\"PUT\",\"PATCH\","
                    + "\"DELETE\"]},\"url\":{\"type\":\"string\"},\"headers\":{\"type\":\"object\","
                    + "\"additionalProperties\":{\"type\":\"string\"}},\"body\":{\"type\":\"string\"},"
                    + "\"contentType\":{\"type\":\"string\"}},\"required\":[\"method\",\"url\"]}",
                    SideEffect.WRITE, TIMEOUT),
            new ToolDescriptor("send_email", "Sends an email from one of the tenant's mail accounts (the default one"
                    + " unless account is named). The message is queued and sent under the account's daily cap;"
                    + " answers the queued message's id", "{\"type\":\"object\",\"properties\":{\"to\":{\"type\":"
                    + "\"array\",\"items\":{\"type\":\"string\"}},\"cc\":{\"type\":\"array\",\"items\":{\"type\":"
                    + "\"string\"}},\"subject\":{\"type\":\"string\"},\"body\":{\"type\":\"string\"},\"inReplyTo\":"
                    + "{\"type\":\"string\",\"description\":\"The Message-ID of the mail this answers\"},\"account\":"
                    + "{\"type\":\"string\"}},\"required\":[\"to\",\"subject\",\"body\"]}", SideEffect.SEND,
                    TIMEOUT)));

    @Inject
    NoteStore notes;

    @Inject
    SqlQueries queries;

    @Inject
    HttpCalls http;

    @Inject
    EmailChannel email;

    Clock clock = Clock.systemUTC();

    @Override
    public List<ToolDescriptor> catalog() {
        return List.copyOf(TOOLS.values());
    }

    @Override
    public List<ToolDescriptor> resolve(List<String> names) {
        return names.stream().map(TOOLS::get).filter(Objects::nonNull).toList();
    }

    @Override
    public ToolOutcome call(String name, String argumentsJson, String callKey) {
        Optional<JsonObject> arguments = parse(argumentsJson);
        if (arguments.isEmpty()) {
            return new ToolOutcome.Failed("The arguments must be a JSON object");
        }
        return switch (name) {
            case "current_time" -> new ToolOutcome.Done(clock.instant().toString());
            case "save_note" -> saveNote(arguments.get(), callKey);
            case "wait_seconds" -> startWaiting(arguments.get());
            case "sql_query" -> query(arguments.get());
            case "http_get" -> http("GET", arguments.get(), callKey);
            case "http_send" -> HttpCalls.SENT_METHODS.contains(arguments.get().getString("method", ""))
                    ? http(arguments.get().getString("method"), arguments.get(), callKey)
                    : new ToolOutcome.Failed("method: must be one of POST, PUT, PATCH, DELETE");
            case "send_email" -> sendEmail(arguments.get(), callKey);
            default -> new ToolOutcome.Failed("No tool named " + name);
        };
    }

    @Override
    public ToolOutcome poll(String name, String pollToken) {
        if (!"wait_seconds".equals(name)) {
            return new ToolOutcome.Failed("The tool " + name + " has no pending calls");
        }
        String[] parts = pollToken.split(":");
        Instant started = Instant.ofEpochMilli(Long.parseLong(parts[0]));
        long seconds = Long.parseLong(parts[1]);
        Duration elapsed = Duration.between(started, clock.instant());
        if (elapsed.toMillis() >= seconds * 1000) {
            return new ToolOutcome.Done("Waited " + seconds + " seconds");
        }
        double progress = elapsed.toMillis() / (seconds * 1000.0);
        return new ToolOutcome.Pending(pollToken, progress, "waited " + elapsed.toSeconds() + " of " + seconds + " s",
                Duration.ofSeconds(seconds).minus(elapsed));
    }

    private ToolOutcome saveNote(JsonObject arguments, String callKey) {
        if (!(arguments.get("text") instanceof JsonString text) || text.getString().isBlank()
                || text.getString().length() > 10_000) {
            return new ToolOutcome.Failed("text: must be a non-blank string of at most 10000 characters");
        }
        return new ToolOutcome.Done("Saved note " + notes.save(callKey, text.getString()));
    }

    private ToolOutcome query(JsonObject arguments) {
        String sql = arguments.get("sql") instanceof JsonString text ? text.getString() : null;
        Optional<String> problem = SqlGuard.problem(sql);
        return problem.isPresent() ? new ToolOutcome.Failed(problem.get()) : queries.run(sql);
    }

    private ToolOutcome http(String method, JsonObject arguments, String callKey) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (arguments.get("headers") instanceof JsonObject given) {
            for (Map.Entry<String, JsonValue> header : given.entrySet()) {
                if (!(header.getValue() instanceof JsonString value)) {
                    return new ToolOutcome.Failed("headers: " + header.getKey() + " must be a string");
                }
                headers.put(header.getKey(), value.getString());
            }
        }
        boolean sends = HttpCalls.SENT_METHODS.contains(method);
        return http.call(new HttpCalls.Request(method, text(arguments, "url"), headers,
                sends ? text(arguments, "body") : null, sends ? text(arguments, "contentType") : null), callKey);
    }

    private ToolOutcome sendEmail(JsonObject arguments, String callKey) {
        EmailChannel.Queued queued = email.send(EmailChannel.Draft.of(arguments), "tool:" + callKey);
        return queued.refused() ? new ToolOutcome.Failed(queued.reason())
                : new ToolOutcome.Done("Queued email " + queued.message() + " from account " + queued.account()
                + "; the queue sends it under the account's daily cap");
    }

    private static String text(JsonObject arguments, String name) {
        return arguments.get(name) instanceof JsonString value ? value.getString() : null;
    }

    private ToolOutcome startWaiting(JsonObject arguments) {
        if (!(arguments.get("seconds") instanceof JsonNumber number) || !number.isIntegral()
                || number.longValue() < 1 || number.longValue() > MAX_WAIT_SECONDS) {
            return new ToolOutcome.Failed("seconds: must be a whole number from 1 to " + MAX_WAIT_SECONDS);
        }
        String token = clock.millis() + ":" + number.longValue();
        return new ToolOutcome.Pending(token, 0, "started", Duration.ofSeconds(number.longValue()));
    }

    private static Optional<JsonObject> parse(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json == null || json.isBlank() ? "{}" : json))) {
            JsonValue value = reader.readValue();
            return value instanceof JsonObject object ? Optional.of(object) : Optional.empty();
        } catch (JsonException e) {
            return Optional.empty();
        }
    }

    private static Map<String, ToolDescriptor> index(List<ToolDescriptor> tools) {
        Map<String, ToolDescriptor> byName = new LinkedHashMap<>();
        tools.forEach(tool -> byName.put(tool.name(), tool));
        return Map.copyOf(byName);
    }
}
