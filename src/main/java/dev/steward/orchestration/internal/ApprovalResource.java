package dev.steward.orchestration.internal;

import dev.steward.shared.Ids;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import dev.steward.shared.Times;
import dev.steward.tenancy.api.RequiresScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The human approval queue, and the supervisor policy that decides what goes to it. */
@ApplicationScoped
@Path("api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "approvals", description = "Actions waiting for a person, and the supervisor's policy")
public class ApprovalResource {

    static final String READ = "approvals:read";
    static final String WRITE = "approvals:write";

    @Inject
    ApprovalStore store;

    @Inject
    Approvals approvals;

    @Inject
    RunStore runs;

    @Inject
    RecordStore records;

    @Inject
    PolicyStore policies;

    /** {@code POST /api/v1/approvals/{id}}: approve or deny, with a comment. */
    public record Decision(@NotNull Boolean approve, @Size(max = 2000) String comment) {
    }

    /** {@code PUT /api/v1/supervisor-policy}. */
    public record PolicyRequest(
            @NotNull @Size(max = 20) List<@NotNull @Pattern(regexp = "[a-z][a-z0-9._-]{0,62}",
                    message = "must be a capability name") String> conflictRanks,
            @NotNull @DecimalMin("0") @DecimalMax("1") BigDecimal confidenceThreshold,
            @NotNull @Min(60) @Max(2_592_000) Long approvalTtlSeconds) {
    }

    @GET
    @Path("approvals")
    @RequiresScope(READ)
    @Operation(summary = "The approvals, newest first", description = "Filters: status (pending, approved, denied,"
            + " expired, cancelled), run; each with the action, the record as it is now, the context the"
            + " specialists saw and their reasoning")
    public List<RunViews.Approval> list(@QueryParam("status") @Pattern(regexp = "pending|approved|denied|expired"
                                                + "|cancelled", message = "must be pending, approved, denied,"
                                                + " expired or cancelled") String status,
                                        @QueryParam("run") String run, @QueryParam("before") String before,
                                        @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        Instant beforeTime = Times.fromQuery("before", before);
        return store.list(status, run == null ? null : Ids.fromQuery("run", run), beforeTime, limit).stream()
                .map(this::view).toList();
    }

    @GET
    @Path("approvals/{id}")
    @RequiresScope(READ)
    @Operation(summary = "One approval")
    public RunViews.Approval get(@PathParam("id") String id) {
        return view(store.find(Ids.fromPath("approval", id))
                .orElseThrow(() -> ProblemException.notFound("approval", id)));
    }

    @POST
    @Path("approvals/{id}")
    @RequiresScope(WRITE)
    @Operation(summary = "Approve or deny", description = "{approve, comment}: an approved action is committed at"
            + " once; 409 when the approval was decided, expired or cancelled before")
    public RunViews.Approval decide(@PathParam("id") String id, @NotNull @Valid Decision decision) {
        UUID approval = Ids.fromPath("approval", id);
        switch (approvals.decide(approval, decision.approve(), decision.comment())) {
            case UNKNOWN:
                throw ProblemException.notFound("approval", id);
            case ALREADY_DECIDED:
                throw new ProblemException(ProblemType.CONFLICT, "The approval is no longer pending ("
                        + store.find(approval).orElseThrow().state() + ")");
            default:
                return get(id);
        }
    }

    @GET
    @Path("supervisor-policy")
    @RequiresScope(READ)
    @Operation(summary = "How the supervisor resolves conflicts and what waits for approval")
    public RunViews.Policy policy() {
        return RunViews.Policy.of(policies.get());
    }

    @PUT
    @Path("supervisor-policy")
    @RequiresScope(WRITE)
    @Operation(summary = "Set the supervisor policy", description = "{conflictRanks: capabilities, first wins;"
            + " confidenceThreshold: below it a proposal waits for approval; approvalTtlSeconds}")
    public RunViews.Policy setPolicy(@NotNull @Valid PolicyRequest request) {
        return RunViews.Policy.of(policies.put(new PolicyStore.Policy(request.conflictRanks(),
                request.confidenceThreshold(), Duration.ofSeconds(request.approvalTtlSeconds()))));
    }

    private RunViews.Approval view(ApprovalStore.Approval approval) {
        JsonObject record = approval.recordId() == null ? null : records.find(approval.recordId())
                .map(ContextAssembler::view).orElse(null);
        JsonObject context = runs.find(approval.runId()).map(RunStore.Run::context).orElse(null);
        return new RunViews.Approval(approval.id().toString(), approval.runId().toString(), approval.node(),
                approval.state(), approval.reason(), approval.action(), RunViews.text(approval.agentId()),
                approval.confidence(), approval.reasoning(), record, context, approval.createdAt(),
                approval.expiresAt(), approval.decidedAt(), approval.decidedBy(), approval.comment());
    }
}
