package dev.steward.orchestration.internal;

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
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The schedules' clock: one persistent EJB interval timer for the installation (Liberty runs it on one node at a
 * time and fails over) that fires the routing rules whose cron time has come, each in its tenant's scope. Cron's
 * granularity is a minute; the timer looks more often so that a fire time is late by at most its interval.
 */
@Singleton
public class ScheduleClock {

    private static final Logger LOG = Logs.of(ScheduleClock.class);
    private static final String NAME = "workflow-schedules";
    private static final int BATCH = 500;
    private static final RequestContext AS_SYSTEM = new RequestContext("workflow-schedules", null,
            Principal.system("workflow-schedules"), Set.of(), null, null);

    @Resource
    TimerService timers;

    @Inject
    Schedules schedules;

    @Inject
    TenantScope scope;

    @Inject
    @ConfigProperty(name = "steward.workflows.schedule-seconds", defaultValue = "15")
    long intervalSeconds;

    /** Observed inside a container transaction, which the timer's creation joins. */
    public void schedule(@Observes StewardStarted started) {
        try (CurrentRequest.Scope ignored = CurrentRequest.open(AS_SYSTEM)) {
            if (IntervalTimers.ensure(timers, NAME, Math.max(1, intervalSeconds), schedules::lockTimerCreation)) {
                LOG.info("Scheduled the workflow schedules' clock every " + intervalSeconds + " s");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not schedule the workflow schedules' clock", e);
        }
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void run(Timer timer) {
        tick();
    }

    /** Fires every schedule due now; returns how many fired. A failure is logged and retried at the next tick. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public int tick() {
        int fired = 0;
        try (CurrentRequest.Scope ignored = CurrentRequest.open(AS_SYSTEM)) {
            List<Schedules.Due> due = schedules.due(BATCH);
            for (Schedules.Due schedule : due) {
                try {
                    if (scope.call(schedule.tenant(), () -> schedules.fire(schedule.rule(), schedule.at()))) {
                        fired++;
                    }
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "A schedule could not fire; the next tick tries again", e);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The workflow schedules' clock failed; it runs again at the next interval", e);
        }
        return fired;
    }
}
