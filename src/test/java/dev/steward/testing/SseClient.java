package dev.steward.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client over real HTTP (the JDK's client): parses the stream's {@code id}, {@code event} and
 * {@code data} lines into events as they arrive.
 */
public final class SseClient implements AutoCloseable {

    /** One event as received. */
    public record Event(long id, String type, JsonObject data) {
    }

    private final BlockingQueue<Event> received = new LinkedBlockingQueue<>();
    private final List<Event> seen = new ArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile int status;

    private SseClient(URI uri, String apiKey, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + apiKey).GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        response = HttpClient.newHttpClient().sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(this::read);
    }

    /** Opens {@code path} (e.g. {@code /api/v1/sessions/<id>/events}) on the test server as {@code apiKey}. */
    public static SseClient open(String path, String apiKey, String lastEventId) {
        return open(URI.create(StewardServer.rig().baseUri()), path, apiKey, lastEventId);
    }

    /** Opens {@code path} on the server at {@code base}. */
    public static SseClient open(URI base, String path, String apiKey, String lastEventId) {
        return new SseClient(URI.create(base + path), apiKey, lastEventId);
    }

    /** The HTTP status, once the response has started (waits up to 10 s). */
    public int status() {
        try {
            return response.get(10, TimeUnit.SECONDS).statusCode();
        } catch (Exception e) {
            throw new AssertionError("no response to the event stream", e);
        }
    }

    private void read(HttpResponse<Stream<String>> answer) {
        status = answer.statusCode();
        long[] id = {0};
        String[] type = {"message"};
        StringBuilder data = new StringBuilder();
        answer.body().forEach(line -> {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    try (JsonReader reader = Json.createReader(new StringReader(data.toString()))) {
                        received.add(new Event(id[0], type[0], reader.readObject()));
                    }
                }
                data.setLength(0);
                type[0] = "message";
            } else if (line.startsWith("id:")) {
                id[0] = Long.parseLong(line.substring(3).trim());
            } else if (line.startsWith("event:")) {
                type[0] = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            }
        });
    }

    /** Every event up to and including the first of {@code type}; fails after {@code timeout}. */
    public List<Event> until(String type, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Event> events = new ArrayList<>();
        try {
            while (true) {
                Event next = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next == null) {
                    throw new AssertionError("no " + type + " event within " + timeout + "; got " + events);
                }
                events.add(next);
                seen.add(next);
                if (next.type().equals(type)) {
                    return events;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** All events taken so far by {@link #until}. */
    public List<Event> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        if (response.isDone() && !response.isCompletedExceptionally()) {
            response.join().body().close();
        } else {
            response.cancel(true);
        }
    }
}
