package dev.steward.audit.internal;

import dev.steward.audit.api.AuditReader;
import dev.steward.shared.Ids;
import dev.steward.shared.Times;
import dev.steward.tenancy.api.RequiresScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The tenant's audit trail: search, and verification of its hash chain. */
@ApplicationScoped
@Path("api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit", description = "The tenant's append-only, hash-chained audit trail")
public class AuditResource {

    static final String READ = "audit:read";

    @Inject
    AuditStore store;

    @Inject
    AuditReader reader;

    @GET
    @RequiresScope(READ)
    @Operation(summary = "Audit entries, newest first",
            description = "Filters: action, actor, agent, session, run, record, from, to; page with before=<seq>")
    public List<AuditViews.Entry> query(@QueryParam("action") String action, @QueryParam("actor") String actor,
                                        @QueryParam("agent") String agent, @QueryParam("session") String session,
                                        @QueryParam("run") String run, @QueryParam("record") String record,
                                        @QueryParam("from") String from, @QueryParam("to") String to,
                                        @QueryParam("before") Long before,
                                        @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return store.query(new AuditStore.Filter(action, actor, Ids.fromQuery("agent", agent), Ids.fromQuery("session", session),
                Ids.fromQuery("run", run), record, Times.fromQuery("from", from), Times.fromQuery("to", to), before, limit));
    }

    @GET
    @Path("verify")
    @RequiresScope(READ)
    @Operation(summary = "Walk the tenant's hash chain",
            description = "valid, or the entry where it breaks: content (changed), link (removed or reordered),"
                    + " gap, or missing (entries at the end removed)")
    public AuditViews.Verification verify() {
        AuditReader.Verification walked = reader.verify(AuditReader.Progress.NONE);
        return walked.valid() ? AuditViews.Verification.valid(walked.entries(), walked.lastSeq(), walked.lastHash())
                : AuditViews.Verification.broken(walked.entries(), walked.brokenAt(), walked.problem());
    }
}
