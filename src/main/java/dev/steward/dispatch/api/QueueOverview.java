package dev.steward.dispatch.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The queue right now, for the admin UI: per tenant and tier, what waits, what is scheduled, what runs, how long
 * the oldest waiting job has waited, throughput and dead letters. The operator (and Steward itself) sees every
 * tenant; anyone else only the tenant in scope.
 */
public interface QueueOverview {

    List<TierLoad> now();

    /**
     * @param oldestWaiting the due time of the oldest job that is due and not yet claimed; null when none waits
     * @param completedLastFiveMinutes jobs completed in the last five minutes (throughput)
     */
    record TierLoad(UUID tenantId, Priority tier, long waiting, long scheduled, long running, Instant oldestWaiting,
                    long completedLastFiveMinutes, long deadLetters) {
    }
}
