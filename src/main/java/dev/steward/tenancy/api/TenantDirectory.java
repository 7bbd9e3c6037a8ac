package dev.steward.tenancy.api;

import dev.steward.shared.TenantId;

/** Whether a tenant exists: for operator endpoints of other modules that act on a tenant named in the path. */
public interface TenantDirectory {

    /** Must be called outside a transaction (it opens one bound to that tenant). */
    boolean exists(TenantId tenant);
}
