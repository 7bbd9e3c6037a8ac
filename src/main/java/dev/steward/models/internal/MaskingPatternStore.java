package dev.steward.models.internal;

import dev.steward.shared.CurrentRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.hibernate.Session;

/** The tenant in scope's own masking patterns, in the order it gave them. */
@ApplicationScoped
class MaskingPatternStore {

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Transactional
    List<MaskingPatterns.Entry> list() {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT name, pattern FROM models.masking_patterns ORDER BY position")) {
                List<MaskingPatterns.Entry> patterns = new ArrayList<>();
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        patterns.add(new MaskingPatterns.Entry(row.getString("name"), row.getString("pattern")));
                    }
                }
                return patterns;
            }
        });
    }

    /** The patterns compiled for the masker. */
    @Transactional
    List<PiiMasker.CustomPattern> compiled() {
        return list().stream().map(entry -> new PiiMasker.CustomPattern(entry.name(), Pattern.compile(entry.pattern())))
                .toList();
    }

    /** Replaces all of the tenant's patterns with {@code patterns} (already checked), in one transaction. */
    @Transactional
    void replace(List<MaskingPatterns.Entry> patterns) {
        em.unwrap(Session.class).doWork(connection -> {
            // Two replacements at once take turns, rather than one failing on the other's rows.
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT pg_advisory_xact_lock(hashtext('masking-patterns:' || ?))")) {
                lock.setString(1, CurrentRequest.get().requireTenant().value().toString());
                lock.executeQuery().close();
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM models.masking_patterns")) {
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO models.masking_patterns"
                    + " (tenant_id, name, pattern, position) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < patterns.size(); i++) {
                    insert.setObject(1, CurrentRequest.get().requireTenant().value());
                    insert.setString(2, patterns.get(i).name());
                    insert.setString(3, patterns.get(i).pattern());
                    insert.setInt(4, i);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }
}
