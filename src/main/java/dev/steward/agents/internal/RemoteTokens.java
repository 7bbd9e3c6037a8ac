package dev.steward.agents.internal;

import dev.steward.shared.CredentialCipher;
import dev.steward.shared.CurrentRequest;
import dev.steward.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The bearer tokens remote A2A agents are called with: sealed with the master key, bound to tenant and agent, kept
 * on the agent (not on its versions, which diffs show) and never returned by the API.
 */
@ApplicationScoped
class RemoteTokens {

    private static final String PURPOSE = "agent-tokens/v1";

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Inject
    @ConfigProperty(name = "steward.master-key")
    Optional<String> masterKey;


    /** Replaces the agent's token, in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    void put(UUID agent, String token) {
        em.createNativeQuery("UPDATE agents.agents SET remote_token = ?1 WHERE id = ?2")
                .setParameter(1, cipher().encrypt(token, boundTo(CurrentRequest.get().requireTenant(), agent)))
                .setParameter(2, agent).executeUpdate();
    }

    /** Forgets the agent's token, in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    void clear(UUID agent) {
        em.createNativeQuery("UPDATE agents.agents SET remote_token = NULL WHERE id = ?1").setParameter(1, agent)
                .executeUpdate();
    }

    @Transactional
    Optional<String> get(UUID agent) {
        List<?> rows = em.createNativeQuery("SELECT remote_token FROM agents.agents WHERE id = ?1")
                .setParameter(1, agent).getResultList();
        if (rows.isEmpty() || rows.get(0) == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(cipher().decrypt((byte[]) rows.get(0), boundTo(CurrentRequest.get().requireTenant(),
                    agent)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the remote token of agent " + agent + " does not decrypt (was"
                    + " STEWARD_MASTER_KEY changed?)", e);
        }
    }

    private static String boundTo(TenantId tenant, UUID agent) {
        return tenant + "/" + agent;
    }

    private CredentialCipher cipher() {
        return CredentialCipher.of(masterKey, PURPOSE);
    }
}
