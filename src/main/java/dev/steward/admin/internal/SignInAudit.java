package dev.steward.admin.internal;

import dev.steward.audit.api.AuditEntry;
import dev.steward.audit.api.AuditTrail;
import dev.steward.shared.CurrentRequest;
import dev.steward.shared.RequestContext;
import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.PlatformAccessLog;
import dev.steward.tenancy.api.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import java.util.Set;

/**
 * Signing in and out, audited as the person who did it: in their tenant's trail ({@code admin.signed-in},
 * {@code admin.signed-out}), or for those who run the platform, who have no tenant, in the platform's access log.
 */
@ApplicationScoped
class SignInAudit {

    @Inject
    AuditTrail audit;

    @Inject
    PlatformAccessLog platformLog;

    @Inject
    TenantScope scope;

    void signedIn(AdminUser user) {
        record(user, "admin.signed-in");
    }

    void signedOut(AdminUser user) {
        record(user, "admin.signed-out");
    }

    private void record(AdminUser user, String action) {
        TenantId tenant = user.tenantId() == null ? null : new TenantId(user.tenantId());
        RequestContext asThePerson = CurrentRequest.get().withPrincipal(AdminFilter.principal(user), tenant, Set.of());
        try (CurrentRequest.Scope ignored = CurrentRequest.open(asThePerson)) {
            if (tenant == null) {
                platformLog.note(action, user.email());
            } else {
                scope.run(tenant, () -> audit.record(AuditEntry.of(action,
                        Json.createObjectBuilder().add("role", user.role()).build())));
            }
        }
    }
}
