package dev.steward.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP endpoint on a free loopback port for webhook tasks to call. Each path answers with the status set for
 * it (200 by default), after an optional delay; the receiver records every call and the most calls any path had in
 * flight at once.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One call as received. */
    public record Call(String path, String idempotencyKey, String body) {
    }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final Map<String, Long> delays = new ConcurrentHashMap<>();
    private final Map<String, Integer> retryAfters = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> mostInFlight = new ConcurrentHashMap<>();

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    public static WebhookReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.pick()), 64);
            WebhookReceiver receiver = new WebhookReceiver(server);
            server.createContext("/", receiver::handle);
            server.setExecutor(receiver.handlers);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL of {@code path} on this receiver. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public void answer(String path, int status) {
        statuses.put(path, status);
    }

    /** Answers {@code status} with {@code Retry-After: seconds}. */
    public void answer(String path, int status, int retryAfterSeconds) {
        retryAfters.put(path, retryAfterSeconds);
        answer(path, status);
    }

    public void delay(String path, long millis) {
        delays.put(path, millis);
    }

    public List<Call> calls(String path) {
        return calls.stream().filter(call -> call.path().equals(path)).toList();
    }

    public int mostInFlight(String path) {
        AtomicInteger most = mostInFlight.get(path);
        return most == null ? 0 : most.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        AtomicInteger current = inFlight.computeIfAbsent(path, p -> new AtomicInteger());
        AtomicInteger most = mostInFlight.computeIfAbsent(path, p -> new AtomicInteger());
        most.accumulateAndGet(current.incrementAndGet(), Math::max);
        try {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            calls.add(new Call(path, exchange.getRequestHeaders().getFirst("Idempotency-Key"), body));
            Thread.sleep(delays.getOrDefault(path, 0L));
            Integer retryAfter = retryAfters.get(path);
            int status = statuses.getOrDefault(path, 200);
            if (retryAfter != null && status >= 400) {
                exchange.getResponseHeaders().add("Retry-After", String.valueOf(retryAfter));
            }
            exchange.sendResponseHeaders(status, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            current.decrementAndGet();
            exchange.close();
        }
    }

    @Override
    public void close() {
        handlers.shutdownNow(); // ends delayed answers at once
        server.stop(0);
    }
}
