package dev.steward.tenancy.api;

import java.time.Instant;
import java.util.List;

/**
 * The tenant in scope's API keys as people look them over (the admin UI): what {@code GET /api/v1/api-keys} lists,
 * a page at a time. Never a secret or its hash: the prefix is what identifies a key.
 */
public interface ApiKeyDirectory {

    /** Oldest first, from {@code offset}, at most {@code limit}. */
    List<ApiKeySummary> list(int offset, int limit);

    /** One key; {@code lastUsedAt} is null until it has been used, {@code revokedAt} until it is revoked. */
    record ApiKeySummary(String id, String name, String prefix, List<String> scopes, Instant createdAt,
                         Instant lastUsedAt, Instant revokedAt) {

        public ApiKeySummary {
            scopes = List.copyOf(scopes);
        }

        public boolean active() {
            return revokedAt == null;
        }
    }
}
