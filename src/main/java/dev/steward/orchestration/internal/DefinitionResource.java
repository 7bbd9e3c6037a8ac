package dev.steward.orchestration.internal;

import dev.steward.shared.FieldError;
import dev.steward.shared.Ids;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import dev.steward.tenancy.api.RequiresScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Workflows ({@code /api/v1/workflows}) and routing rules ({@code /api/v1/routing-rules}): versioned definitions,
 * written as {@code {"name", ...definition}}. A change is a new version; runs keep the version they started with.
 */
@ApplicationScoped
@Path("api/v1/{kind: workflows|routing-rules}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "workflows", description = "DAG workflows and the routing rules that start them")
public class DefinitionResource {

    static final String READ = "workflows:read";
    static final String WRITE = "workflows:write";
    private static final String NAME = "[a-z0-9][a-z0-9._-]{0,62}";

    @Inject
    DefinitionStore store;

    @Inject
    Schedules schedules;

    @POST
    @RequiresScope(WRITE)
    @Operation(summary = "Define a workflow or routing rule",
            description = "Workflow: {name, priority, nodes: [{id, kind, ...}], edges: [{from, to, when}]}; rule:"
                    + " {name, on: {event, type} or {schedule, timezone}, when, workflow, order, onLocked}. A cycle or an edge to no node is"
                    + " refused, naming the field")
    public Response create(@PathParam("kind") String path, @NotNull JsonObject request) {
        String kind = kind(path);
        JsonObject body = validated(kind, request);
        String name = request.getString("name");
        DefinitionStore.Definition created = store.create(kind, name, body).orElseThrow(() -> new ProblemException(
                ProblemType.CONFLICT, "A " + kind + " named " + name + " exists"));
        return Response.created(UriBuilder.fromPath("/api/v1/{kind}/{id}").build(path, created.id()))
                .entity(current(created)).build();
    }

    @GET
    @RequiresScope(READ)
    @Operation(summary = "The live definitions at their current versions, by name")
    public List<JsonObject> list(@PathParam("kind") String path) {
        Map<UUID, Instant> fires = kind(path).equals(Routing.RULE) ? schedules.nextFires(null) : Map.of();
        return store.list(kind(path)).stream().map(definition -> view(definition, fires.get(definition.id())))
                .toList();
    }

    @GET
    @Path("{id}")
    @RequiresScope(READ)
    @Operation(summary = "One definition at its current version")
    public JsonObject get(@PathParam("kind") String path, @PathParam("id") String id) {
        return current(store.find(kind(path), Ids.fromPath(kind(path), id))
                .orElseThrow(() -> ProblemException.notFound(kind(path), id)));
    }

    @GET
    @Path("{id}/versions")
    @RequiresScope(READ)
    @Operation(summary = "Every version of a definition, oldest first")
    public List<JsonObject> versions(@PathParam("kind") String path, @PathParam("id") String id) {
        List<DefinitionStore.Definition> versions = store.versions(kind(path), Ids.fromPath(kind(path), id));
        if (versions.isEmpty()) {
            throw ProblemException.notFound(kind(path), id);
        }
        return versions.stream().map(version -> view(version, null)).toList();
    }

    @PUT
    @Path("{id}")
    @RequiresScope(WRITE)
    @Operation(summary = "Change a definition: a new version (the same one when nothing changed)")
    public JsonObject update(@PathParam("kind") String path, @PathParam("id") String id,
                             @NotNull JsonObject request) {
        String kind = kind(path);
        UUID definition = Ids.fromPath(kind, id);
        DefinitionStore.Definition current = store.find(kind, definition)
                .orElseThrow(() -> ProblemException.notFound(kind, id));
        if (request.containsKey("name") && !current.name().equals(request.getString("name", null))) {
            throw ProblemException.invalid("name", "cannot change; define a new one instead");
        }
        JsonObject body = validated(kind, Json.createObjectBuilder(request).add("name", current.name()).build());
        return current(store.update(kind, definition, body).orElseThrow(() -> ProblemException.notFound(kind, id)));
    }

    @DELETE
    @Path("{id}")
    @RequiresScope(WRITE)
    @Operation(summary = "Delete a definition", description = "204; runs already started finish on their version")
    public void delete(@PathParam("kind") String path, @PathParam("id") String id) {
        if (!store.delete(kind(path), Ids.fromPath(kind(path), id))) {
            throw ProblemException.notFound(kind(path), id);
        }
    }

    /** The body to store (the request without its name), or a 400 naming every problem. */
    private JsonObject validated(String kind, JsonObject request) {
        List<FieldError> problems = new ArrayList<>();
        if (!(request.get("name") instanceof JsonString name) || !name.getString().matches(NAME)) {
            problems.add(new FieldError("name", "must be lowercase letters, digits, dots, dashes or underscores,"
                    + " starting with a letter or digit, at most 63"));
        }
        JsonObjectBuilder body = Json.createObjectBuilder(request).remove("name");
        JsonObject definition = body.build();
        problems.addAll(kind.equals(Routing.WORKFLOW) ? WorkflowDefinition.problems(definition)
                : RoutingRule.problems(definition));
        if (problems.isEmpty() && kind.equals(Routing.RULE)
                && store.findByName(Routing.WORKFLOW, definition.getString("workflow")).isEmpty()) {
            problems.add(new FieldError("workflow", "no workflow named " + definition.getString("workflow")));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "The " + kind + " is not valid", problems);
        }
        return definition;
    }

    private static String kind(String path) {
        return path.equals("workflows") ? Routing.WORKFLOW : Routing.RULE;
    }

    /** The definition's current version, with when it fires next if it is a rule on a schedule. */
    private JsonObject current(DefinitionStore.Definition definition) {
        return view(definition, definition.kind().equals(Routing.RULE)
                ? schedules.nextFires(definition.id()).get(definition.id()) : null);
    }

    private static JsonObject view(DefinitionStore.Definition definition, Instant nextFireAt) {
        JsonObjectBuilder view = Json.createObjectBuilder().add("id", definition.id().toString())
                .add("name", definition.name()).add("version", definition.version())
                .addAll(Json.createObjectBuilder(definition.body()))
                .add("createdAt", definition.createdAt().toString())
                .add("updatedAt", definition.updatedAt().toString());
        if (nextFireAt != null) {
            view.add("nextFireAt", nextFireAt.toString());
        }
        return view.build();
    }
}
