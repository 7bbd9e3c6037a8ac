package dev.steward.quota.api;

import dev.steward.shared.TenantId;
import java.util.List;
import java.util.Set;
import java.time.Instant;

/**
 * The verdicts for a batch, in the batch's order, and the tenants and agents found at their concurrency limit: a
 * dispatcher passes over those until {@code recheckAt} instead of claiming more of their jobs only to hold them
 * back.
 */
public record Admission(List<Verdict> verdicts, Set<TenantId> saturatedTenants, Set<AgentKey> saturatedAgents,
                        Instant recheckAt) {

    public Admission {
        verdicts = List.copyOf(verdicts);
        saturatedTenants = Set.copyOf(saturatedTenants);
        saturatedAgents = Set.copyOf(saturatedAgents);
    }
}
