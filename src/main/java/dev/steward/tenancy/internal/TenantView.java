package dev.steward.tenancy.internal;

import dev.steward.shared.RequestContext;
import dev.steward.shared.TenantId;
import java.time.Instant;

/** A tenant as the API shows it; {@code logTag} is the opaque tag its log lines carry. */
public record TenantView(String id, String slug, String name, String status, String logTag, Instant createdAt) {

    static TenantView of(Tenant tenant) {
        return new TenantView(tenant.id().toString(), tenant.slug(), tenant.name(), tenant.status().wireName(),
                RequestContext.tenantTag(tenant.id()), tenant.createdAt());
    }

    TenantId tenantId() {
        return TenantId.of(id);
    }
}
