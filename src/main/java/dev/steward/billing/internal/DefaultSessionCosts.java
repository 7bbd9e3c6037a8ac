package dev.steward.billing.internal;

import dev.steward.billing.api.SessionCosts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.Session;

/** {@link SessionCosts} over the usage events, grouped by model, in the tenant in scope. */
@ApplicationScoped
class DefaultSessionCosts implements SessionCosts {

    private static final String BY_MODEL = "SELECT model, provider, count(*) AS calls,"
            + " sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,"
            + " sum(cached_tokens) AS cached_tokens, sum(cost) AS cost, count(*) FILTER (WHERE outcome <> 'ok') AS failed"
            + " FROM billing.usage_events WHERE session_id = ? GROUP BY model, provider ORDER BY cost DESC, model";

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Override
    @Transactional
    public Cost of(UUID sessionId) {
        List<ByModel> byModel = em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement query = connection.prepareStatement(BY_MODEL)) {
                query.setString(1, sessionId.toString());
                List<ByModel> models = new ArrayList<>();
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        models.add(new ByModel(row.getString("model"), row.getString("provider"),
                                row.getLong("calls"), row.getLong("input_tokens"), row.getLong("output_tokens"),
                                row.getLong("cached_tokens"), row.getBigDecimal("cost"), row.getLong("failed")));
                    }
                }
                return models;
            }
        });
        return new Cost(byModel.stream().mapToLong(ByModel::calls).sum(),
                byModel.stream().mapToLong(ByModel::inputTokens).sum(),
                byModel.stream().mapToLong(ByModel::outputTokens).sum(),
                byModel.stream().mapToLong(ByModel::cachedTokens).sum(),
                byModel.stream().map(ByModel::amount).reduce(BigDecimal.ZERO, BigDecimal::add), byModel);
    }
}
