package dev.steward.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model provider on a free loopback port that speaks OpenAI's chat completions wire protocol over real HTTP. A
 * last user message {@code call <tool> <arguments>} naming an offered tool is answered with that tool call. It
 * answers "Echo: <the last user message>" with fixed token counts (12 in, 5 out), or a configured error status, and
 * records every request as received (body and Authorization header).
 */
public final class FakeOpenAi implements AutoCloseable {

    /** One request as the provider saw it. */
    public record Request(String authorization, JsonObject body) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int failWith;
    private final AtomicInteger failures = new AtomicInteger();

    private FakeOpenAi(HttpServer server) {
        this.server = server;
    }

    public static FakeOpenAi start() {
        try {
            FakeOpenAi fake = new FakeOpenAi(HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.pick()),
                    64));
            fake.server.createContext("/v1/chat/completions", fake::complete);
            fake.server.setExecutor(fake.threads);
            fake.server.start();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL a provider account names: {@code http://127.0.0.1:<port>/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Answer every request with this HTTP status (0: answer normally). */
    public void failWith(int status) {
        failWith = status;
        failures.set(Integer.MAX_VALUE);
    }

    /** Answer the next {@code count} requests with this HTTP status, then normally. */
    public void failNext(int count, int status) {
        failWith = status;
        failures.set(count);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void complete(HttpExchange exchange) throws IOException {
        try (exchange) {
            String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            JsonObject body;
            try (var reader = Json.createReader(new StringReader(text))) {
                body = reader.readObject();
            }
            requests.add(new Request(exchange.getRequestHeaders().getFirst("Authorization"), body));
            if (failWith != 0 && failures.getAndDecrement() > 0) {
                send(exchange, failWith, "{\"error\":{\"message\":\"the fake provider fails\"}}");
                return;
            }
            JsonArray messages = body.getJsonArray("messages");
            JsonObject lastMessage = messages.getJsonObject(messages.size() - 1);
            String last = lastMessage.isNull("content") ? "" : lastMessage.getString("content", "");
            String tool = "user".equals(lastMessage.getString("role")) && last.startsWith("call ")
                    ? last.substring(5).split(" ", 2)[0] : null;
            if (tool != null && offered(body, tool)) {
                send(exchange, 200, toolCall(body, tool, last.substring(5 + tool.length()).trim()).toString());
                return;
            }
            JsonObject answer = Json.createObjectBuilder()
                    .add("id", "chatcmpl-fake").add("object", "chat.completion").add("created", 1_700_000_000)
                    .add("model", body.getString("model"))
                    .add("choices", Json.createArrayBuilder().add(Json.createObjectBuilder().add("index", 0)
                            .add("message", Json.createObjectBuilder().add("role", "assistant")
                                    .add("content", "Echo: " + last))
                            .add("finish_reason", "stop")))
                    .add("usage", Json.createObjectBuilder().add("prompt_tokens", 12).add("completion_tokens", 5)
                            .add("total_tokens", 17))
                    .build();
            send(exchange, 200, answer.toString());
        }
    }

    private static boolean offered(JsonObject body, String tool) {
        return body.containsKey("tools") && body.getJsonArray("tools").getValuesAs(JsonObject.class).stream()
                .anyMatch(offer -> offer.getJsonObject("function").getString("name").equals(tool));
    }

    /** A request for the tool, as OpenAI words it; its arguments are what follows its name, or {}. */
    private static JsonObject toolCall(JsonObject body, String tool, String arguments) {
        return Json.createObjectBuilder()
                .add("id", "chatcmpl-fake").add("object", "chat.completion").add("created", 1_700_000_000)
                .add("model", body.getString("model"))
                .add("choices", Json.createArrayBuilder().add(Json.createObjectBuilder().add("index", 0)
                        .add("message", Json.createObjectBuilder().add("role", "assistant").addNull("content")
                                .add("tool_calls", Json.createArrayBuilder().add(Json.createObjectBuilder()
                                        .add("id", "call_fake_1").add("type", "function")
                                        .add("function", Json.createObjectBuilder().add("name", tool)
                                                .add("arguments", arguments.isEmpty() ? "{}" : arguments)))))
                        .add("finish_reason", "tool_calls")))
                .add("usage", Json.createObjectBuilder().add("prompt_tokens", 12).add("completion_tokens", 5)
                        .add("total_tokens", 17))
                .build();
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
        server.stop(0);
    }
}
