package dev.steward.tenancy.internal;

import dev.steward.shared.CurrentRequest;
import dev.steward.shared.Principal;
import dev.steward.tenancy.api.RequestAuthentication;
import dev.steward.tenancy.api.TenantStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/** The API's key check, for the API's filter and for servlets alike. */
@ApplicationScoped
class ApiKeyRequestAuthentication implements RequestAuthentication {

    @Inject
    ApiKeyAuthenticator authenticator;

    @Override
    public Optional<Refusal> authenticate(String authorizationHeader) {
        String bearer = bearer(authorizationHeader);
        Optional<ApiKeyAuthenticator.Authenticated> key = authenticator.authenticate(bearer);
        if (key.isEmpty()) {
            return Optional.of(new Refusal(false, bearer == null ? "Send an API key as 'Authorization: Bearer <key>'"
                    : "The API key is not valid or has been revoked"));
        }
        if (key.get().tenantStatus() != TenantStatus.ACTIVE) {
            return Optional.of(new Refusal(true, "The tenant of this API key is suspended"));
        }
        CurrentRequest.replace(CurrentRequest.get().withPrincipal(Principal.apiKey(key.get().keyId().toString()),
                key.get().tenant(), key.get().scopes()));
        return Optional.empty();
    }

    static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
