package dev.steward.tenancy.internal;

import dev.steward.shared.CurrentRequest;
import dev.steward.shared.Principal;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import dev.steward.shared.RequestContext;
import dev.steward.tenancy.api.TenantStatus;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.util.Set;

/**
 * Authenticates every request under {@code /api/v1}, secure by default: a route needs no annotation to be
 * protected. {@code /api/v1/admin/...} takes the operator token; everything else a tenant API key, whose tenant,
 * key id and scopes become the request context.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AuthenticationFilter implements ContainerRequestFilter {

    static final String OPERATOR_SCOPE = "platform";

    @Inject
    ApiKeyAuthenticator authenticator;

    @Inject
    OperatorToken operatorToken;

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        if (!path.startsWith("api/v1/") && !path.equals("api/v1")) {
            return;
        }
        String bearer = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        RequestContext current = CurrentRequest.get();
        if (path.startsWith("api/v1/admin/") || path.equals("api/v1/admin")) {
            if (!operatorToken.matches(bearer)) {
                throw new ProblemException(ProblemType.UNAUTHENTICATED, "The operator token is missing or wrong");
            }
            CurrentRequest.replace(current.withPrincipal(Principal.OPERATOR, null, Set.of(OPERATOR_SCOPE)));
            return;
        }
        ApiKeyAuthenticator.Authenticated key = authenticator.authenticate(bearer).orElseThrow(() ->
                new ProblemException(ProblemType.UNAUTHENTICATED, bearer == null
                        ? "Send an API key as 'Authorization: Bearer <key>'"
                        : "The API key is not valid or has been revoked"));
        if (key.tenantStatus() != TenantStatus.ACTIVE) {
            throw new ProblemException(ProblemType.TENANT_SUSPENDED, "The tenant of this API key is suspended");
        }
        CurrentRequest.replace(current.withPrincipal(Principal.apiKey(key.keyId().toString()), key.tenant(),
                key.scopes()));
    }

    private static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
