package dev.steward.billing.api;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * What one session of the tenant in scope cost, from its metered model calls: the totals and the share of each model
 * (for the admin UI). Under the tenant's row-level security: another tenant's session costs nothing here.
 */
public interface SessionCosts {

    Cost of(UUID sessionId);

    /** Totals of the session's calls; {@code amount} in the installation's currency. */
    record Cost(long calls, long inputTokens, long outputTokens, long cachedTokens, BigDecimal amount,
                List<ByModel> byModel) {
    }

    /** One model's share, most expensive first. */
    record ByModel(String model, String provider, long calls, long inputTokens, long outputTokens,
                   long cachedTokens, BigDecimal amount, long failed) {
    }
}
