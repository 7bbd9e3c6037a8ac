package dev.steward.tenancy.internal;

import dev.steward.shared.Logs;
import dev.steward.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/** API keys of the tenant in scope; row-level security keeps every query to that tenant's keys. */
@ApplicationScoped
class ApiKeyRegistry {

    private static final Logger LOG = Logs.of(ApiKeyRegistry.class);
    private static final String ALL = "select k from ApiKey k order by k.createdAt, k.id";

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Inject
    ApiKeyHasher hasher;

    // Outcomes are returned, not thrown: an exception leaving a transaction is an FFDC incident in Liberty, and a
    // client asking for an unknown id is no incident.

    /** Issues a key for the tenant in scope; empty when that tenant does not exist. */
    @Transactional
    Optional<IssuedApiKey> issue(TenantId tenant, String name, List<String> scopes) {
        return issue(tenant, name, scopes, ApiKeySecret.generate());
    }

    /** Stores a key with a given secret; used for the configured demo key. */
    @Transactional
    Optional<IssuedApiKey> issue(TenantId tenant, String name, List<String> scopes, ApiKeySecret secret) {
        if (em.find(Tenant.class, tenant.value()) == null) {
            return Optional.empty();
        }
        ApiKey key = new ApiKey(tenant, name, secret.prefix(), hasher.hash(secret), scopes);
        em.persist(key);
        LOG.info("API key " + key.id() + " issued");
        return Optional.of(new IssuedApiKey(key.id().toString(), tenant.toString(), key.name(), key.prefix(),
                key.scopes(), key.createdAt(), secret.fullKey()));
    }

    @Transactional
    List<ApiKeyView> list() {
        return em.createQuery(ALL, ApiKey.class).getResultStream().map(ApiKeyView::of).toList();
    }

    /** A page of {@link #list()}: from {@code offset}, at most {@code limit}. */
    @Transactional
    List<ApiKeyView> list(int offset, int limit) {
        return em.createQuery(ALL, ApiKey.class).setFirstResult(offset).setMaxResults(limit).getResultStream()
                .map(ApiKeyView::of).toList();
    }

    @Transactional
    boolean existsWithPrefix(String prefix) {
        return !em.createQuery("select k.id from ApiKey k where k.prefix = :prefix", UUID.class)
                .setParameter("prefix", prefix).getResultList().isEmpty();
    }

    /**
     * Revokes a key of the tenant in scope; false when there is none such (a key of another tenant is as unknown as
     * a key that never was).
     */
    @Transactional
    boolean revoke(UUID id) {
        ApiKey key = em.find(ApiKey.class, id);
        if (key == null) {
            return false;
        }
        key.revoke();
        LOG.info("API key " + id + " revoked");
        return true;
    }

    /** The tenant of any key, through the named cross-tenant path; for the operator's revocation. */
    @Transactional
    Optional<TenantId> tenantOf(UUID keyId) {
        Object tenant = em.createNativeQuery("SELECT tenancy.platform_find_api_key_tenant(?1)")
                .setParameter(1, keyId).getSingleResult();
        return Optional.ofNullable(tenant).map(value -> new TenantId((UUID) value));
    }
}
