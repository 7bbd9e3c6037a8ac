package dev.steward.dispatch.internal;

import dev.steward.dispatch.api.DependencyUnavailable;
import dev.steward.dispatch.api.Job;
import dev.steward.dispatch.api.JobHandler;
import dev.steward.dispatch.api.PermanentJobFailure;
import dev.steward.shared.FieldError;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * {@code webhook}: calls a URL on the operator's allow-list ({@link WebhookPolicy}) with the task's JSON body.
 * Payload: {@code url} (required), {@code method} ({@code POST} or {@code PUT}, default POST), {@code body} (any
 * JSON, default {}), {@code timeoutSeconds} (1-30, default 10).
 *
 * <p>A 2xx answer completes the task; 429 or 503 with {@code Retry-After: <seconds>} defers it that long without
 * spending an attempt; 408, 429, 5xx, a timeout or a broken connection is retried with backoff; any other answer
 * dead-letters it. Calls are at least once: each carries {@code Idempotency-Key} (the same for every
 * attempt of a task), so a receiver can drop a repeat.
 */
@ApplicationScoped
class WebhookHandler implements JobHandler {

    private static final int DEFAULT_TIMEOUT_SECONDS = 10;
    private static final int MAX_TIMEOUT_SECONDS = 30;

    @Inject
    Config config;

    private WebhookPolicy policy;
    private HttpClient client;

    @PostConstruct
    void init() {
        policy = WebhookPolicy.from(config);
        client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public String kind() {
        return "webhook";
    }

    @Override
    public boolean submittableByTenants() {
        return true;
    }

    /** Most receivers answer in milliseconds; one that does not makes the kind count as slow again. */
    @Override
    public boolean prefetchable() {
        return true;
    }

    /** The longest call (30 s) plus connecting and some slack. */
    @Override
    public Duration maxRunTime() {
        return Duration.ofMinutes(1);
    }

    @Override
    public List<FieldError> validatePayload(JsonObject payload) {
        List<FieldError> errors = new ArrayList<>();
        JsonValue url = payload.get("url");
        if (!(url instanceof JsonString text)) {
            errors.add(new FieldError("payload.url", "is required: the URL to call"));
        } else {
            parseUrl(text.getString()).ifPresentOrElse(
                    uri -> policy.refusal(uri).ifPresent(why -> errors.add(new FieldError("payload.url", why))),
                    () -> errors.add(new FieldError("payload.url", "is not a URL")));
        }
        JsonValue method = payload.get("method");
        if (method != null && !(method instanceof JsonString m && List.of("POST", "PUT").contains(m.getString()))) {
            errors.add(new FieldError("payload.method", "must be POST or PUT"));
        }
        JsonValue timeout = payload.get("timeoutSeconds");
        if (timeout != null && !(timeout instanceof JsonNumber n && n.isIntegral() && n.intValue() >= 1
                && n.intValue() <= MAX_TIMEOUT_SECONDS)) {
            errors.add(new FieldError("payload.timeoutSeconds", "must be a whole number from 1 to "
                    + MAX_TIMEOUT_SECONDS));
        }
        return errors;
    }

    @Override
    public void handle(Job job) throws PermanentJobFailure, DependencyUnavailable, IOException,
            InterruptedException {
        JsonObject payload;
        try (var reader = Json.createReader(new StringReader(job.payloadJson()))) {
            payload = reader.readObject();
        }
        List<FieldError> errors = validatePayload(payload);
        if (!errors.isEmpty()) {
            // Valid when submitted; the allow-list has changed since.
            throw new PermanentJobFailure(errors.get(0).field() + " " + errors.get(0).message());
        }
        URI url = parseUrl(payload.getString("url")).orElseThrow();
        Optional<String> refused = policy.addressRefusal(url);
        if (refused.isPresent()) {
            throw new PermanentJobFailure(refused.get());
        }
        JsonValue body = payload.getOrDefault("body", JsonValue.EMPTY_JSON_OBJECT);
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(payload.getInt("timeoutSeconds", DEFAULT_TIMEOUT_SECONDS)))
                .header("Content-Type", "application/json")
                .header("User-Agent", "Steward-Webhook")
                .header("Idempotency-Key", "steward-" + job.tenant() + "-" + job.id())
                .header("Steward-Task", String.valueOf(job.id()))
                .header("Steward-Attempt", String.valueOf(job.attempt()))
                .method(payload.getString("method", "POST"), HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        Optional<Duration> retryAfter = retryAfter(response);
        if ((status == 429 || status == 503) && retryAfter.isPresent()) {
            // The receiver says when to come back: wait for it without spending attempts.
            throw new DependencyUnavailable("the endpoint answered " + status + ", retry after "
                    + retryAfter.get().toSeconds() + " s", retryAfter.get());
        }
        if (status == 408 || status == 429 || status >= 500) {
            throw new IOException("the endpoint answered " + status);
        }
        throw new PermanentJobFailure("the endpoint answered " + status);
    }

    /** Retry-After in seconds (1 s to 1 h); the HTTP-date form is not honoured. */
    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                long seconds = Long.parseLong(value.trim());
                return Optional.of(Duration.ofSeconds(Math.max(1, Math.min(seconds, 3600))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private static Optional<URI> parseUrl(String text) {
        try {
            return Optional.of(new URI(text));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
