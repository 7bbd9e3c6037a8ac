package dev.steward.orchestration.internal;

import dev.steward.shared.Ids;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import dev.steward.shared.Times;
import dev.steward.tenancy.api.RequiresScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Workflow runs, and triggers sent through the API to the supervisor's routing. */
@ApplicationScoped
@Path("api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "runs", description = "Workflow runs: node states, timings, outputs; API triggers")
public class RunResource {

    static final String READ = "runs:read";
    static final String WRITE = "runs:write";

    @Inject
    RunStore store;

    @Inject
    Runs runs;

    @Inject
    Routing routing;

    @Inject
    DefinitionStore definitions;

    @Inject
    RecordStore records;

    /** {@code POST /api/v1/runs}: the workflow by name, the record it works on, input, the lock policy. */
    public record StartRun(@NotNull @Size(min = 1, max = 63) String workflow, String record, JsonObject input,
                           @Pattern(regexp = "wait|merge|reject", message = "must be wait, merge or reject")
                           String onLocked) {
    }

    /** {@code POST /api/v1/triggers}: an event for the routing rules, the record it concerns, its data. */
    public record Trigger(@NotNull @Pattern(regexp = RoutingRule.EVENT, message = "must be lowercase letters,"
            + " digits, dots and dashes, starting with a letter") String event, String record, JsonObject data) {
    }

    @POST
    @Path("runs")
    @RequiresScope(WRITE)
    @Operation(summary = "Start a run of a workflow", description = "201 with the run; with an Idempotency-Key"
            + " used before, 200 with the first run. A record another run holds: the run waits, merges or is"
            + " rejected by onLocked (default wait)")
    public Response start(@NotNull @Valid StartRun request,
                          @HeaderParam("Idempotency-Key") @Size(max = 200) String idempotencyKey) {
        DefinitionStore.Definition workflow = definitions.findByName(Routing.WORKFLOW, request.workflow())
                .orElseThrow(() -> ProblemException.invalid("workflow", "no workflow named " + request.workflow()));
        UUID record = record(request.record());
        JsonObjectBuilder trigger = Json.createObjectBuilder().add("event", "api.run");
        if (request.input() != null) {
            trigger.add("data", request.input());
        }
        Runs.Started started = runs.start(new Runs.Start(workflow, record, null, null,
                request.onLocked() == null ? "wait" : request.onLocked(), trigger.build(),
                idempotencyKey == null ? null : "api:" + idempotencyKey));
        RunViews.Run view = RunViews.Run.of(started.run(), null);
        if (view.state().equals("rejected")) {
            throw new ProblemException(ProblemType.CONFLICT, view.error() + "; this run (" + view.id()
                    + ") was rejected by the onLocked policy");
        }
        return (started.duplicate() ? Response.ok() : Response.created(UriBuilder.fromPath("/api/v1/runs/{id}")
                .build(view.id()))).entity(view).build();
    }

    @POST
    @Path("triggers")
    @RequiresScope(WRITE)
    @Operation(summary = "Send a trigger to the supervisor", description = "Wakes the workflow nodes waiting for"
            + " the event, then is matched against the routing rules; 202 with the rule and run when one matched and"
            + " the nodes it woke, 200 with routed false and no nodes when it did nothing")
    public Response trigger(@NotNull @Valid Trigger request,
                            @HeaderParam("Idempotency-Key") @Size(max = 200) String idempotencyKey) {
        if (request.event().startsWith("record.")) {
            throw ProblemException.invalid("event", "record events come from record changes, not the API");
        }
        UUID recordId = record(request.record());
        JsonObject record = recordId == null ? null
                : ContextAssembler.view(records.find(recordId).orElseThrow());
        Routing.Trigger trigger = new Routing.Trigger(request.event(), record, request.data(), null,
                idempotencyKey == null ? null : "trigger:" + idempotencyKey);
        List<RunStore.Awaiting> woken = routing.deliver(trigger);
        Optional<Routing.Routed> routed = routing.route(trigger);
        JsonArrayBuilder woke = Json.createArrayBuilder();
        woken.forEach(node -> woke.add(Json.createObjectBuilder().add("run", node.run().toString())
                .add("node", node.node())));
        JsonObjectBuilder body = Json.createObjectBuilder().add("routed", routed.isPresent()).add("woke", woke);
        routed.ifPresent(started -> body.add("rule", Json.createObjectBuilder()
                        .add("id", started.rule().id().toString()).add("name", started.rule().name())
                        .add("version", started.rule().version()))
                .add("run", started.started().run().id().toString())
                .add("state", started.started().run().state()));
        boolean acted = routed.isPresent() || !woken.isEmpty();
        return (acted ? Response.accepted() : Response.ok()).entity(body.build()).build();
    }

    @GET
    @Path("runs")
    @RequiresScope(READ)
    @Operation(summary = "The tenant's runs, newest first", description = "Filters: state, workflow (id), record;"
            + " page with before=<createdAt of the last seen>")
    public List<RunViews.Run> list(@QueryParam("state") String state, @QueryParam("workflow") String workflow,
                                   @QueryParam("record") String record, @QueryParam("before") String before,
                                   @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        Instant beforeTime = Times.fromQuery("before", before);
        return store.list(state, workflow == null ? null : Ids.fromQuery("workflow", workflow),
                        record == null ? null : Ids.fromQuery("record", record), beforeTime, limit).stream()
                .map(run -> RunViews.Run.of(run, null)).toList();
    }

    @GET
    @Path("runs/{id}")
    @RequiresScope(READ)
    @Operation(summary = "A run with its nodes: states, attempts, timings, outputs and errors")
    public RunViews.Run get(@PathParam("id") String id) {
        UUID run = Ids.fromPath("run", id);
        return RunViews.Run.of(store.find(run).orElseThrow(() -> ProblemException.notFound("run", id)),
                store.nodes(run));
    }

    @POST
    @Path("runs/{id}/cancel")
    @RequiresScope(WRITE)
    @Operation(summary = "Cancel a run", description = "Its nodes stop where they are; nothing more is committed;"
            + " 409 when it has ended")
    public RunViews.Run cancel(@PathParam("id") String id) {
        UUID run = Ids.fromPath("run", id);
        RunStore.Run before = store.find(run).orElseThrow(() -> ProblemException.notFound("run", id));
        if (!runs.cancel(run)) {
            throw new ProblemException(ProblemType.CONFLICT, "The run has ended (" + before.state() + ")");
        }
        return get(id);
    }

    private UUID record(String id) {
        if (id == null) {
            return null;
        }
        if (!ContextAssembler.isUuid(id)) {
            throw ProblemException.invalid("record", "must be a record id");
        }
        UUID record = UUID.fromString(id);
        records.find(record).orElseThrow(() -> ProblemException.invalid("record", "no record " + id));
        return record;
    }
}
