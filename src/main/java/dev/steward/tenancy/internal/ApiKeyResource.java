package dev.steward.tenancy.internal;

import dev.steward.shared.Ids;
import dev.steward.shared.ProblemException;
import dev.steward.tenancy.api.RequiresScope;
import dev.steward.tenancy.api.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A tenant lists and revokes its own keys; another tenant's key is a 404. */
@ApplicationScoped
@Path("api/v1/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tenant")
public class ApiKeyResource {

    @Inject
    ApiKeyRegistry keys;

    @GET
    @RequiresScope(Scopes.API_KEYS_READ)
    @Operation(summary = "The tenant's API keys (never their secrets)")
    public List<ApiKeyView> list() {
        return keys.list();
    }

    @DELETE
    @Path("{id}")
    @RequiresScope(Scopes.API_KEYS_WRITE)
    @Operation(summary = "Revoke one of the tenant's keys", description = "204; it stops working at once")
    public void revoke(@PathParam("id") String id) {
        if (!keys.revoke(Ids.fromPath("API key", id))) {
            throw ProblemException.notFound("API key", id);
        }
    }
}
