package dev.steward.sessions.internal;

import dev.steward.shared.CurrentRequest;
import dev.steward.shared.IntervalTimers;
import dev.steward.shared.Logs;
import dev.steward.shared.Principal;
import dev.steward.shared.RequestContext;
import dev.steward.shared.StewardStarted;
import dev.steward.tenancy.api.TenantScope;
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

/**
 * Sessions' timer: one persistent EJB interval timer for the installation (Liberty runs it on one node at a time
 * and fails over), created after start-up under an advisory lock. Each run evicts sessions idle past their TTL, in
 * batches, and expires confirmations nobody decided in time, resuming their turns (the call is answered as not
 * approved). Failures are logged; the next run tries again.
 */
@Singleton
public class SessionSweeper {

    private static final Logger LOG = Logs.of(SessionSweeper.class);
    private static final String NAME = "sessions-sweep";
    private static final int BATCH = 5000;
    private static final int MAX_BATCHES = 100;
    private static final RequestContext AS_SYSTEM = new RequestContext("sessions-sweep", null,
            Principal.system("sessions-sweep"), Set.of(), null, null);

    @Resource
    TimerService timers;

    @Inject
    SweepStore store;

    @Inject
    SessionService sessions;

    @Inject
    TenantScope scope;

    @Inject
    SessionSettings settings;

    /** Observed inside a container transaction, which the timer's creation joins. */
    public void schedule(@Observes StewardStarted started) {
        long seconds = settings.sweepInterval().toSeconds();
        try (CurrentRequest.Scope ignored = CurrentRequest.open(AS_SYSTEM)) {
            if (IntervalTimers.ensure(timers, NAME, seconds, store::lockSchedule)) {
                LOG.info("Scheduled the sessions' sweep every " + seconds + " s");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not schedule the sessions' sweep", e);
        }
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void run(Timer timer) {
        sweep();
    }

    /** Evicts what is idle past its time and expires what waited too long; returns the sessions evicted. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public int sweep() {
        int evicted = 0;
        try (CurrentRequest.Scope ignored = CurrentRequest.open(AS_SYSTEM)) {
            for (int batch = 0; batch < MAX_BATCHES; batch++) {
                int count = store.evictExpired(BATCH);
                evicted += count;
                if (count < BATCH) {
                    break;
                }
            }
            if (evicted > 0) {
                LOG.info("Evicted " + evicted + " idle sessions");
            }
            for (SweepStore.Expired expired : store.expireConfirmations(BATCH)) {
                try {
                    scope.run(expired.tenant(), () -> sessions.expired(expired.sessionId(),
                            expired.confirmationId()));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "A turn whose confirmation expired could not be resumed", e);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The sessions' sweep failed; it runs again at the next interval", e);
        }
        return evicted;
    }
}
