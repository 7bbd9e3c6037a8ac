package dev.steward.dispatch.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The dispatcher's configuration ({@code STEWARD_DISPATCH_WORKERS} and so on), checked when it starts. Read it through
 * the methods: callers hold a CDI client proxy, whose own fields are never set.
 */
@ApplicationScoped
class DispatchSettings {

    /** Off on a node that should only serve the API. */
    @Inject
    @ConfigProperty(name = "steward.dispatch.enabled", defaultValue = "true")
    boolean enabled;

    /** Jobs this node runs at once. */
    @Inject
    @ConfigProperty(name = "steward.dispatch.workers", defaultValue = "8")
    int workers;

    /** How long the dispatcher sleeps when the queue had less work than it could take. */
    @Inject
    @ConfigProperty(name = "steward.dispatch.poll-millis", defaultValue = "250")
    long pollMillis;

    /** A claimed job's lease; renewed every third of it while the job runs. */
    @Inject
    @ConfigProperty(name = "steward.dispatch.lease-seconds", defaultValue = "60")
    int leaseSeconds;

    /** How often this node looks for jobs whose lease expired (a crashed node's). */
    @Inject
    @ConfigProperty(name = "steward.dispatch.rescue-seconds", defaultValue = "15")
    int rescueSeconds;

    boolean enabled() {
        return enabled;
    }

    int workers() {
        return workers;
    }

    long pollMillis() {
        return pollMillis;
    }

    int leaseSeconds() {
        return leaseSeconds;
    }

    int rescueSeconds() {
        return rescueSeconds;
    }

    /** How long finished (completed or cancelled) jobs stay before they are pruned. */
    @Inject
    @ConfigProperty(name = "steward.dispatch.retention-hours", defaultValue = "72")
    int retentionHours;

    int retentionHours() {
        return retentionHours;
    }

    void validate() {
        // Leases are renewed every third of a lease from the dispatcher's loop, which may sleep up to four poll
        // intervals after a failure: renewal must still come before the lease runs out.
        boolean renewedInTime = pollMillis * 4 < leaseSeconds * 2000L / 3;
        if (workers < 1 || pollMillis < 1 || leaseSeconds < 3 || rescueSeconds < 1 || retentionHours < 0
                || !renewedInTime) {
            throw new IllegalStateException("invalid dispatch settings: workers=" + workers + ", poll-millis="
                    + pollMillis + ", lease-seconds=" + leaseSeconds + ", rescue-seconds=" + rescueSeconds
                    + ", retention-hours=" + retentionHours);
        }
    }
}
