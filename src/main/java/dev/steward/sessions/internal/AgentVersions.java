package dev.steward.sessions.internal;

import dev.steward.agents.api.AgentDefinition;
import dev.steward.agents.api.AgentDirectory;
import dev.steward.shared.CurrentRequest;
import dev.steward.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Agent versions as turns need them. A version never changes, so it is kept once read (per tenant: the key carries
 * it, and the read is made under that tenant's row-level security).
 */
@ApplicationScoped
class AgentVersions {

    private static final int MAX_KEPT = 10_000;

    private record Key(TenantId tenant, UUID agent, int version) {
    }

    @Inject
    AgentDirectory directory;

    private final Map<Key, AgentDefinition> kept = new ConcurrentHashMap<>();

    Optional<AgentDefinition> version(UUID agentId, int version) {
        Key key = new Key(CurrentRequest.get().requireTenant(), agentId, version);
        AgentDefinition known = kept.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<AgentDefinition> read = directory.version(agentId, version);
        if (read.isPresent()) {
            if (kept.size() >= MAX_KEPT) {
                kept.clear();
            }
            kept.put(key, read.get());
        }
        return read;
    }
}
