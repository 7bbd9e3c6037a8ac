package dev.steward.quota.internal;

import dev.steward.shared.ProblemException;
import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.OperatorApi;
import dev.steward.tenancy.api.TenantDirectory;
import dev.steward.tenancy.api.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The operator reads and sets any tenant's quotas, the tenant's own concurrency and rate included. */
@ApplicationScoped
@OperatorApi
@Path("api/v1/admin/tenants/{tenant}/quotas")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "operator")
public class OperatorQuotaResource {

    @Inject
    TenantScope scope;

    @Inject
    TenantDirectory tenants;

    @Inject
    QuotaService quotas;

    @GET
    @Operation(summary = "A tenant's quotas")
    public List<QuotaView> list(@PathParam("tenant") String tenant) {
        return scope.call(existing(tenant), quotas::list);
    }

    @PUT
    @Path("{subject}")
    @Operation(summary = "Set a tenant's limits for one subject", description = "Replaces them; absent fields fall"
            + " back to the defaults. For the tenant subject: its concurrency and rate, and its budget when given")
    public QuotaView put(@PathParam("tenant") String tenant, @PathParam("subject") String key,
                         @NotNull @Valid LimitsUpdate update) {
        TenantId id = existing(tenant);
        Subject subject = QuotaService.subject(key);
        // Of a tenant's own limits the operator sets concurrency and rate, and the budget only when it names one:
        // a budget the tenant set for itself is not dropped by an update that does not mention it.
        Set<LimitStore.Column> tenantColumns = update.monthlyBudget() == null
                ? EnumSet.of(LimitStore.Column.CONCURRENCY, LimitStore.Column.PER_MINUTE)
                : EnumSet.of(LimitStore.Column.CONCURRENCY, LimitStore.Column.PER_MINUTE,
                        LimitStore.Column.MONTHLY_BUDGET);
        return scope.call(id, () -> quotas.put(subject, update.toLimits(), tenantColumns));
    }

    private TenantId existing(String tenant) {
        try {
            TenantId id = new TenantId(UUID.fromString(tenant));
            if (tenants.exists(id)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // not even a UUID: names no tenant
        }
        throw ProblemException.notFound("tenant", tenant);
    }
}
