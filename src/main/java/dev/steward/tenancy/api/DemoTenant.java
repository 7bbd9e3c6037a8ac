package dev.steward.tenancy.api;

import dev.steward.shared.TenantId;
import java.util.Optional;

/** The demo tenant of a developer installation: slug {@value #SLUG}, reachable with a configured API key. */
public interface DemoTenant {

    String SLUG = "demo";

    /** Creates the demo tenant if it is missing, and makes {@code apiKey} one of its keys if it is not already. */
    void ensure(String apiKey);

    /** The demo tenant, if this installation has one. Must be called outside a transaction. */
    Optional<TenantId> find();
}
