package dev.steward.dispatch.internal;

import dev.steward.dispatch.api.Priority;
import dev.steward.dispatch.api.QueueOverview;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.Session;

/** {@link QueueOverview} from {@code dispatch.queue_overview()} (V28), which decides whose jobs the caller sees. */
@ApplicationScoped
class DefaultQueueOverview implements QueueOverview {

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Override
    @Transactional
    public List<TierLoad> now() {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            List<TierLoad> loads = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT tenant_id, priority, waiting,"
                    + " scheduled, running, oldest_waiting, completed_5m, dead FROM dispatch.queue_overview()"
                    + " ORDER BY priority, tenant_id");
                 ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    Timestamp oldest = row.getTimestamp("oldest_waiting");
                    loads.add(new TierLoad(row.getObject("tenant_id", UUID.class),
                            Priority.ofLevel(row.getInt("priority")), row.getLong("waiting"),
                            row.getLong("scheduled"), row.getLong("running"),
                            oldest == null ? null : oldest.toInstant(), row.getLong("completed_5m"),
                            row.getLong("dead")));
                }
            }
            return loads;
        });
    }
}
