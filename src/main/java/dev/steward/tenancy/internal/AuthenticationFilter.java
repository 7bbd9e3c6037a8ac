package dev.steward.tenancy.internal;

import dev.steward.shared.CurrentRequest;
import dev.steward.shared.Principal;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import dev.steward.shared.RequestContext;
import dev.steward.tenancy.api.OperatorApi;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.util.Set;

/**
 * Authenticates every request that reaches a resource, secure by default: a resource needs no annotation to be
 * protected. Resources marked {@link OperatorApi} take the operator token; all others a tenant API key, whose
 * tenant, key id and scopes become the request context. The decision follows the matched resource class, never the
 * raw path, which can be dressed up (matrix parameters, encodings) without changing where it routes.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AuthenticationFilter implements ContainerRequestFilter {

    static final String OPERATOR_SCOPE = "platform";

    @Context
    ResourceInfo resource;

    @Inject
    ApiKeyRequestAuthentication authentication;

    @Inject
    OperatorToken operatorToken;

    @Override
    public void filter(ContainerRequestContext request) {
        String bearer = ApiKeyRequestAuthentication.bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        RequestContext current = CurrentRequest.get();
        Class<?> target = resource.getResourceClass();
        if (target != null && target.isAnnotationPresent(OperatorApi.class)) {
            if (!operatorToken.matches(bearer)) {
                throw new ProblemException(ProblemType.UNAUTHENTICATED, "The operator token is missing or wrong");
            }
            CurrentRequest.replace(current.withPrincipal(Principal.OPERATOR, null, Set.of(OPERATOR_SCOPE)));
            return;
        }
        authentication.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION)).ifPresent(refusal -> {
            throw new ProblemException(refusal.tenantSuspended() ? ProblemType.TENANT_SUSPENDED
                    : ProblemType.UNAUTHENTICATED, refusal.message());
        });
    }
}
