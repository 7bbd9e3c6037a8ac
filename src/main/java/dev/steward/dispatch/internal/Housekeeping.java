package dev.steward.dispatch.internal;

import dev.steward.shared.CurrentRequest;
import dev.steward.shared.IntervalTimers;
import dev.steward.shared.Logs;
import dev.steward.shared.Principal;
import dev.steward.shared.RequestContext;
import dev.steward.shared.StewardStarted;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * The queue's housekeeping on one persistent EJB interval timer for the whole installation: it returns jobs whose
 * lease expired (a node died mid-job) and prunes old finished jobs. Liberty runs the timer on one node at a time and,
 * with the persistent executor's missed-task threshold set, lets another node take over when that one stops. The
 * timer is created after Steward has started (roles and schemas in place), once: creation is serialised across nodes
 * by an advisory lock in the creating transaction. Its name carries the interval, so a changed interval replaces it.
 */
@Singleton
public class Housekeeping {

    private static final Logger LOG = Logs.of(Housekeeping.class);
    private static final String NAME = "dispatch-housekeeping";
    private static final RequestContext AS_SYSTEM = new RequestContext("housekeeping", null,
            Principal.system("housekeeping"), Set.of(), null, null);

    @Resource
    TimerService timers;

    @Inject
    JobStore store;

    @Inject
    Config config;

    /**
     * Observed inside a container transaction, which the timer's creation joins. A failure here is logged, not
     * thrown: it must not take the node out of service, and another node (or the next start) schedules it.
     */
    public void schedule(@Observes StewardStarted started) {
        DispatchSettings settings = DispatchSettings.from(config);
        try (CurrentRequest.Scope ignored = CurrentRequest.open(AS_SYSTEM)) {
            settings.validate();
            if (IntervalTimers.ensure(timers, NAME, settings.rescueSeconds(), store::lockHousekeepingSchedule)) {
                LOG.info("Scheduled the queue's housekeeping every " + settings.rescueSeconds() + " s");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not schedule the queue's housekeeping (expired leases are not rescued"
                    + " from this node until it is)", e);
        }
    }

    /** Failures are logged and the next run tries again: the timer must never exhaust its retries and stop. */
    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void run(Timer timer) {
        DispatchSettings settings = DispatchSettings.from(config);
        try (CurrentRequest.Scope ignored = CurrentRequest.open(AS_SYSTEM)) {
            int rescued = store.rescueExpired(1000);
            if (rescued > 0) {
                LOG.info("Rescued " + rescued + " jobs whose lease expired");
            }
            // Batches until the backlog is gone (bounded, so that one run stays short).
            for (int round = 0; round < 20 && store.pruneFinished(settings.retentionHours(), 5000) == 5000;
                 round++) {
                LOG.fine("Pruned a batch of finished jobs");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The queue's housekeeping failed; it runs again in " + settings.rescueSeconds()
                    + " s", e);
        }
    }
}
