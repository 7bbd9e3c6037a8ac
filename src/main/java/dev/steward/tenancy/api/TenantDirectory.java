package dev.steward.tenancy.api;

import dev.steward.shared.TenantId;
import java.util.List;
import java.util.Optional;

/** Whether a tenant exists: for operator endpoints of other modules that act on a tenant named in the path. */
public interface TenantDirectory {

    /** Must be called outside a transaction (it opens one bound to that tenant). */
    boolean exists(TenantId tenant);

    /** Every tenant, oldest first, through the platform path: for the operator's own request or Steward itself. */
    List<TenantSummary> all();

    /** The tenant, in its own scope. */
    Optional<TenantSummary> find(TenantId tenant);
}
