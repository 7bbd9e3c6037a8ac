package dev.steward.protocols.internal;

import dev.steward.agents.api.AgentDefinition;
import dev.steward.agents.api.AgentDirectory;
import dev.steward.tenancy.api.RequiresScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /v1/models}, as OpenAI's clients list models: the tenant's agents, the names
 * {@code /v1/chat/completions} takes as {@code model}. Agents carry no creation time here, so {@code created} is 0.
 */
@ApplicationScoped
@Path("v1/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "openai")
public class ModelListResource {

    static final String SCOPE = "agents:read";

    @Inject
    AgentDirectory agents;

    @GET
    @RequiresScope(SCOPE)
    @Operation(summary = "The tenant's agents as OpenAI models")
    public JsonObject list() {
        JsonArrayBuilder data = Json.createArrayBuilder();
        agents.all().forEach(agent -> data.add(model(agent)));
        return Json.createObjectBuilder().add("object", "list").add("data", data).build();
    }

    @GET
    @Path("{id}")
    @RequiresScope(SCOPE)
    @Operation(summary = "One agent as an OpenAI model")
    public Response get(@PathParam("id") String id) {
        return agents.named(id).map(agent -> Response.ok(model(agent)).build())
                .orElseGet(() -> ChatCompletionResource.error(404, "The model " + id + " does not exist: name one"
                        + " of your agents", "invalid_request_error", "model", "model_not_found"));
    }

    private static JsonObject model(AgentDefinition agent) {
        return Json.createObjectBuilder().add("id", agent.name()).add("object", "model").add("created", 0)
                .add("owned_by", "steward").build();
    }
}
