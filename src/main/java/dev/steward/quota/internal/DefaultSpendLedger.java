package dev.steward.quota.internal;

import dev.steward.quota.api.SpendLedger;
import dev.steward.shared.CurrentRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.hibernate.Session;

/**
 * The month's spend on the tenant's own usage row, starting again when the UTC month turns. A call that started in
 * the old month but is recorded after the new month's first one is not counted in either (a month never goes back).
 */
@ApplicationScoped
class DefaultSpendLedger implements SpendLedger {

    private static final String ADD = "INSERT INTO quota.usage AS u (tenant_id, subject, month, month_spent)"
            + " VALUES (?, 'tenant', date_trunc('month', now() AT TIME ZONE 'UTC')::date, ?)"
            + " ON CONFLICT (tenant_id, subject) DO UPDATE SET"
            + " month_spent = CASE WHEN u.month = excluded.month THEN u.month_spent + excluded.month_spent"
            + " WHEN u.month > excluded.month THEN u.month_spent ELSE excluded.month_spent END,"
            + " month = greatest(u.month, excluded.month)";

    private static final String SPENT = "SELECT CASE WHEN u.month = date_trunc('month', now() AT TIME ZONE 'UTC')::date"
            + " THEN u.month_spent ELSE 0 END >= l.monthly_budget"
            + " FROM quota.limits l LEFT JOIN quota.usage u ON u.tenant_id = l.tenant_id AND u.subject = l.subject"
            + " WHERE l.subject = 'tenant' AND l.monthly_budget IS NOT NULL";

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Override
    @Transactional
    public boolean budgetSpent() {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement query = connection.prepareStatement(SPENT)) {
                try (ResultSet row = query.executeQuery()) {
                    return row.next() && row.getBoolean(1);
                }
            }
        });
    }

    @Override
    @Transactional
    public void add(BigDecimal amount) {
        if (amount.signum() <= 0) {
            return;
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement add = connection.prepareStatement(ADD)) {
                add.setObject(1, CurrentRequest.get().requireTenant().value());
                add.setBigDecimal(2, amount);
                add.executeUpdate();
            }
        });
    }
}
