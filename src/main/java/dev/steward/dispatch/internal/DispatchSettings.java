package dev.steward.dispatch.internal;

import org.eclipse.microprofile.config.Config;

/**
 * The dispatcher's configuration, read once when it starts ({@code STEWARD_DISPATCH_WORKERS} and so on).
 *
 * @param enabled        run jobs on this node (off on a node that only serves the API)
 * @param workers        jobs this node runs at once
 * @param pollMillis     how long the dispatcher sleeps when no notification wakes it
 * @param leaseSeconds   a claimed job's lease, renewed every third of it while the job runs
 * @param rescueSeconds  how often expired leases are rescued and old jobs pruned (one timer for all nodes), and
 *                       each node's depth gauges refreshed
 * @param retentionHours how long completed and cancelled jobs are kept
 * @param prefetch       at most how many jobs of fast kinds this node claims beyond its free workers (0: none)
 * @param bufferWaitMillis how long a prefetched job may wait for a worker before it goes back to the queue
 */
record DispatchSettings(boolean enabled, int workers, long pollMillis, int leaseSeconds, int rescueSeconds,
                        int retentionHours, int prefetch, long bufferWaitMillis) {

    static DispatchSettings from(Config config) {
        return new DispatchSettings(
                config.getOptionalValue("steward.dispatch.enabled", Boolean.class).orElse(true),
                config.getOptionalValue("steward.dispatch.workers", Integer.class).orElse(8),
                config.getOptionalValue("steward.dispatch.poll-millis", Long.class).orElse(250L),
                config.getOptionalValue("steward.dispatch.lease-seconds", Integer.class).orElse(60),
                config.getOptionalValue("steward.dispatch.rescue-seconds", Integer.class).orElse(15),
                config.getOptionalValue("steward.dispatch.retention-hours", Integer.class).orElse(72),
                config.getOptionalValue("steward.dispatch.prefetch", Integer.class).orElse(256),
                config.getOptionalValue("steward.dispatch.buffer-wait-millis", Long.class).orElse(500L));
    }

    void validate() {
        // Leases are renewed every third of a lease from the dispatcher's loop, which may sleep up to four poll
        // intervals after a failure: renewal must still come before the lease runs out.
        boolean renewedInTime = pollMillis * 4 < leaseSeconds * 2000L / 3;
        // A buffered job is leased too: it must go back well before its lease could run out unrenewed.
        boolean handedBackInTime = bufferWaitMillis < leaseSeconds * 1000L / 2;
        if (workers < 1 || pollMillis < 1 || leaseSeconds < 3 || rescueSeconds < 1 || retentionHours < 0
                || prefetch < 0 || bufferWaitMillis < 1 || !renewedInTime || !handedBackInTime) {
            throw new IllegalStateException("invalid dispatch settings: " + this);
        }
    }
}
