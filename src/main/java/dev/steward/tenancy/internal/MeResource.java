package dev.steward.tenancy.internal;

import dev.steward.shared.CurrentRequest;
import dev.steward.shared.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Who am I: the tenant and key behind the bearer token. */
@ApplicationScoped
@Path("api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tenant")
public class MeResource {

    public record Me(String tenantId, String tenantSlug, String tenantName, String keyId, List<String> scopes,
              String requestId) {
    }

    @Inject
    TenantRegistry tenants;

    @GET
    @Operation(summary = "The caller's tenant, key and scopes")
    public Me me() {
        RequestContext context = CurrentRequest.get();
        TenantView tenant = tenants.find(context.requireTenant()).orElseThrow();
        return new Me(tenant.id(), tenant.slug(), tenant.name(), context.principal().id(),
                context.scopes().stream().sorted().toList(), context.requestId());
    }
}
