package dev.steward.tools.internal;

import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import dev.steward.tenancy.api.RequiresScope;
import dev.steward.tools.api.ToolDescriptor;
import dev.steward.tools.api.Tools;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.StringReader;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The tenant's tool catalog ({@code /api/v1/tools}): what each tool does, its arguments' JSON schema, its side
 * effect (read, write, send), how long a call may take, and whether a call waits for approval unless an agent's
 * grant says otherwise ({@code autoApprove}). Agents are granted tools from here by name.
 */
@ApplicationScoped
@Path("api/v1/tools")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tools", description = "The tools agents can be granted")
public class ToolResource {

    static final String READ = "tools:read";

    @Inject
    Tools tools;

    @GET
    @RequiresScope(READ)
    @Operation(summary = "The tenant's tools, by name")
    public List<JsonObject> list() {
        return tools.catalog().stream().map(ToolResource::view).toList();
    }

    @GET
    @Path("{name}")
    @RequiresScope(READ)
    @Operation(summary = "One tool")
    public JsonObject get(@PathParam("name") String name) {
        return tools.catalog().stream().filter(tool -> tool.name().equals(name)).findFirst().map(ToolResource::view)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No tool named " + name));
    }

    private static JsonObject view(ToolDescriptor tool) {
        try (JsonReader schema = Json.createReader(new StringReader(tool.parametersSchema()))) {
            return Json.createObjectBuilder().add("name", tool.name()).add("description", tool.description())
                    .add("parameters", schema.readObject())
                    .add("sideEffect", tool.sideEffect().name().toLowerCase(Locale.ROOT))
                    .add("timeoutSeconds", tool.timeout().toSeconds())
                    .add("requiresApproval", tool.requiresConfirmation()).add("source", McpNames.source(tool.name())).build();
        }
    }
}
