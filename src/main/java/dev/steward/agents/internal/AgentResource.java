package dev.steward.agents.internal;

import dev.steward.models.api.ModelCatalog;
import dev.steward.shared.CurrentRequest;
import dev.steward.shared.FieldError;
import dev.steward.shared.Ids;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import dev.steward.tenancy.api.RequiresScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A tenant's agents and their versions. Another tenant's agent is a 404, as is a deleted one. */
@ApplicationScoped
@Path("api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "agents", description = "Agent definitions, their versions and capabilities")
public class AgentResource {

    static final String READ = "agents:read";
    static final String WRITE = "agents:write";

    @Inject
    SigningKeys signingKeys;

    @Inject
    AgentStore store;

    @Inject
    ModelCatalog models;

    @POST
    @Path("agents")
    @RequiresScope(WRITE)
    @Operation(summary = "Register an agent", description = "201 at version 1; 409 when the name is taken")
    public Response create(@NotNull @Valid AgentRequest request) {
        if (request.name() == null) {
            throw ProblemException.invalid("name", "is required");
        }
        AgentStore.Stored created = store.create(request.name(), validConfig(request), request.token())
                .orElseThrow(() -> new ProblemException(ProblemType.CONFLICT,
                        "An agent named '" + request.name() + "' exists already"));
        return Response.created(UriBuilder.fromPath("/api/v1/agents/{id}").build(created.id()))
                .entity(AgentViews.Agent.of(created)).build();
    }

    @GET
    @Path("agents")
    @RequiresScope(READ)
    @Operation(summary = "The tenant's agents", description = "By name; capability=<name> for those that have it")
    public List<AgentViews.Agent> list(@QueryParam("capability") String capability,
                                       @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        return store.list(capability, limit).stream().map(AgentViews.Agent::of).toList();
    }

    @GET
    @Path("agents/{id}")
    @RequiresScope(READ)
    @Operation(summary = "One agent at its current version")
    public AgentViews.Agent get(@PathParam("id") String id) {
        return AgentViews.Agent.of(store.find(parse(id)).orElseThrow(() -> notFound(id)));
    }

    @POST
    @Path("agents/{id}/signing-key")
    @RequiresScope(WRITE)
    @Operation(summary = "The key Steward signs its requests to a remote agent with",
            description = "HMAC-SHA256 over <X-Steward-Timestamp>.<body>, hex in X-Steward-Signature as v1=<hex>;"
                    + " 409 for an llm agent")
    public AgentViews.SigningKey signingKey(@PathParam("id") String id) {
        AgentStore.Stored agent = store.find(parse(id)).orElseThrow(() -> notFound(id));
        if (!"remote".equals(agent.config().kind())) {
            throw new ProblemException(ProblemType.CONFLICT, "Only remote agents are called with signed requests");
        }
        return new AgentViews.SigningKey(HexFormat.of().formatHex(signingKeys.forAgent(
                CurrentRequest.get().requireTenant(), agent.id())), "HMAC-SHA256", "X-Steward-Timestamp",
                "X-Steward-Signature");
    }

    @PUT
    @Path("agents/{id}")
    @RequiresScope(WRITE)
    @Operation(summary = "Change an agent's configuration",
            description = "A new version when the configuration differs from the current one; the name is fixed")
    public AgentViews.Agent update(@PathParam("id") String id, @NotNull @Valid AgentRequest request) {
        UUID agentId = parse(id);
        AgentStore.Stored current = store.find(agentId).orElseThrow(() -> notFound(id));
        if (request.name() != null && !request.name().equals(current.name())) {
            throw new ProblemException(ProblemType.CONFLICT, "An agent's name is fixed; this one is '"
                    + current.name() + "'");
        }
        return AgentViews.Agent.of(store.update(agentId, validConfig(request), request.token())
                .orElseThrow(() -> notFound(id)));
    }

    @DELETE
    @Path("agents/{id}")
    @RequiresScope(WRITE)
    @Operation(summary = "Delete an agent", description = "204; its versions stay for the sessions that used them")
    public void delete(@PathParam("id") String id) {
        if (!store.delete(parse(id))) {
            throw notFound(id);
        }
    }

    @GET
    @Path("agents/{id}/versions")
    @RequiresScope(READ)
    @Operation(summary = "An agent's versions, oldest first")
    public List<AgentViews.Version> versions(@PathParam("id") String id) {
        List<AgentStore.Stored> versions = store.versions(parse(id), null);
        if (versions.isEmpty()) {
            throw notFound(id);
        }
        return versions.stream().map(AgentViews.Version::of).toList();
    }

    @GET
    @Path("agents/{id}/versions/{version}")
    @RequiresScope(READ)
    @Operation(summary = "One version of an agent")
    public AgentViews.Version version(@PathParam("id") String id, @PathParam("version") int version) {
        return store.versions(parse(id), version).stream().findFirst().map(AgentViews.Version::of)
                .orElseThrow(() -> ProblemException.notFound("version of agent " + id, version));
    }

    @GET
    @Path("agents/{id}/diff")
    @RequiresScope(READ)
    @Operation(summary = "What changed between two versions",
            description = "from and to default to the version before the current one and the current one")
    public AgentViews.Diff diff(@PathParam("id") String id, @QueryParam("from") Integer from,
                                @QueryParam("to") Integer to) {
        List<AgentStore.Stored> versions = store.versions(parse(id), null);
        if (versions.isEmpty()) {
            throw notFound(id);
        }
        VersionComparison comparison = VersionComparison.of(versions, from, to);
        if (comparison.missing() == VersionComparison.Missing.FROM) {
            throw ProblemException.invalid("from", "no version " + comparison.from() + " of this agent");
        }
        if (comparison.missing() == VersionComparison.Missing.TO) {
            throw ProblemException.invalid("to", "no version " + comparison.to() + " of this agent");
        }
        return new AgentViews.Diff(id, comparison.from(), comparison.to(), comparison.changes());
    }

    @GET
    @Path("capabilities")
    @RequiresScope(READ)
    @Operation(summary = "Capabilities the tenant's agents advertise", description = "name=<capability> to find"
            + " the agents that have one")
    public List<AgentViews.Capability> capabilities(@QueryParam("name") String name) {
        List<AgentViews.Capability> found = new ArrayList<>();
        for (AgentStore.Stored agent : store.list(name, 500)) {
            for (JsonValue value : agent.config().json().getOrDefault("capabilities", JsonValue.EMPTY_JSON_ARRAY)
                    .asJsonArray()) {
                JsonObject capability = value.asJsonObject();
                if (name == null || name.equals(capability.getString("name"))) {
                    found.add(new AgentViews.Capability(capability.getString("name"),
                            capability.getString("description", null), capability.get("input"),
                            capability.get("output"), agent.id().toString(), agent.name()));
                }
            }
        }
        return found;
    }

    private AgentConfig validConfig(AgentRequest request) {
        List<FieldError> problems = new ArrayList<>(AgentConfig.problems(request));
        if (request.model() != null && !models.has(request.model())) {
            problems.add(new FieldError("model", "no such model; use steward-scripted or one under /api/v1/models"));
        }
        if (request.fallbackModels() != null) {
            for (int i = 0; i < request.fallbackModels().size(); i++) {
                if (!models.has(request.fallbackModels().get(i))) {
                    problems.add(new FieldError("fallbackModels[" + i + "]", "no such model"));
                }
            }
        }
        if (request.voice() != null) {
            problems.addAll(voiceProblems(request.voice()));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "The agent is not valid", problems);
        }
        return AgentConfig.of(request);
    }

    private List<FieldError> voiceProblems(AgentRequest.Voice voice) {
        List<FieldError> problems = new ArrayList<>();
        if (!models.has(voice.transcriptionModel())) {
            problems.add(new FieldError("voice.transcriptionModel", "no such model"));
        }
        if (!models.has(voice.speechModel())) {
            problems.add(new FieldError("voice.speechModel", "no such model"));
        }
        if (ModelCatalog.SCRIPTED.equals(voice.speechModel()) && voice.format() != null
                && !"wav".equals(voice.format())) {
            problems.add(new FieldError("voice.format", "must be wav: " + ModelCatalog.SCRIPTED + " speaks wav only"));
        }
        return problems;
    }

    private static UUID parse(String id) {
        return Ids.fromPath("agent", id);
    }

    private static ProblemException notFound(String id) {
        return ProblemException.notFound("agent", id);
    }
}
