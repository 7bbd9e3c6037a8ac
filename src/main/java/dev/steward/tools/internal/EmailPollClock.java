package dev.steward.tools.internal;

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
 * Inbound mail's clock: one persistent EJB interval timer for the installation (Liberty runs it on one node at a
 * time and fails it over) that queues an {@code email.poll} job for each mailbox whose poll is due, in its tenant's
 * scope. The polls themselves run on the queue, under its fairness and limits, on any node.
 */
@Singleton
public class EmailPollClock {

    private static final Logger LOG = Logs.of(EmailPollClock.class);
    private static final String NAME = "email-polls";
    private static final int BATCH = 500;
    private static final RequestContext AS_SYSTEM = new RequestContext("email-polls", null,
            Principal.system("email-polls"), Set.of(), null, null);

    @Resource
    TimerService timers;

    @Inject
    EmailAccounts accounts;

    @Inject
    EmailPollJobs polls;

    @Inject
    TenantScope scope;

    /** Observed inside a container transaction, which the timer's creation joins. */
    public void schedule(@Observes StewardStarted started) {
        try (CurrentRequest.Scope ignored = CurrentRequest.open(AS_SYSTEM)) {
            if (IntervalTimers.ensure(timers, NAME, polls.intervalSeconds(), accounts::lockTimerCreation)) {
                LOG.info("Scheduled the inbound mail clock every " + polls.intervalSeconds() + " s");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not schedule the inbound mail clock", e);
        }
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void run(Timer timer) {
        try (CurrentRequest.Scope ignored = CurrentRequest.open(AS_SYSTEM)) {
            for (EmailAccounts.DuePoll due : accounts.due(BATCH)) {
                try {
                    scope.run(due.tenant(), () -> polls.queue(due.account(), due.dueAt()));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "A mailbox poll could not be queued; the next tick tries again", e);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The inbound mail clock failed; it runs again at the next interval", e);
        }
    }
}
