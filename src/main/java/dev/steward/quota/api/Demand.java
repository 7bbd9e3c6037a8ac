package dev.steward.quota.api;

import dev.steward.shared.TenantId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/**
 * What one job draws on if it runs now: its tenant, its agent (or null), its resource keys ({@code provider:<account>},
 * {@code channel:<account>}) and the model tokens it expects to spend.
 */
public record Demand(TenantId tenant, UUID agent, List<String> resources, int tokens) {

    public Demand {
        resources = List.copyOf(new LinkedHashSet<>(resources)); // a key named twice counts once
    }
}
