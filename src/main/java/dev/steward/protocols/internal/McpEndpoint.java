package dev.steward.protocols.internal;

import dev.steward.tenancy.api.RequestAuthentication;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Optional;

/**
 * Mounts the MCP server at {@code /mcp}: the official SDK's stateless Streamable HTTP transport (a servlet) with
 * {@link McpHandler} behind it, and in front of it a filter that authenticates the tenant's API key as the API does
 * (401 with {@code WWW-Authenticate: Bearer} otherwise), so the handler runs as that key, for that tenant only.
 */
@WebListener
public class McpEndpoint implements ServletContextListener {

    static final String PATH = "/mcp";
    static final int MAX_REQUEST_BYTES = 1024 * 1024;

    @Inject
    McpHandler handler;

    @Inject
    RequestAuthentication authentication;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        HttpServletStatelessServerTransport transport = HttpServletStatelessServerTransport.builder()
                .jsonMapper(handler.json()).messageEndpoint(PATH).maxRequestSize(MAX_REQUEST_BYTES).build();
        transport.setMcpHandler(handler);
        ServletRegistration.Dynamic servlet = event.getServletContext().addServlet("steward-mcp", transport);
        servlet.addMapping(PATH);
        servlet.setAsyncSupported(true);
        event.getServletContext().addFilter("steward-mcp-authentication", new KeyFilter(authentication))
                .addMappingForServletNames(EnumSet.of(DispatcherType.REQUEST), true, "steward-mcp");
    }

    /** Lets a request through only with a valid key of an active tenant. */
    static final class KeyFilter extends HttpFilter {

        private final transient RequestAuthentication authentication;

        KeyFilter(RequestAuthentication authentication) {
            this.authentication = authentication;
        }

        @Override
        protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            // Matched after the platform's filters, so the request context this authenticates is already open.
            Optional<RequestAuthentication.Refusal> refusal = authentication.authenticate(
                    request.getHeader("Authorization"));
            if (refusal.isPresent()) {
                response.setStatus(refusal.get().tenantSuspended() ? 403 : 401);
                response.setHeader("WWW-Authenticate", "Bearer");
                response.setContentType("application/json");
                response.getOutputStream().write(Json.createObjectBuilder().add("jsonrpc", "2.0").addNull("id")
                        .add("error", Json.createObjectBuilder().add("code", -32001)
                                .add("message", refusal.get().message())).build().toString()
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            chain.doFilter(request, response);
        }
    }
}
