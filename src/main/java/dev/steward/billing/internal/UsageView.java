package dev.steward.billing.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** {@code GET /api/v1/usage}: the newest matching events and the totals of all matching ones. */
public record UsageView(List<Event> events, Totals totals) {

    /** One metered model call; {@code cost} in the installation's currency. */
    public record Event(String id, Instant occurredAt, String model, String provider, UUID agentId,
                        Integer agentVersion, String sessionId, int inputTokens, int outputTokens, int cachedTokens,
                        int latencyMs, BigDecimal cost, String outcome) {
    }

    public record Totals(long calls, long inputTokens, long outputTokens, long cachedTokens, BigDecimal cost) {
    }
}
