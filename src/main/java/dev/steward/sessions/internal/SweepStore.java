package dev.steward.sessions.internal;

import dev.steward.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.Session;

/** The timer's cross-tenant work, through the {@code sessions} schema's system-only functions. */
@ApplicationScoped
class SweepStore {

    private static final String LOCK_SCHEDULE = "SELECT pg_advisory_xact_lock(hashtext('steward-session-sweep'))";

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    /** A confirmation that expired, and where its turn is. */
    record Expired(TenantId tenant, UUID sessionId, UUID turnId, UUID confirmationId) {
    }

    @Transactional
    int evictExpired(int limit) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement evict = connection.prepareStatement("SELECT sessions.evict_expired(?)")) {
                evict.setInt(1, limit);
                try (ResultSet row = evict.executeQuery()) {
                    row.next();
                    return row.getInt(1);
                }
            }
        });
    }

    @Transactional
    List<Expired> expireConfirmations(int limit) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement expire = connection.prepareStatement(
                    "SELECT tenant_id, session_id, turn_id, confirmation_id FROM sessions.expire_confirmations(?)")) {
                expire.setInt(1, limit);
                List<Expired> expired = new ArrayList<>();
                try (ResultSet row = expire.executeQuery()) {
                    while (row.next()) {
                        expired.add(new Expired(new TenantId(row.getObject(1, UUID.class)),
                                row.getObject(2, UUID.class), row.getObject(3, UUID.class),
                                row.getObject(4, UUID.class)));
                    }
                }
                return expired;
            }
        });
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void lockSchedule() {
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement lock = connection.prepareStatement(LOCK_SCHEDULE)) {
                lock.executeQuery().close();
            }
        });
    }
}
