package dev.steward.tenancy.internal;

import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.TenantStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import org.hibernate.exception.ConstraintViolationException;

/**
 * Tenants, seen through row-level security: inside a tenant scope only that tenant's own row is visible, so
 * {@link #find} needs no cross-tenant access. Listing all tenants goes through the named platform path.
 */
@ApplicationScoped
class TenantRegistry {

    private static final String SLUG_UNIQUE = "tenants_slug_key";

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    /** Runs in the new tenant's scope: the row it inserts is its own, as the policy's check demands. */
    @Transactional
    TenantView create(TenantId id, String slug, String name) {
        Tenant tenant = new Tenant(id, slug, name);
        em.persist(tenant);
        try {
            em.flush();
        } catch (PersistenceException e) {
            ConstraintViolationException violation = e instanceof ConstraintViolationException direct ? direct
                    : e.getCause() instanceof ConstraintViolationException cause ? cause : null;
            if (violation != null && SLUG_UNIQUE.equals(violation.getConstraintName())) {
                throw new ProblemException(ProblemType.CONFLICT, "A tenant with slug '" + slug + "' already exists");
            }
            throw e;
        }
        return TenantView.of(tenant);
    }

    @Transactional
    Optional<TenantView> find(TenantId id) {
        return Optional.ofNullable(em.find(Tenant.class, id.value())).map(TenantView::of);
    }

    /** Empty when the tenant in scope does not exist. */
    @Transactional
    Optional<TenantView> changeStatus(TenantId id, TenantStatus status) {
        Tenant tenant = em.find(Tenant.class, id.value());
        if (tenant != null) {
            tenant.changeStatus(status);
        }
        return Optional.ofNullable(tenant).map(TenantView::of);
    }

    /** Every tenant, through the named cross-tenant path (an audited SECURITY DEFINER function). */
    @Transactional
    @SuppressWarnings("unchecked")
    List<TenantView> listAll() {
        return ((List<Tenant>) em.createNativeQuery("SELECT * FROM tenancy.platform_list_tenants()", Tenant.class)
                .getResultList()).stream().map(TenantView::of).toList();
    }
}
