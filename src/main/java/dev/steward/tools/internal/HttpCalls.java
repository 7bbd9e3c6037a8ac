package dev.steward.tools.internal;

import dev.steward.shared.HostPatterns;
import dev.steward.shared.InternalAddresses;
import dev.steward.tools.api.ToolOutcome;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The HTTP tool's calls. A URL must be http(s) without credentials, and its host on the tenant's allow-list
 * ({@link HttpHosts}). The client resolves each host once, through a resolver that refuses any answer holding a
 * loopback, private or link-local address (unless the matching entry allows private addresses), and connects to the
 * very addresses it checked, so DNS cannot answer one way to the check and another to the connection. Redirects are
 * followed by hand, at most three, each hop checked as the first was. Answers are cut at a size and a time.
 */
@ApplicationScoped
class HttpCalls {

    static final int MAX_REDIRECTS = 3;
    static final int MAX_ANSWER_CHARS = 32_000;
    static final Set<String> SENT_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
            "connection", "upgrade", "te", "trailer", "keep-alive", "proxy-authorization", "expect");

    @Inject
    HttpHosts hosts;

    @Inject
    @ConfigProperty(name = "steward.tools.http.allow-private", defaultValue = "false")
    boolean installationAllowsPrivate;

    @Inject
    @ConfigProperty(name = "steward.tools.http.timeout-seconds", defaultValue = "10")
    int timeoutSeconds;

    @Inject
    @ConfigProperty(name = "steward.tools.http.max-bytes", defaultValue = "1048576")
    int maxBytes;

    /** Two clients, one per resolver: one refuses private addresses, the other (for entries allowing them) not. */
    private CloseableHttpClient outsideOnly;
    private CloseableHttpClient anywhere;

    @PostConstruct
    void start() {
        outsideOnly = build(false);
        anywhere = build(true);
    }

    /** A request the model asked for: its method, URL, headers and body (null for none). */
    record Request(String method, String url, Map<String, String> headers, String body, String contentType) {
    }

    boolean installationAllowsPrivate() {
        return installationAllowsPrivate;
    }

    ToolOutcome call(Request request, String callKey) {
        Optional<String> invalid = invalid(request);
        if (invalid.isPresent()) {
            return new ToolOutcome.Failed(invalid.get());
        }
        URI first = URI.create(request.url());
        URI url = first;
        String method = request.method();
        String body = request.body();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Optional<String> refused = refused(url);
            if (refused.isPresent()) {
                return new ToolOutcome.Failed(refused.get());
            }
            Optional<HttpHosts.Entry> entry = hosts.allowing(url.getHost(), HostPatterns.port(url));
            if (entry.isEmpty()) {
                return new ToolOutcome.Failed("The host " + url.getHost() + ":" + HostPatterns.port(url)
                        + " is not on the tenant's HTTP allow-list");
            }
            HttpUriRequestBase http = new HttpUriRequestBase(method, url);
            if (sameOrigin(first, url)) {
                request.headers().forEach(http::addHeader); // the model's headers never follow it to another host
            }
            if (SENT_METHODS.contains(method)) {
                http.setHeader("Idempotency-Key", callKey);
            }
            if (body != null) {
                http.setEntity(new StringEntity(body, contentType(request.contentType())));
            }
            // The deadline cuts the whole call: connecting, waiting, and reading however the server drips.
            long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            CompletableFuture<Void> cutOff = CompletableFuture.runAsync(http::cancel,
                    CompletableFuture.delayedExecutor(Math.max(0, remaining), TimeUnit.MILLISECONDS));
            URI target = url;
            try {
                Answer answer = (entry.get().allowPrivate() && installationAllowsPrivate ? anywhere : outsideOnly)
                        .execute(http, response -> answer(response, target, http, deadline));
                if (answer.location() == null) {
                    return new ToolOutcome.Done(answer.json());
                }
                url = answer.location();
                boolean keepsMethod = answer.status() == 307 || answer.status() == 308;
                if (!keepsMethod && !method.equals("HEAD")) {
                    method = "GET";
                    body = null;
                }
            } catch (UnknownHostException e) {
                return new ToolOutcome.Failed(e.getMessage());
            } catch (IOException e) {
                return new ToolOutcome.Failed(System.nanoTime() >= deadline || e instanceof InterruptedIOException
                        ? "The call to " + url.getHost() + " took longer than " + timeoutSeconds + " s"
                        : "The call to " + url.getHost() + " failed: " + e.getMessage());
            } finally {
                cutOff.cancel(false);
            }
        }
        return new ToolOutcome.Failed("More than " + MAX_REDIRECTS + " redirects");
    }

    /** The body's media type: the model's, or JSON; throws when it is not one (with a charset Java knows). */
    private static ContentType contentType(String given) {
        ContentType type = ContentType.parse(given == null ? "application/json; charset=utf-8" : given);
        if (type == null || type.getMimeType() == null || !type.getMimeType().contains("/")) {
            throw new IllegalArgumentException("not a media type");
        }
        type.getCharset(); // an unknown charset throws here, not halfway through the call
        return type;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && HostPatterns.port(a) == HostPatterns.port(b);
    }

    /** Why the URL may not be called whatever the allow-list says: not http(s), or credentials in it. */
    private static Optional<String> refused(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            return Optional.of("url: must be an absolute http or https URL");
        }
        return url.getRawUserInfo() != null ? Optional.of("url: must not carry credentials") : Optional.empty();
    }

    private Optional<String> invalid(Request request) {
        if (request.url() == null) {
            return Optional.of("url: is required");
        }
        try {
            new URI(request.url());
        } catch (URISyntaxException e) {
            return Optional.of("url: is not a URL (" + e.getReason() + ")");
        }
        try {
            contentType(request.contentType());
        } catch (RuntimeException e) {
            return Optional.of("contentType: must be a media type such as application/json; charset=utf-8");
        }
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            if (!header.getKey().matches("[A-Za-z0-9-]{1,100}")
                    || RESERVED_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                return Optional.of("headers: " + header.getKey() + " may not be set");
            }
            if (header.getValue().length() > 8000 || header.getValue().chars().anyMatch(c -> c < 0x20 && c != '\t')) {
                return Optional.of("headers: the value of " + header.getKey() + " holds control characters or is"
                        + " too long");
            }
        }
        return Optional.empty();
    }

    private record Answer(int status, URI location, String json) {
    }

    /** Reads the answer; a redirect's body and what lies past the size cap are never read (the exchange is cut). */
    private Answer answer(ClassicHttpResponse response, URI url, HttpUriRequestBase http, long deadline)
            throws IOException {
        int status = response.getCode();
        Header location = response.getFirstHeader("Location");
        if (status >= 300 && status < 400 && status != 304 && location != null) {
            http.cancel();
            try {
                return new Answer(status, url.resolve(new URI(location.getValue())), null);
            } catch (URISyntaxException e) {
                throw new IOException("the redirect's Location is not a URL", e);
            }
        }
        byte[] body = new byte[0];
        boolean truncated = false;
        if (response.getEntity() != null) {
            try (InputStream in = response.getEntity().getContent()) {
                body = readUntil(in, deadline);
                truncated = body.length > maxBytes;
                if (truncated) {
                    http.cancel(); // closing would otherwise read the rest
                }
            }
        }
        String text = new String(body, 0, Math.min(body.length, maxBytes), StandardCharsets.UTF_8);
        if (text.length() > MAX_ANSWER_CHARS) {
            text = text.substring(0, MAX_ANSWER_CHARS);
            truncated = true;
        }
        Header type = response.getFirstHeader("Content-Type");
        return new Answer(status, null, Json.createObjectBuilder().add("status", status)
                .add("contentType", type == null ? "" : type.getValue()).add("body", text)
                .add("truncated", truncated).build().toString());
    }

    /** Up to one byte more than the limit, and only until the deadline: a slow drip is cut like a slow answer. */
    private byte[] readUntil(InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int read;
        while (body.size() <= maxBytes && (read = in.read(chunk, 0, Math.min(chunk.length, maxBytes + 1
                - body.size()))) != -1) {
            body.write(chunk, 0, read);
            if (System.nanoTime() > deadline) {
                throw new SocketTimeoutException("deadline");
            }
        }
        return body.toByteArray();
    }

    private CloseableHttpClient build(boolean mayReachPrivate) {
        SystemDefaultDnsResolver system = SystemDefaultDnsResolver.INSTANCE;
        SystemDefaultDnsResolver checked = new SystemDefaultDnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                InetAddress[] addresses = system.resolve(host);
                if (!mayReachPrivate && Arrays.stream(addresses).anyMatch(InternalAddresses::isInternal)) {
                    throw new UnknownHostException("The host " + host + " resolves to a loopback, private or"
                            + " link-local address, which its allow-list entry does not allow");
                }
                return addresses;
            }
        };
        Timeout timeout = Timeout.ofSeconds(timeoutSeconds);
        return HttpClients.custom().disableRedirectHandling().disableAutomaticRetries().disableCookieManagement()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setDnsResolver(checked)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout)
                                .setSocketTimeout(timeout).setTimeToLive(1, TimeUnit.MINUTES).build())
                        .setMaxConnTotal(200).setMaxConnPerRoute(20).build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).build())
                .setUserAgent("Steward-HTTP-tool").build();
    }

    @PreDestroy
    void close() {
        outsideOnly.close(CloseMode.GRACEFUL);
        anywhere.close(CloseMode.GRACEFUL);
    }
}
