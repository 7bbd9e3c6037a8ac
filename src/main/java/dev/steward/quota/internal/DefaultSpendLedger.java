package dev.steward.quota.internal;

import dev.steward.quota.api.SpendLedger;
import dev.steward.shared.CurrentRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import org.hibernate.Session;

/** The month's spend on the tenant's own usage row, starting again when the UTC month turns. */
@ApplicationScoped
class DefaultSpendLedger implements SpendLedger {

    private static final String ADD = "INSERT INTO quota.usage AS u (tenant_id, subject, month, month_spent)"
            + " VALUES (?, 'tenant', date_trunc('month', now() AT TIME ZONE 'UTC')::date, ?)"
            + " ON CONFLICT (tenant_id, subject) DO UPDATE SET"
            + " month_spent = CASE WHEN u.month = excluded.month THEN u.month_spent + excluded.month_spent"
            + " ELSE excluded.month_spent END, month = excluded.month";

    @PersistenceContext(unitName = "steward")
    EntityManager em;

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
