package dev.steward.billing.internal;

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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A tenant's metered model calls and their cost. */
@ApplicationScoped
@Path("api/v1/usage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "usage", description = "Metered model calls: tokens, latency, cost")
public class UsageResource {

    static final String READ = "usage:read";

    @Inject
    UsageStore store;

    @GET
    @RequiresScope(READ)
    @Operation(summary = "Usage events and their totals", description = "Filters: model, agent, session, from, to"
            + " (ISO instants, from inclusive, to exclusive); newest first, at most limit events")
    public UsageView usage(@QueryParam("model") String model, @QueryParam("agent") String agent,
                           @QueryParam("session") String session, @QueryParam("from") String from,
                           @QueryParam("to") String to,
                           @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return store.query(new UsageStore.Filter(model, agent == null ? null : Ids.fromQuery("agent", agent), session,
                Times.fromQuery("from", from), Times.fromQuery("to", to), limit));
    }
}
