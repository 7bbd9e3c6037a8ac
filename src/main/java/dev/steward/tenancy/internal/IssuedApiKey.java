package dev.steward.tenancy.internal;

import java.time.Instant;
import java.util.List;

/** The answer to issuing a key: the only time the full {@code key} is ever shown. */
public record IssuedApiKey(String id, String tenantId, String name, String prefix, List<String> scopes, Instant createdAt,
                    String key) {
}
