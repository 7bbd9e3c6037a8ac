package dev.steward.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A tenant's remote MCP server, as a real one is: the official SDK's Streamable HTTP server transport in an
 * embedded Jetty on loopback. Its tools: {@code echo} (says what it got, and the call key Steward sent in
 * {@code _meta}), {@code getForecast}, {@code fail} (an {@code isError} answer), {@code big} (100,000 characters)
 * and {@code hang} (answers only when the test ends). It remembers every request's {@code Authorization} header
 * and every tool call, so tests can see whose credentials reached it.
 */
final class RemoteMcpServer implements AutoCloseable {

    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private final Server jetty;
    private final McpSyncServer mcp;

    RemoteMcpServer() throws Exception {
        McpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider
                .builder().jsonMapper(json).mcpEndpoint("/mcp").build();
        mcp = McpServer.sync(transport).serverInfo("remote-test", "1").jsonMapper(json)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(tool(json, "echo", "Says what it was given", "{\"type\":\"object\",\"properties\":{\"text\":"
                        + "{\"type\":\"string\"}}}", (exchange, call) -> text("echo: " + call.arguments().get("text")
                        + " (key " + (call.meta() == null ? null : call.meta().get("steward/callKey")) + ")")),
                        tool(json, "getForecast", "The weather in a city", "{\"type\":\"object\",\"properties\":"
                                + "{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}",
                                (exchange, call) -> text("sunny in " + call.arguments().get("city"))),
                        tool(json, "fail", "Always fails", "{\"type\":\"object\"}", (exchange, call) ->
                                McpSchema.CallToolResult.builder().addTextContent("the remote tool failed on purpose")
                                        .isError(true).build()),
                        tool(json, "big", "A very long answer", "{\"type\":\"object\"}",
                                (exchange, call) -> text("z".repeat(100_000))),
                        tool(json, "hang", "Never answers in time", "{\"type\":\"object\"}", (exchange, call) -> {
                            try {
                                released.await(2, TimeUnit.MINUTES);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return text("too late");
                        }))
                .build();
        jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder servlet = new ServletHolder(transport);
        servlet.setAsyncSupported(true);
        context.addServlet(servlet, "/mcp");
        FilterHolder recorder = new FilterHolder(new HttpFilter() {
            @Override
            protected void doFilter(HttpServletRequest request, HttpServletResponse response,
                                    FilterChain chain) throws IOException, ServletException {
                authorizations.add(String.valueOf(request.getHeader("Authorization")));
                chain.doFilter(request, response);
            }
        });
        recorder.setAsyncSupported(true);
        context.addFilter(recorder, "/*", EnumSet.of(DispatcherType.REQUEST));
        jetty.setHandler(context);
        jetty.start();
    }

    String url() {
        return "http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0])
                .getLocalPort() + "/mcp";
    }

    /** The Authorization headers of every request so far, in order. */
    List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    /** The tools called so far, by name, in order. */
    List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void close() throws Exception {
        released.countDown();
        mcp.close();
        jetty.stop();
    }

    private SyncToolSpecification tool(McpJsonMapper json, String name, String description, String schema,
                                       BiFunction<McpSyncServerExchange, McpSchema.CallToolRequest,
                                               McpSchema.CallToolResult> handler) {
        return SyncToolSpecification.builder().tool(McpSchema.Tool.builder(name, json, schema)
                .description(description).build()).callHandler((exchange, call) -> {
                    calls.add(name);
                    return handler.apply(exchange, call);
                }).build();
    }

    private static McpSchema.CallToolResult text(String text) {
        return McpSchema.CallToolResult.builder().addTextContent(text).isError(false).build();
    }
}
