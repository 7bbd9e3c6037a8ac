package dev.steward.quota.internal;

import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import dev.steward.tenancy.api.RequiresScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A tenant's quotas: it reads all of them and sets those of its agents, provider accounts and channel accounts, and
 * its own monthly budget. The tenant's own concurrency and rate are the operator's to set.
 */
@ApplicationScoped
@Path("api/v1/quotas")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "quotas", description = "Limits the constraint engine checks before a job runs")
public class QuotaResource {

    static final String READ = "quotas:read";
    static final String WRITE = "quotas:write";

    @Inject
    QuotaService quotas;

    @GET
    @RequiresScope(READ)
    @Operation(summary = "The tenant's quotas", description = "The tenant first, then every subject with limits"
            + " of its own or counters")
    public List<QuotaView> list() {
        return quotas.list();
    }

    @GET
    @Path("{subject}")
    @RequiresScope(READ)
    @Operation(summary = "One subject's quota",
            description = "Subjects: tenant, agent:<uuid>, provider:<account>, channel:<account>")
    public QuotaView get(@PathParam("subject") String subject) {
        return quotas.get(QuotaService.subject(subject));
    }

    @PUT
    @Path("{subject}")
    @RequiresScope(WRITE)
    @Operation(summary = "Set a subject's own limits",
            description = "Replaces them; absent fields fall back to the defaults. For the tenant subject only"
                    + " monthlyBudget (compared with the month's model spend, which metering records). Work held"
                    + " back by the old limits is looked at again at once")
    public QuotaView put(@PathParam("subject") String key, @NotNull @Valid LimitsUpdate update) {
        Subject subject = QuotaService.subject(key);
        Limits limits = update.toLimits();
        if (subject.equals(Subject.TENANT) && (limits.concurrency() != null || limits.perMinute() != null)) {
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "The tenant's own concurrency and rate are set by the platform operator");
        }
        // Of its own limits the tenant sets the budget only; the operator's concurrency and rate stay.
        return quotas.put(subject, limits, EnumSet.of(LimitStore.Column.MONTHLY_BUDGET));
    }

    @DELETE
    @Path("{subject}")
    @RequiresScope(WRITE)
    @Operation(summary = "Drop a subject's own limits", description = "204; the defaults apply again")
    public void reset(@PathParam("subject") String key) {
        Subject subject = QuotaService.subject(key);
        if (subject.equals(Subject.TENANT)) {
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "The tenant's own limits are set by the platform operator");
        }
        quotas.reset(subject);
    }
}
