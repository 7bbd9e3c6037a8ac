package dev.steward.agents.internal;

import dev.steward.shared.MasterKey;
import dev.steward.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The key Steward signs its requests to a remote agent with (HMAC-SHA256), derived from the master key, the tenant
 * and the agent: nothing to store, the same on every node, different for every agent. Changing the master key
 * changes every agent's key.
 */
@ApplicationScoped
class SigningKeys {

    static final String PURPOSE = "remote-agent-signing/v1";

    @Inject
    @ConfigProperty(name = "steward.master-key")
    Optional<String> masterKey;

    private volatile byte[] root;

    byte[] forAgent(TenantId tenant, UUID agentId) {
        byte[] key = root;
        if (key == null) {
            key = MasterKey.of(masterKey.orElse(null)).derive(PURPOSE);
            root = key;
        }
        return MasterKey.hmac(key, (tenant.value() + "/" + agentId).getBytes(StandardCharsets.UTF_8));
    }
}
