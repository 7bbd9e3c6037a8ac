package dev.steward.tools.internal;

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
    private static final Set<String> SENT_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");
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
        URI url = URI.create(request.url());
        String method = request.method();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Optional<String> refused = refused(url);
            if (refused.isPresent()) {
                return new ToolOutcome.Failed(refused.get());
            }
            Optional<HttpHosts.Entry> entry = hosts.allowing(url.getHost(), port(url));
            if (entry.isEmpty()) {
                return new ToolOutcome.Failed("The host " + url.getHost() + ":" + port(url) + " is not on the"
                        + " tenant's HTTP allow-list");
            }
            URI target = url;
            HttpUriRequestBase http = new HttpUriRequestBase(method, url);
            request.headers().forEach(http::addHeader);
            if (SENT_METHODS.contains(method)) {
                http.setHeader("Idempotency-Key", callKey);
            }
            if (request.body() != null && hop == 0) {
                http.setEntity(new StringEntity(request.body(), ContentType.parse(request.contentType() == null
                        ? "application/json; charset=utf-8" : request.contentType())));
            }
            try {
                Answer answer = (entry.get().allowPrivate() && installationAllowsPrivate ? anywhere : outsideOnly).execute(http,
                        response -> answer(response, target, deadline));
                if (answer.location() == null) {
                    return new ToolOutcome.Done(answer.json());
                }
                url = answer.location();
                if (answer.status() == 303 || (answer.status() == 301 || answer.status() == 302)
                        && method.equals("POST")) {
                    method = "GET";
                }
            } catch (UnknownHostException e) {
                return new ToolOutcome.Failed(e.getMessage());
            } catch (InterruptedIOException e) {
                return new ToolOutcome.Failed("The call to " + url.getHost() + " took longer than " + timeoutSeconds
                        + " s");
            } catch (IOException e) {
                return new ToolOutcome.Failed("The call to " + url.getHost() + " failed: " + e.getMessage());
            }
        }
        return new ToolOutcome.Failed("More than " + MAX_REDIRECTS + " redirects");
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

    private Answer answer(ClassicHttpResponse response, URI url, long deadline) throws IOException {
        int status = response.getCode();
        Header location = response.getFirstHeader("Location");
        if (status >= 300 && status < 400 && status != 304 && location != null) {
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

    private static int port(URI url) {
        return url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
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
