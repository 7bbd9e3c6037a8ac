package dev.steward.platform.internal;

import dev.steward.shared.ProblemType;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/** Until the start-up sequence has succeeded, the API answers 503 with Retry-After rather than failing queries. */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class NotReadyFilter implements ContainerRequestFilter {

    private static final String RETRY_AFTER_SECONDS = "5";

    @Inject
    StartupState state;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!state.status().ready()) {
            request.abortWith(jakarta.ws.rs.core.Response.fromResponse(Problems.response(ProblemType.UNAVAILABLE,
                            "Steward is starting; try again shortly", request.getUriInfo().getPath()))
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build());
        }
    }
}
