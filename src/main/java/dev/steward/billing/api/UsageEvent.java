package dev.steward.billing.api;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * One model call as metered: which model on which provider, for which agent version and session (when known), the
 * tokens counted, how long it took, what it cost, and whether it succeeded.
 */
public record UsageEvent(String model, String provider, UUID agentId, Integer agentVersion, String sessionId,
                         int inputTokens, int outputTokens, int cachedTokens, long latencyMillis, BigDecimal cost,
                         boolean succeeded) {
}
