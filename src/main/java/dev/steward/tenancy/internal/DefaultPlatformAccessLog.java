package dev.steward.tenancy.internal;

import dev.steward.tenancy.api.PlatformAccessLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/** {@link PlatformAccessLog} through {@code tenancy.note_platform_access}, which checks the principal again. */
@ApplicationScoped
class DefaultPlatformAccessLog implements PlatformAccessLog {

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Override
    @Transactional
    public void note(String operation, String target) {
        em.createNativeQuery("SELECT tenancy.note_platform_access(?1, ?2)").setParameter(1, operation)
                .setParameter(2, target).getSingleResult();
    }
}
