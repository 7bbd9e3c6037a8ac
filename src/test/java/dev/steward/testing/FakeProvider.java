package dev.steward.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model provider on a free loopback port that speaks two wire protocols over real HTTP: OpenAI's chat completions
 * ({@code /v1/chat/completions}) and Anthropic's messages ({@code /v1/messages}), each plain or streamed as
 * server-sent events when the request asks for it. It answers "Echo: &lt;the last user message&gt;" with fixed token
 * counts (12 in, 5 out); on the OpenAI wire a last user message {@code call <tool> <arguments>} naming an offered tool
 * is answered with that tool call. It can fail with a status ({@link #failWith}, {@link #failNext}), be slow or hang
 * ({@link #delay}), and records every request as received (body, Authorization and x-api-key headers).
 *
 * <p>It also speaks OpenAI's audio wire: {@code /v1/audio/transcriptions} takes multipart form data ({@code file},
 * {@code model}, {@code response_format}) and answers {@code {"text", "usage"}} (the text set by
 * {@link #transcript}, by default "Heard &lt;n&gt; bytes of &lt;type&gt;"; 20 tokens in, 4 out);
 * {@code /v1/audio/speech} takes JSON ({@code model}, {@code input}, {@code voice}, {@code response_format}) and
 * answers with {@link #speech} of it, streamed. Both are recorded (the form's fields, the file as {@code fileBytes}
 * and {@code fileType}) and fail and wait like the chat endpoints.
 */
public final class FakeProvider implements AutoCloseable {

    /**
     * One request as the provider saw it: {@code authorization} is the Authorization header (OpenAI's wire) or the
     * x-api-key (Anthropic's); {@code apiKey} the api-key header (Azure's).
     */
    public record Request(String authorization, JsonObject body, String apiKey) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int failWith;
    private volatile Duration delay = Duration.ZERO;
    private final AtomicInteger inDelay = new AtomicInteger();
    private volatile int cachedTokens;
    private volatile Duration chunkDelay = Duration.ZERO;
    private volatile String reply;
    private final AtomicInteger failures = new AtomicInteger();
    private volatile String transcript;

    private FakeProvider(HttpServer server) {
        this.server = server;
    }

    public static FakeProvider start() {
        try {
            FakeProvider fake = new FakeProvider(HttpServer.create(
                    new InetSocketAddress("127.0.0.1", FreePorts.pick()), 64));
            fake.server.createContext("/v1/chat/completions", exchange -> fake.answer(exchange, false));
            fake.server.createContext("/v1/messages", exchange -> fake.answer(exchange, true));
            fake.server.createContext("/v1/audio/transcriptions", fake::transcribe);
            fake.server.createContext("/v1/audio/speech", fake::speak);
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

    /** Wait this long before answering (longer than the caller's timeout: a hang); zero to answer at once. */
    public void delay(Duration wait) {
        delay = wait;
    }

    /** Wait this long between a streamed answer's events, as a model that thinks while it writes. */
    public void chunkDelay(Duration wait) {
        chunkDelay = wait;
    }

    /** Report this many of the 12 input tokens as read from the prompt cache (OpenAI's wire). */
    public void cachedTokens(int tokens) {
        cachedTokens = tokens;
    }

    /** Answer with this text instead of the echo (OpenAI's wire, when no tool is asked for); null to echo again. */
    public void reply(String text) {
        reply = text;
    }

    /** Transcribe every audio as this text; null for the default ("Heard <n> bytes of <type>"). */
    public void transcript(String text) {
        transcript = text;
    }

    /**
     * The audio the fake speaks for a text: the text and its voice and format as bytes, repeated to 40,000 bytes so
     * that it arrives in more than one piece.
     */
    public static byte[] speech(String input, String voice, String format) {
        byte[] unit = ("[" + voice + "/" + format + "] " + input + " ").getBytes(StandardCharsets.UTF_8);
        byte[] audio = new byte[40_000];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = unit[i % unit.length];
        }
        return audio;
    }

    /** Requests being held by {@link #delay} right now: calls in flight. */
    public int inFlight() {
        return inDelay.get();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void answer(HttpExchange exchange, boolean anthropic) throws IOException {
        try (exchange) {
            String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            JsonObject body;
            try (var reader = Json.createReader(new StringReader(text))) {
                body = reader.readObject();
            }
            String credential = anthropic ? exchange.getRequestHeaders().getFirst("x-api-key")
                    : exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(credential, body, exchange.getRequestHeaders().getFirst("api-key")));
            if (!delay.isZero()) {
                inDelay.incrementAndGet();
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } finally {
                    inDelay.decrementAndGet();
                }
            }
            if (failWith != 0 && failures.getAndDecrement() > 0) {
                send(exchange, failWith, "application/json", "{\"error\":{\"message\":\"the fake provider fails\"}}");
                return;
            }
            JsonArray messages = body.getJsonArray("messages");
            JsonObject lastMessage = messages.getJsonObject(messages.size() - 1);
            String last = content(lastMessage);
            boolean stream = body.getBoolean("stream", false);
            if (anthropic) {
                String reply = "Echo: " + last;
                if (stream) {
                    sendEvents(exchange, anthropicStream(body, reply));
                } else {
                    send(exchange, 200, "application/json", anthropicMessage(body, reply).toString());
                }
                return;
            }
            String tool = "user".equals(lastMessage.getString("role")) && last.startsWith("call ")
                    ? last.substring(5).split(" ", 2)[0] : null;
            if (tool != null && offered(body, tool)) {
                String arguments = last.substring(5 + tool.length()).trim();
                if (stream) {
                    send(exchange, 200, "text/event-stream", toolCallStream(body, tool, arguments));
                } else {
                    send(exchange, 200, "application/json", toolCall(body, tool, arguments).toString());
                }
            } else if (stream) {
                sendEvents(exchange, openAiStream(body, reply != null ? reply : "Echo: " + last));
            } else {
                send(exchange, 200, "application/json", openAiCompletion(body, reply != null ? reply
                        : "Echo: " + last).toString());
            }
        }
    }

    private void transcribe(HttpExchange exchange) throws IOException {
        try (exchange) {
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            String boundary = type.substring(type.indexOf("boundary=") + 9);
            // ISO-8859-1 maps every byte to one char and back, so the file's bytes survive the split.
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
            JsonObjectBuilder fields = Json.createObjectBuilder();
            int fileBytes = 0;
            for (String part : form.split("--" + Pattern.quote(boundary))) {
                int headersEnd = part.indexOf("\r\n\r\n");
                if (headersEnd < 0) {
                    continue;
                }
                String headers = part.substring(0, headersEnd);
                String value = part.substring(headersEnd + 4, part.length() - 2); // the CRLF before the boundary
                Matcher name = Pattern.compile("name=\"([^\"]+)\"").matcher(headers);
                if (!name.find()) {
                    continue;
                }
                if (name.group(1).equals("file")) {
                    Matcher fileType = Pattern.compile("(?i)Content-Type: (\\S+)").matcher(headers);
                    Matcher fileName = Pattern.compile("filename=\"([^\"]+)\"").matcher(headers);
                    fields.add("fileType", fileType.find() ? fileType.group(1) : "")
                            .add("fileName", fileName.find() ? fileName.group(1) : "")
                            .add("fileBytes", value.length());
                    fileBytes = value.length();
                } else {
                    fields.add(name.group(1), value);
                }
            }
            JsonObject body = fields.build();
            if (!record(exchange, body)) {
                return;
            }
            String text = transcript != null ? transcript
                    : "Heard " + fileBytes + " bytes of " + body.getString("fileType", "?");
            send(exchange, 200, "application/json", Json.createObjectBuilder().add("text", text)
                    .add("usage", Json.createObjectBuilder().add("type", "tokens").add("input_tokens", 20)
                            .add("output_tokens", 4).add("total_tokens", 24)).build().toString());
        }
    }

    private void speak(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonObject body;
            try (var reader = Json.createReader(new StringReader(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8)))) {
                body = reader.readObject();
            }
            if (!record(exchange, body)) {
                return;
            }
            String format = body.getString("response_format", "mp3");
            byte[] audio = speech(body.getString("input"), body.getString("voice"), format);
            exchange.getResponseHeaders().add("Content-Type", "wav".equals(format) ? "audio/wav" : "audio/mpeg");
            exchange.sendResponseHeaders(200, 0); // chunked, as OpenAI streams speech
            try (OutputStream out = exchange.getResponseBody()) {
                for (int from = 0; from < audio.length; from += 8192) {
                    out.write(audio, from, Math.min(8192, audio.length - from));
                    out.flush();
                }
            }
        }
    }

    /** Records an audio request, waits and fails as told; false when it answered (with the failure) already. */
    private boolean record(HttpExchange exchange, JsonObject body) throws IOException {
        requests.add(new Request(exchange.getRequestHeaders().getFirst("Authorization"), body,
                exchange.getRequestHeaders().getFirst("api-key")));
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        if (failWith != 0 && failures.getAndDecrement() > 0) {
            send(exchange, failWith, "application/json", "{\"error\":{\"message\":\"the fake provider fails\"}}");
            return false;
        }
        return true;
    }

    /** A message's text: a string, or (Anthropic, OpenAI parts) the text of its parts. */
    private static String content(JsonObject message) {
        if (message.isNull("content")) {
            return "";
        }
        if (message.get("content") instanceof JsonArray parts) {
            StringBuilder text = new StringBuilder();
            parts.getValuesAs(JsonObject.class).forEach(part -> text.append(part.getString("text", "")));
            return text.toString();
        }
        return message.getString("content", "");
    }

    private JsonObject openAiCompletion(JsonObject body, String reply) {
        return openAiEnvelope(body, "chat.completion")
                .add("choices", Json.createArrayBuilder().add(Json.createObjectBuilder().add("index", 0)
                        .add("message", Json.createObjectBuilder().add("role", "assistant").add("content", reply))
                        .add("finish_reason", "stop")))
                .add("usage", openAiUsage()).build();
    }

    /** The reply word by word as chunks, then the finish, the usage and [DONE]. */
    private String openAiStream(JsonObject body, String reply) {
        StringBuilder events = new StringBuilder();
        for (String word : words(reply)) {
            events.append("data: ").append(openAiEnvelope(body, "chat.completion.chunk")
                    .add("choices", Json.createArrayBuilder().add(Json.createObjectBuilder().add("index", 0)
                            .add("delta", Json.createObjectBuilder().add("content", word)))).build()).append("\n\n");
        }
        events.append("data: ").append(openAiEnvelope(body, "chat.completion.chunk")
                .add("choices", Json.createArrayBuilder().add(Json.createObjectBuilder().add("index", 0)
                        .add("delta", Json.createObjectBuilder()).add("finish_reason", "stop"))).build())
                .append("\n\n");
        events.append("data: ").append(openAiEnvelope(body, "chat.completion.chunk")
                .add("choices", Json.createArrayBuilder()).add("usage", openAiUsage()).build()).append("\n\n");
        return events.append("data: [DONE]\n\n").toString();
    }

    private static JsonObjectBuilder openAiEnvelope(JsonObject body, String object) {
        return Json.createObjectBuilder().add("id", "chatcmpl-fake").add("object", object)
                .add("created", 1_700_000_000).add("model", body.getString("model"));
    }

    private JsonObjectBuilder openAiUsage() {
        return Json.createObjectBuilder().add("prompt_tokens", 12).add("completion_tokens", 5)
                .add("total_tokens", 17)
                .add("prompt_tokens_details", Json.createObjectBuilder().add("cached_tokens", cachedTokens));
    }

    private static JsonObject anthropicMessage(JsonObject body, String reply) {
        return Json.createObjectBuilder().add("id", "msg_fake").add("type", "message").add("role", "assistant")
                .add("model", body.getString("model"))
                .add("content", Json.createArrayBuilder().add(Json.createObjectBuilder().add("type", "text")
                        .add("text", reply)))
                .add("stop_reason", "end_turn").addNull("stop_sequence")
                .add("usage", Json.createObjectBuilder().add("input_tokens", 12).add("output_tokens", 5)).build();
    }

    /** Anthropic's event sequence: message_start, a text block in word deltas, message_delta, message_stop. */
    private static String anthropicStream(JsonObject body, String reply) {
        StringBuilder events = new StringBuilder();
        event(events, "message_start", Json.createObjectBuilder().add("type", "message_start")
                .add("message", Json.createObjectBuilder().add("id", "msg_fake").add("type", "message")
                        .add("role", "assistant").add("model", body.getString("model"))
                        .add("content", Json.createArrayBuilder()).addNull("stop_reason")
                        .add("usage", Json.createObjectBuilder().add("input_tokens", 12).add("output_tokens", 1)))
                .build());
        event(events, "content_block_start", Json.createObjectBuilder().add("type", "content_block_start")
                .add("index", 0).add("content_block", Json.createObjectBuilder().add("type", "text").add("text", ""))
                .build());
        for (String word : words(reply)) {
            event(events, "content_block_delta", Json.createObjectBuilder().add("type", "content_block_delta")
                    .add("index", 0).add("delta", Json.createObjectBuilder().add("type", "text_delta")
                            .add("text", word)).build());
        }
        event(events, "content_block_stop", Json.createObjectBuilder().add("type", "content_block_stop")
                .add("index", 0).build());
        event(events, "message_delta", Json.createObjectBuilder().add("type", "message_delta")
                .add("delta", Json.createObjectBuilder().add("stop_reason", "end_turn").addNull("stop_sequence"))
                .add("usage", Json.createObjectBuilder().add("output_tokens", 5)).build());
        event(events, "message_stop", Json.createObjectBuilder().add("type", "message_stop").build());
        return events.toString();
    }

    private static void event(StringBuilder events, String name, JsonObject data) {
        events.append("event: ").append(name).append('\n').append("data: ").append(data).append("\n\n");
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher word = Pattern.compile("\\S+\\s*|\\s+").matcher(text);
        while (word.find()) {
            words.add(word.group());
        }
        return words;
    }

    private static boolean offered(JsonObject body, String tool) {
        return body.containsKey("tools") && body.getJsonArray("tools").getValuesAs(JsonObject.class).stream()
                .anyMatch(offer -> offer.getJsonObject("function").getString("name").equals(tool));
    }

    /** A request for the tool, as OpenAI words it; its arguments are what follows its name, or {}. */
    private JsonObject toolCall(JsonObject body, String tool, String arguments) {
        return openAiEnvelope(body, "chat.completion")
                .add("choices", Json.createArrayBuilder().add(Json.createObjectBuilder().add("index", 0)
                        .add("message", Json.createObjectBuilder().add("role", "assistant").addNull("content")
                                .add("tool_calls", Json.createArrayBuilder().add(Json.createObjectBuilder()
                                        .add("id", "call_fake_1").add("type", "function")
                                        .add("function", Json.createObjectBuilder().add("name", tool)
                                                .add("arguments", arguments.isEmpty() ? "{}" : arguments)))))
                        .add("finish_reason", "tool_calls")))
                .add("usage", openAiUsage()).build();
    }

    /** The same tool call as stream chunks: the call, the finish, the usage and [DONE]. */
    private String toolCallStream(JsonObject body, String tool, String arguments) {
        return "data: " + openAiEnvelope(body, "chat.completion.chunk")
                .add("choices", Json.createArrayBuilder().add(Json.createObjectBuilder().add("index", 0)
                        .add("delta", Json.createObjectBuilder().add("role", "assistant")
                                .add("tool_calls", Json.createArrayBuilder().add(Json.createObjectBuilder()
                                        .add("index", 0).add("id", "call_fake_1").add("type", "function")
                                        .add("function", Json.createObjectBuilder().add("name", tool)
                                                .add("arguments", arguments.isEmpty() ? "{}" : arguments)))))))
                .build() + "\n\n"
                + "data: " + openAiEnvelope(body, "chat.completion.chunk")
                .add("choices", Json.createArrayBuilder().add(Json.createObjectBuilder().add("index", 0)
                        .add("delta", Json.createObjectBuilder()).add("finish_reason", "tool_calls"))).build()
                + "\n\n"
                + "data: " + openAiEnvelope(body, "chat.completion.chunk").add("choices", Json.createArrayBuilder())
                .add("usage", openAiUsage()).build() + "\n\ndata: [DONE]\n\n";
    }

    /** A stream's events, each written and flushed on its own, {@link #chunkDelay} apart. */
    private void sendEvents(HttpExchange exchange, String events) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (String event : events.split("(?<=\n\n)")) {
                out.write(event.getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (!chunkDelay.isZero()) {
                    try {
                        Thread.sleep(chunkDelay.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String payload) throws IOException {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
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
