package dev.steward.dispatch.internal;

import dev.steward.quota.api.AgentKey;
import dev.steward.shared.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Tenants and agents this node found at their concurrency limit, which its claims pass over for a moment: a
 * saturated tenant's backlog would otherwise be claimed only to be held back again, batch after batch. A pause ends
 * when one of this node's jobs for it finishes (room is likely) or at the recheck time admission gave (another node's
 * job may have finished); admission still decides, so a pause that ends early costs one deferral, never a broken
 * limit.
 */
final class Pauses {

    private final Map<TenantId, Instant> tenants = new ConcurrentHashMap<>();
    private final Map<AgentKey, Instant> agents = new ConcurrentHashMap<>();

    void pause(Set<TenantId> saturatedTenants, Set<AgentKey> saturatedAgents, Instant until) {
        saturatedTenants.forEach(tenant -> tenants.put(tenant, until));
        saturatedAgents.forEach(agent -> agents.put(agent, until));
    }

    /** One of this node's jobs for the tenant (and agent) finished. */
    void finished(TenantId tenant, UUID agent) {
        tenants.remove(tenant);
        if (agent != null) {
            agents.remove(new AgentKey(tenant, agent));
        }
    }

    Set<TenantId> tenants() {
        return current(tenants);
    }

    Set<AgentKey> agents() {
        return current(agents);
    }

    private static <K> Set<K> current(Map<K, Instant> pauses) {
        if (pauses.isEmpty()) {
            return Set.of();
        }
        Instant now = Instant.now();
        pauses.values().removeIf(until -> !until.isAfter(now));
        return pauses.keySet().stream().collect(Collectors.toUnmodifiableSet());
    }
}
