package dev.steward.admin.internal;

import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.TenantDirectory;
import dev.steward.tenancy.api.TenantSummary;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The tenant a tenant's page is about: one's own, or for those who run the platform the one they name. */
@ApplicationScoped
class TenantChoice {

    @Inject
    TenantDirectory tenants;

    Optional<TenantId> of(AdminUser user, String named) {
        if (user.tenantId() != null) {
            return Optional.of(new TenantId(user.tenantId()));
        }
        UUID id = uuid(named);
        return id == null || !tenants.exists(new TenantId(id)) ? Optional.empty() : Optional.of(new TenantId(id));
    }

    /** The tenants {@code user} may see: every one for those who run the platform, else their own. */
    List<TenantSummary> visibleTo(AdminUser user) {
        return user.tenantId() == null ? tenants.all()
                : tenants.find(new TenantId(user.tenantId())).stream().toList();
    }

    static UUID uuid(String text) {
        try {
            return text == null ? null : UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
