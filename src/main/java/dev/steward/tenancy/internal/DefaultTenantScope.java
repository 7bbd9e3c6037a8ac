package dev.steward.tenancy.internal;

import dev.steward.shared.CurrentRequest;
import dev.steward.shared.RequestContext;
import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.function.Supplier;

@ApplicationScoped
class DefaultTenantScope implements TenantScope {

    @Override
    public <T> T call(TenantId tenant, Supplier<T> work) {
        if (Transactions.registry().getTransactionKey() != null) {
            // The running transaction is already bound to the tenant it started with.
            throw new IllegalStateException("cannot change tenant inside a transaction");
        }
        RequestContext current = CurrentRequest.find()
                .orElseGet(() -> RequestContext.anonymous(UUID.randomUUID().toString()));
        try (CurrentRequest.Scope ignored = CurrentRequest.open(current.withTenant(tenant))) {
            return work.get();
        }
    }
}
