package dev.steward.tools.internal;

import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import dev.steward.tenancy.api.RequiresScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The tenant's remote MCP servers ({@code /api/v1/tools/mcp-servers}). Registering one asks it for its tools at
 * once ({@code tools/list}), so a server that cannot be reached is refused rather than stored; refreshing asks
 * again. Its tools join the catalog as {@code <name>__<tool>}. Headers (credentials) are accepted, sealed and never
 * shown again.
 */
@ApplicationScoped
@Path("api/v1/tools/mcp-servers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "tools")
public class McpServerResource {

    @Inject
    McpServers servers;

    @Inject
    McpRemote remote;

    @GET
    @RequiresScope(ToolResource.READ)
    @Operation(summary = "The tenant's MCP servers")
    public List<JsonObject> list() {
        List<McpServers.CachedTool> cached = servers.tools(null);
        return servers.list().stream().map(server -> view(server, cached)).toList();
    }

    @GET
    @Path("{name}")
    @RequiresScope(ToolResource.READ)
    @Operation(summary = "One MCP server and the tools it listed")
    public JsonObject get(@PathParam("name") String name) {
        return view(found(name), servers.tools(null));
    }

    @POST
    @RequiresScope(HttpHostResource.WRITE)
    @Operation(summary = "Register an MCP server (Streamable HTTP)", description = "{\"name\": \"crm\", \"url\":"
            + " \"https://mcp.example.com/mcp\", \"timeoutSeconds\": 30, \"bearerToken\": \"...\", \"headers\":"
            + " {\"X-Api-Key\": \"...\"}, \"readOnlyTools\": [\"search\"], \"allowPrivate\": false}. Its tools"
            + " become <name>__<tool>: writes (approved per call unless an agent's autoApprove grants them) except"
            + " those named in readOnlyTools")
    public Response register(@NotNull JsonObject request) {
        McpServers.Registration registration = McpServerRequest.read(request, remote.installationAllowsPrivate());
        if (servers.find(registration.name()).isPresent()) {
            throw new ProblemException(ProblemType.CONFLICT, "An MCP server named " + registration.name()
                    + " is already registered");
        }
        McpRemote.Endpoint endpoint = new McpRemote.Endpoint(registration.name(), registration.url(),
                registration.allowPrivate(), registration.headers(),
                Duration.ofSeconds(registration.timeoutSeconds()));
        Optional<String> refused = remote.refusal(endpoint);
        if (refused.isPresent()) {
            throw ProblemException.invalid("url", refused.get());
        }
        servers.register(registration, listing(endpoint));
        return Response.created(UriBuilder.fromPath("/api/v1/tools/mcp-servers/{name}").build(registration.name()))
                .entity(view(found(registration.name()), servers.tools(null))).build();
    }

    @POST
    @Path("{name}/refresh")
    @RequiresScope(HttpHostResource.WRITE)
    @Operation(summary = "Ask the server for its tools again and replace those in the catalog")
    public JsonObject refresh(@PathParam("name") String name) {
        McpRemote.Endpoint endpoint = servers.endpoint(name).orElseThrow(() -> notFound(name));
        if (!servers.refresh(name, listing(endpoint))) {
            throw notFound(name);
        }
        return view(found(name), servers.tools(null));
    }

    @DELETE
    @Path("{name}")
    @RequiresScope(HttpHostResource.WRITE)
    @Operation(summary = "Remove an MCP server; its tools leave the catalog (agents' grants of them then grant nothing)")
    public Response remove(@PathParam("name") String name) {
        if (!servers.remove(name)) {
            throw notFound(name);
        }
        return Response.noContent().build();
    }

    private McpToolListing listing(McpRemote.Endpoint endpoint) {
        try {
            return McpToolListing.of(endpoint.server(), remote.listTools(endpoint), remote.json());
        } catch (McpRemote.Unreachable e) {
            throw new ProblemException(ProblemType.UPSTREAM_FAILED, "Could not list the MCP server's tools: "
                    + e.getMessage());
        }
    }

    private McpServers.Server found(String name) {
        return servers.find(name).orElseThrow(() -> notFound(name));
    }

    private static ProblemException notFound(String name) {
        return new ProblemException(ProblemType.NOT_FOUND, "No MCP server named " + name);
    }

    private static JsonObject view(McpServers.Server server, List<McpServers.CachedTool> cached) {
        JsonArrayBuilder headers = Json.createArrayBuilder();
        server.headerNames().forEach(headers::add);
        JsonArrayBuilder readOnly = Json.createArrayBuilder();
        server.readOnlyTools().forEach(readOnly::add);
        JsonArrayBuilder listed = Json.createArrayBuilder();
        cached.stream().filter(tool -> tool.server().equals(server.name())).forEach(tool -> listed.add(
                Json.createObjectBuilder().add("name", tool.name()).add("remoteName", tool.remoteName())
                        .add("description", tool.description())
                        .add("sideEffect", tool.readOnly() ? "read" : "write")));
        return Json.createObjectBuilder().add("name", server.name()).add("url", server.url())
                .add("timeoutSeconds", server.timeoutSeconds()).add("allowPrivate", server.allowPrivate())
                .add("readOnlyTools", readOnly).add("headers", headers).add("tools", listed)
                .add("skipped", McpServers.parseArray(server.skippedJson()))
                .add("createdAt", server.createdAt().toString()).add("refreshedAt", server.refreshedAt().toString())
                .build();
    }
}
