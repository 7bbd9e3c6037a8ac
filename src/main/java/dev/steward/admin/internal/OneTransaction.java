package dev.steward.admin.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.function.Supplier;

/**
 * Runs an action and its audit entry in one transaction (each joins it), so an action is never done without being
 * audited nor audited without being done. Entered inside the tenant's scope.
 */
@ApplicationScoped
class OneTransaction {

    @Transactional
    <T> T call(Supplier<T> work) {
        return work.get();
    }
}
