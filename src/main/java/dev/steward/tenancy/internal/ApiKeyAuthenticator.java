package dev.steward.tenancy.internal;

import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.TenantStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Finds the key a bearer token names. The lookup crosses tenants by nature (the tenant is what it finds out), so
 * it goes through {@code tenancy.authenticate_api_key}, which matches prefix and hash together and so can return
 * nothing but the caller's own key. No cache: a revoked key or a suspended tenant stops working at once.
 */
@ApplicationScoped
class ApiKeyAuthenticator {

    record Authenticated(UUID keyId, TenantId tenant, Set<String> scopes, TenantStatus tenantStatus) {
    }

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Inject
    ApiKeyHasher hasher;

    @Transactional
    Optional<Authenticated> authenticate(String bearer) {
        Optional<ApiKeySecret> secret = ApiKeySecret.parse(bearer);
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT key_id, tenant_id, array_to_string(scopes, ' '),"
                        + " tenant_status FROM tenancy.authenticate_api_key(?1, ?2)")
                .setParameter(1, secret.get().prefix())
                .setParameter(2, hasher.hash(secret.get()))
                .getResultList();
        return rows.stream().findFirst().map(row -> new Authenticated(
                (UUID) row[0],
                new TenantId((UUID) row[1]),
                Set.copyOf(Arrays.asList(((String) row[2]).split(" "))),
                TenantStatus.fromWire((String) row[3])));
    }
}
