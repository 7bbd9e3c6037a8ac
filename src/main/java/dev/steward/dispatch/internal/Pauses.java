package dev.steward.dispatch.internal;

import dev.steward.quota.api.AgentKey;
import dev.steward.shared.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Tenants and agents this node found at their concurrency limit, which its claims pass over for a moment: a
 * saturated tenant's backlog would otherwise be claimed only to be held back again, batch after batch. While a
 * tenant is paused, each of this node's jobs for it whose outcome is recorded gives it room for one more, and the
 * claim takes at most that many of its jobs (a cap), so a tenant at its limit runs at its limit without its backlog
 * being claimed and held back; an agent's pause simply ends when one of its jobs is recorded. Pauses end at the
 * recheck time admission gave (another node's job may have finished). Admission still decides, so a cap that proves
 * too generous costs a deferral, never a broken limit.
 */
final class Pauses {

    /** Until when, and how many jobs may be claimed meanwhile. */
    private record Pause(Instant until, int room) {
    }

    private final Map<TenantId, Pause> tenants = new ConcurrentHashMap<>();
    private final Map<AgentKey, Instant> agents = new ConcurrentHashMap<>();

    void pause(Set<TenantId> saturatedTenants, Set<AgentKey> saturatedAgents, Instant until) {
        saturatedTenants.forEach(tenant -> tenants.put(tenant, new Pause(until, 0)));
        saturatedAgents.forEach(agent -> agents.put(agent, until));
    }

    /**
     * One of this node's jobs for the tenant (and agent) is no longer running as the queue counts it (its outcome was
     * recorded, or it went back to the queue): room for one more.
     */
    void finished(TenantId tenant, UUID agent) {
        tenants.computeIfPresent(tenant, (t, pause) -> new Pause(pause.until(), pause.room() + 1));
        if (agent != null) {
            agents.remove(new AgentKey(tenant, agent));
        }
    }

    /** The claim took these jobs: they use up their tenants' room. */
    void claimed(List<JobRow> jobs) {
        for (JobRow job : jobs) {
            tenants.computeIfPresent(job.tenant(), (t, pause) -> new Pause(pause.until(), Math.max(0,
                    pause.room() - 1)));
        }
    }

    /** Tenants to pass over: paused with no room. */
    Set<TenantId> tenants() {
        return current().entrySet().stream().filter(e -> e.getValue().room() == 0).map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Tenants to take at most so many jobs of: paused, with room. */
    Map<TenantId, Integer> caps() {
        return current().entrySet().stream().filter(e -> e.getValue().room() > 0)
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> e.getValue().room()));
    }

    /** Whether any tenant or agent is paused (a finished job may give it room). */
    boolean any() {
        return !tenants.isEmpty() || !agents.isEmpty();
    }

    Set<AgentKey> agents() {
        if (agents.isEmpty()) {
            return Set.of();
        }
        Instant now = Instant.now();
        agents.values().removeIf(until -> !until.isAfter(now));
        return agents.keySet().stream().collect(Collectors.toUnmodifiableSet());
    }

    private Map<TenantId, Pause> current() {
        if (tenants.isEmpty()) {
            return Map.of();
        }
        Instant now = Instant.now();
        tenants.values().removeIf(pause -> !pause.until().isAfter(now));
        return tenants;
    }
}
