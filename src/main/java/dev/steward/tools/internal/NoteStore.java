package dev.steward.tools.internal;

import dev.steward.shared.CurrentRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.hibernate.Session;

/** The notes {@code save_note} writes, once per call key. */
@ApplicationScoped
class NoteStore {

    private static final String SAVE = "WITH inserted AS (INSERT INTO tools.notes (tenant_id, call_key, text)"
            + " VALUES (?, ?, ?) ON CONFLICT (tenant_id, call_key) DO NOTHING RETURNING id)"
            + " SELECT id FROM inserted UNION ALL SELECT id FROM tools.notes WHERE call_key = ?";

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    /** The note's id: a new one, or the one an earlier call with the same key wrote. */
    @Transactional
    long save(String callKey, String text) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(SAVE)) {
                insert.setObject(1, CurrentRequest.get().requireTenant().value());
                insert.setString(2, callKey);
                insert.setString(3, text);
                insert.setString(4, callKey);
                try (ResultSet row = insert.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        });
    }
}
