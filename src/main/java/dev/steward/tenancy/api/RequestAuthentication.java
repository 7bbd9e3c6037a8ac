package dev.steward.tenancy.api;

import java.util.Optional;

/**
 * API-key authentication for requests that reach Steward outside its JAX-RS resources (servlets such as the MCP
 * endpoint), with the same rules the API applies: a valid key of an active tenant.
 */
public interface RequestAuthentication {

    /**
     * Authenticates {@code Authorization: Bearer <key>}: on success the current request acts for the key's tenant,
     * with the key as principal and its scopes, and the answer is empty; otherwise it is why not.
     */
    Optional<Refusal> authenticate(String authorizationHeader);

    /** Why a request was not authenticated: no valid key, or a valid key of a suspended tenant. */
    record Refusal(boolean tenantSuspended, String message) {
    }
}
