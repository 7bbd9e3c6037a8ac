package dev.steward.tenancy.internal;

import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.TenantDirectory;
import dev.steward.tenancy.api.TenantScope;
import dev.steward.tenancy.api.TenantSummary;
import java.util.List;
import java.util.Optional;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

@ApplicationScoped
class DefaultTenantDirectory implements TenantDirectory {

    @Inject
    TenantScope scope;

    @Inject
    TenantRegistry tenants;

    @Override
    public boolean exists(TenantId tenant) {
        return scope.call(tenant, () -> tenants.find(tenant).isPresent());
    }

    @Override
    public List<TenantSummary> all() {
        return tenants.listAll().stream().map(DefaultTenantDirectory::summary).toList();
    }

    @Override
    public Optional<TenantSummary> find(TenantId tenant) {
        return scope.call(tenant, () -> tenants.find(tenant)).map(DefaultTenantDirectory::summary);
    }

    private static TenantSummary summary(TenantView view) {
        return new TenantSummary(view.id(), view.slug(), view.name(), view.status(), view.createdAt());
    }
}
