package dev.steward.tenancy.internal;

import dev.steward.shared.Ids;
import dev.steward.shared.ProblemException;
import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.OperatorApi;
import dev.steward.tenancy.api.TenantScope;
import dev.steward.tenancy.api.TenantStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The platform operator's tenant administration. Each call acts on one tenant through {@link TenantScope}. */
@ApplicationScoped
@OperatorApi
@Path("api/v1/admin/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "operator", description = "Platform operator (STEWARD_ADMIN_TOKEN)")
public class OperatorTenantResource {

    @Inject
    TenantScope scope;

    @Inject
    TenantRegistry tenants;

    @Inject
    ApiKeyRegistry keys;

    @POST
    @Operation(summary = "Create a tenant", description = "201 with the tenant; 409 when the slug is taken")
    public Response create(@NotNull @Valid TenantRequests.NewTenant body) {
        TenantId id = TenantId.random();
        TenantView created = scope.call(id, () -> tenants.create(id, body.slug(), body.name()));
        return Response.created(UriBuilder.fromPath("/api/v1/admin/tenants/{id}").build(id)).entity(created).build();
    }

    @GET
    @Operation(summary = "List all tenants")
    public List<TenantView> list() {
        return tenants.listAll();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One tenant")
    public TenantView get(@PathParam("id") String id) {
        TenantId tenant = tenantId(id);
        return scope.call(tenant, () -> tenants.find(tenant)).orElseThrow(() -> ProblemException.notFound("tenant", id));
    }

    @POST
    @Path("{id}/suspend")
    @Operation(summary = "Suspend a tenant", description = "Its API keys stop working at once; its data stays")
    public TenantView suspend(@PathParam("id") String id) {
        TenantId tenant = tenantId(id);
        return scope.call(tenant, () -> tenants.changeStatus(tenant, TenantStatus.SUSPENDED))
                .orElseThrow(() -> ProblemException.notFound("tenant", id));
    }

    @POST
    @Path("{id}/activate")
    @Operation(summary = "Reactivate a suspended tenant")
    public TenantView activate(@PathParam("id") String id) {
        TenantId tenant = tenantId(id);
        return scope.call(tenant, () -> tenants.changeStatus(tenant, TenantStatus.ACTIVE))
                .orElseThrow(() -> ProblemException.notFound("tenant", id));
    }

    @POST
    @Path("{id}/api-keys")
    @Operation(summary = "Issue an API key for a tenant",
            description = "201; the full key is in the field 'key' of this answer and is never shown again")
    public Response issueKey(@PathParam("id") String id, @Valid TenantRequests.NewApiKey body) {
        TenantId tenant = tenantId(id);
        TenantRequests.NewApiKey request = body == null ? new TenantRequests.NewApiKey(null, null) : body;
        IssuedApiKey issued = scope.call(tenant,
                () -> keys.issue(tenant, request.nameOrDefault(), request.scopesOrDefault()))
                .orElseThrow(() -> ProblemException.notFound("tenant", id));
        return Response.created(UriBuilder.fromPath("/api/v1/admin/api-keys/{id}").build(issued.id()))
                .entity(issued).build();
    }

    @GET
    @Path("{id}/api-keys")
    @Operation(summary = "A tenant's API keys (never their secrets)")
    public List<ApiKeyView> listKeys(@PathParam("id") String id) {
        TenantId tenant = tenantId(id);
        if (scope.call(tenant, () -> tenants.find(tenant)).isEmpty()) {
            throw ProblemException.notFound("tenant", id);
        }
        return scope.call(tenant, keys::list);
    }

    private static TenantId tenantId(String id) {
        return new TenantId(Ids.fromPath("tenant", id));
    }
}
