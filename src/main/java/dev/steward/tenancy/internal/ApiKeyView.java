package dev.steward.tenancy.internal;

import java.time.Instant;
import java.util.List;

/** An API key as listings show it: never the secret. */
public record ApiKeyView(String id, String tenantId, String name, String prefix, List<String> scopes, Instant createdAt,
                  Instant lastUsedAt, Instant revokedAt) {

    static ApiKeyView of(ApiKey key) {
        return new ApiKeyView(key.id().toString(), key.tenantId().toString(), key.name(), key.prefix(), key.scopes(),
                key.createdAt(), key.lastUsedAt(), key.revokedAt());
    }
}
