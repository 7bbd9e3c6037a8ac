package dev.steward.tenancy.internal;

import dev.steward.shared.Ids;
import dev.steward.shared.ProblemException;
import dev.steward.tenancy.api.OperatorApi;
import dev.steward.tenancy.api.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The operator revokes any tenant's key by id: the key's tenant is found on the named cross-tenant path. */
@ApplicationScoped
@OperatorApi
@Path("api/v1/admin/api-keys")
@Tag(name = "operator")
public class OperatorApiKeyResource {

    @Inject
    TenantScope scope;

    @Inject
    ApiKeyRegistry keys;

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke an API key", description = "204; it stops working at once")
    public void revoke(@PathParam("id") String id) {
        UUID keyId = Ids.fromPath("API key", id);
        if (!scope.call(keys.tenantOf(keyId).orElseThrow(() -> ProblemException.notFound("API key", id)),
                () -> keys.revoke(keyId))) {
            throw ProblemException.notFound("API key", id);
        }
    }
}
