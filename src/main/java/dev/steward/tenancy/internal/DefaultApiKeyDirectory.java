package dev.steward.tenancy.internal;

import dev.steward.tenancy.api.ApiKeyDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

@ApplicationScoped
class DefaultApiKeyDirectory implements ApiKeyDirectory {

    @Inject
    ApiKeyRegistry keys;

    @Override
    public List<ApiKeySummary> list(int offset, int limit) {
        return keys.list(offset, limit).stream().map(key -> new ApiKeySummary(key.id(), key.name(), key.prefix(),
                key.scopes(), key.createdAt(), key.lastUsedAt(), key.revokedAt())).toList();
    }
}
