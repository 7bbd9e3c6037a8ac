package dev.steward.admin.internal;

import dev.steward.dispatch.api.Priority;
import dev.steward.dispatch.api.QueueOverview.TierLoad;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One line of the live queue table: a tier, for one tenant ({@code tenant} its slug) or for all those shown
 * ({@code tenant} null). Public, as the page reads it.
 *
 * @param oldestWaitSeconds how long the oldest due job has waited; -1 when none waits
 */
public record QueueLoad(String tenant, String tenantId, Priority tier, long waiting, long scheduled, long running,
                        long oldestWaitSeconds, long completedLastFiveMinutes, long deadLetters) {

    /** Throughput: jobs completed per minute over the last five minutes. */
    public double perMinute() {
        return completedLastFiveMinutes / 5.0;
    }

    static QueueLoad of(TierLoad load, String tenantSlug, Instant now) {
        return new QueueLoad(tenantSlug, load.tenantId().toString(), load.tier(), load.waiting(), load.scheduled(),
                load.running(), waitSeconds(load.oldestWaiting(), now), load.completedLastFiveMinutes(),
                load.deadLetters());
    }

    /** Each tier's totals over {@code loads}, P0 first; tiers with nothing in them are left out. */
    static List<QueueLoad> byTier(Collection<TierLoad> loads, Instant now) {
        Map<Priority, QueueLoad> tiers = new EnumMap<>(Priority.class);
        for (TierLoad load : loads) {
            QueueLoad line = new QueueLoad(null, null, load.tier(), load.waiting(), load.scheduled(), load.running(),
                    waitSeconds(load.oldestWaiting(), now), load.completedLastFiveMinutes(),
                    load.deadLetters());
            tiers.merge(load.tier(), line, QueueLoad::plus);
        }
        return List.copyOf(tiers.values());
    }

    private QueueLoad plus(QueueLoad other) {
        return new QueueLoad(null, null, tier, waiting + other.waiting, scheduled + other.scheduled,
                running + other.running, Math.max(oldestWaitSeconds, other.oldestWaitSeconds),
                completedLastFiveMinutes + other.completedLastFiveMinutes, deadLetters + other.deadLetters);
    }

    private static long waitSeconds(Instant oldest, Instant now) {
        return oldest == null ? -1 : Math.max(0, Duration.between(oldest, now).toSeconds());
    }
}
