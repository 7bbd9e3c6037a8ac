package dev.steward.tenancy.api;

import dev.steward.shared.TenantId;
import java.util.function.Supplier;

/**
 * Runs work on behalf of one tenant: the transactions it starts see that tenant's rows and no others. This is how
 * the operator acts on a chosen tenant and how background work (a queued job) takes on its tenant. It must be
 * entered outside a transaction: a transaction belongs to one tenant, the one its first statement ran for.
 */
public interface TenantScope {

    <T> T call(TenantId tenant, Supplier<T> work);

    default void run(TenantId tenant, Runnable work) {
        call(tenant, () -> {
            work.run();
            return null;
        });
    }
}
