package dev.steward.quota.internal;

import dev.steward.audit.api.AuditEntry;
import dev.steward.audit.api.AuditTrail;
import dev.steward.quota.api.SpendLedger;
import dev.steward.shared.CurrentRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;

/**
 * The month's spend on the tenant's own usage row, starting again when the UTC month turns. A call that started in
 * the old month but is recorded after the new month's first one is not counted in either (a month never goes back).
 * A spend that crosses the soft alert share of the tenant's budget ({@code STEWARD_QUOTA_BUDGET_ALERT_PERCENT}, 80)
 * or the budget itself is put on the audit trail at that crossing: {@code budget.alert}, {@code budget.exhausted}
 * (the hard stop: admission then holds the tenant's model work until the month turns or the budget is raised).
 */
@ApplicationScoped
class DefaultSpendLedger implements SpendLedger {

    private static final String ADD = "INSERT INTO quota.usage AS u (tenant_id, subject, month, month_spent)"
            + " VALUES (?, 'tenant', date_trunc('month', now() AT TIME ZONE 'UTC')::date, ?)"
            + " ON CONFLICT (tenant_id, subject) DO UPDATE SET"
            + " month_spent = CASE WHEN u.month = excluded.month THEN u.month_spent + excluded.month_spent"
            + " WHEN u.month > excluded.month THEN u.month_spent ELSE excluded.month_spent END,"
            + " month = greatest(u.month, excluded.month)"
            + " RETURNING month_spent, month = date_trunc('month', now() AT TIME ZONE 'UTC')::date AS this_month";
    private static final String BUDGET = "SELECT monthly_budget FROM quota.limits WHERE subject = 'tenant'"
            + " AND monthly_budget IS NOT NULL";

    private static final String SPENT = "SELECT CASE WHEN u.month = date_trunc('month', now() AT TIME ZONE 'UTC')::date"
            + " THEN u.month_spent ELSE 0 END >= l.monthly_budget"
            + " FROM quota.limits l LEFT JOIN quota.usage u ON u.tenant_id = l.tenant_id AND u.subject = l.subject"
            + " WHERE l.subject = 'tenant' AND l.monthly_budget IS NOT NULL";

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Inject
    AuditTrail audit;

    @Inject
    @ConfigProperty(name = "steward.quota.budget-alert-percent", defaultValue = "80")
    int alertPercent;

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
        // The row's lock (the upsert's) orders concurrent calls; what it held before is the total less this call.
        BigDecimal[] spent = em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement add = connection.prepareStatement(ADD)) {
                add.setObject(1, CurrentRequest.get().requireTenant().value());
                add.setBigDecimal(2, amount);
                try (ResultSet row = add.executeQuery()) {
                    row.next();
                    if (!row.getBoolean("this_month")) {
                        return null; // a call of the month before, counted in neither
                    }
                    BigDecimal after = row.getBigDecimal("month_spent");
                    return new BigDecimal[]{after.subtract(amount), after, single(connection, BUDGET)};
                }
            }
        });
        if (spent == null) {
            return;
        }
        BigDecimal budget = spent[2];
        if (budget == null) {
            return;
        }
        BigDecimal alertAt = budget.multiply(BigDecimal.valueOf(alertPercent)).movePointLeft(2);
        if (crossed(spent[0], spent[1], budget)) {
            audit.record(AuditEntry.of("budget.exhausted", details(budget, spent[1]).build()));
        } else if (crossed(spent[0], spent[1], alertAt)) {
            audit.record(AuditEntry.of("budget.alert", details(budget, spent[1]).add("alertPercent", alertPercent)
                    .build()));
        }
    }

    private static boolean crossed(BigDecimal before, BigDecimal after, BigDecimal line) {
        return before.compareTo(line) < 0 && after.compareTo(line) >= 0;
    }

    private static JsonObjectBuilder details(BigDecimal budget, BigDecimal spent) {
        return Json.createObjectBuilder().add("monthlyBudget", budget).add("spent", spent);
    }

    private static BigDecimal single(Connection connection, String sql) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql); ResultSet row = query.executeQuery()) {
            return row.next() ? row.getBigDecimal(1) : null;
        }
    }
}
