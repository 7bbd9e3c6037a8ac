package dev.steward.tools.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steward.shared.InternalAddresses;
import dev.steward.tools.api.ToolOutcome;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Steward as a client of a tenant's remote MCP server, through the official SDK's Streamable HTTP transport: one
 * short MCP session per use (initialize, then {@code tools/list} or {@code tools/call}, then close), so nothing is
 * held between turns and a server that restarted is simply met again. Every request has the server's timeout;
 * answers are capped at {@link #MAX_RESPONSE_BYTES} by the transport and at {@link #MAX_RESULT_CHARS} for the
 * model. Before each use the host is resolved and refused when it resolves to a loopback, private or link-local
 * address the server's registration (and the installation) does not allow; redirects are never followed.
 */
@ApplicationScoped
class McpRemote {

    static final int MAX_RESPONSE_BYTES = 1024 * 1024;
    static final int MAX_RESULT_CHARS = 32_000;
    static final int MAX_TOOLS = 200;
    private static final int MAX_PAGES = 20;

    @Inject
    @ConfigProperty(name = "steward.tools.http.allow-private", defaultValue = "false")
    boolean installationAllowsPrivate;

    private final McpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());

    /** Where a server is and how it is to be reached: the headers are its credentials, opened for this use only. */
    record Endpoint(String server, URI url, boolean allowPrivate, Map<String, String> headers, Duration timeout) {
    }

    /** The server could not be used; the message is fit to show the tenant (never a header's value). */
    static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    McpJsonMapper json() {
        return json;
    }

    boolean installationAllowsPrivate() {
        return installationAllowsPrivate;
    }

    /** Everything the server lists, up to {@link #MAX_TOOLS}, following its pages. */
    List<McpSchema.Tool> listTools(Endpoint endpoint) throws Unreachable {
        return session(endpoint, client -> {
            List<McpSchema.Tool> tools = new ArrayList<>();
            Set<String> cursors = new HashSet<>();
            String cursor = null;
            for (int page = 0; page < MAX_PAGES && tools.size() < MAX_TOOLS; page++) {
                McpSchema.ListToolsResult listed = cursor == null ? client.listTools() : client.listTools(cursor);
                if (listed.tools() != null) {
                    tools.addAll(listed.tools());
                }
                cursor = listed.nextCursor();
                if (cursor == null || !cursors.add(cursor)) {
                    break;
                }
            }
            return tools.size() > MAX_TOOLS ? List.copyOf(tools.subList(0, MAX_TOOLS)) : tools;
        });
    }

    /** Calls one tool; the server's {@code isError} answers and every failure to get an answer become Failed. */
    ToolOutcome call(Endpoint endpoint, String remoteName, String argumentsJson, String callKey) {
        Map<String, Object> arguments;
        try {
            Object parsed = json.readValue(argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson,
                    Object.class);
            if (!(parsed instanceof Map<?, ?>)) {
                return new ToolOutcome.Failed("The arguments must be a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) parsed;
            arguments = object;
        } catch (IOException | RuntimeException e) {
            return new ToolOutcome.Failed("The arguments must be a JSON object");
        }
        try {
            // The call's key travels in _meta so that a server that wants to can make a repeated call count once.
            McpSchema.CallToolResult result = session(endpoint, client -> client.callTool(
                    new McpSchema.CallToolRequest(remoteName, arguments, Map.of("steward/callKey", callKey))));
            String text = McpResults.text(result, json);
            return Boolean.TRUE.equals(result.isError())
                    ? new ToolOutcome.Failed(text.isEmpty() ? "The tool reported an error" : text)
                    : new ToolOutcome.Done(text);
        } catch (Unreachable e) {
            return new ToolOutcome.Failed(e.getMessage());
        }
    }

    /** Why the endpoint's host may not be reached, if it may not: it resolves inside and nothing allows that. */
    Optional<String> refusal(Endpoint endpoint) {
        String host = endpoint.url().getHost();
        try {
            if (InternalAddresses.resolvesInside(host) && !(endpoint.allowPrivate() && installationAllowsPrivate)) {
                return Optional.of("The host " + host + " resolves to a loopback, private or link-local address,"
                        + " which the MCP server's registration does not allow");
            }
            return Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.of("The host " + host + " does not resolve");
        }
    }

    private <T> T session(Endpoint endpoint, Function<McpSyncClient, T> work) throws Unreachable {
        Optional<String> refused = refusal(endpoint);
        if (refused.isPresent()) {
            throw new Unreachable(refused.get());
        }
        McpSyncClient client = McpClient.sync(transport(endpoint)).requestTimeout(endpoint.timeout())
                .initializationTimeout(endpoint.timeout()).jsonSchemaValidator(new DefaultJsonSchemaValidator())
                .clientInfo(new McpSchema.Implementation("steward", "Steward", "1")).build();
        boolean done = false;
        try {
            client.initialize();
            T answer = work.apply(client);
            done = true;
            return answer;
        } catch (RuntimeException e) {
            throw new Unreachable(explain(endpoint, e));
        } finally {
            if (done) {
                client.closeGracefully(); // ends the server's session (DELETE); a server that answered answers this
            } else {
                client.close(); // a server that failed may hang again: drop the connection instead
            }
        }
    }

    private HttpClientStreamableHttpTransport transport(Endpoint endpoint) {
        URI url = endpoint.url();
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        return HttpClientStreamableHttpTransport.builder(url.getScheme() + "://" + url.getRawAuthority())
                .endpoint(path).jsonMapper(json).connectTimeout(endpoint.timeout())
                .maxResponseSize(MAX_RESPONSE_BYTES).openConnectionOnStartup(false).resumableStreams(false)
                .customizeClient(builder -> builder.followRedirects(HttpClient.Redirect.NEVER))
                .httpRequestCustomizer((request, method, uri, body, context) -> {
                    endpoint.headers().forEach(request::setHeader);
                    request.timeout(endpoint.timeout());
                })
                .build();
    }

    /** What went wrong, for the tenant and the model: a timeout says so, a JSON-RPC error gives its message. */
    private static String explain(Endpoint endpoint, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
                return "The MCP server " + endpoint.server() + " did not answer within "
                        + endpoint.timeout().toSeconds() + " s";
            }
        }
        if (failure instanceof McpError error && error.getJsonRpcError() != null) {
            return "The MCP server " + endpoint.server() + " refused: " + error.getJsonRpcError().message();
        }
        Throwable root = McpError.findRootCause(failure);
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return "The MCP server " + endpoint.server() + " could not be used: "
                + (message.length() > 300 ? message.substring(0, 300) : message);
    }
}
