package dev.steward.tenancy.internal;

import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.TenantDirectory;
import dev.steward.tenancy.api.TenantScope;
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
}
