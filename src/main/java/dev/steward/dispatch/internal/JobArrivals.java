package dev.steward.dispatch.internal;

import dev.steward.dispatch.api.Priority;
import dev.steward.tenancy.api.DatabaseNotifications;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * Wakes this node's dispatcher whenever jobs are inserted on any node: each node's {@link JobAnnouncer} (and the
 * {@code jobs_added} trigger, for inserts made outside Steward) notifies the {@code steward_jobs} channel with the
 * highest priority inserted and, when later than now, the moment the first of them is due ({@code 0:} is a P0 due
 * now, {@code 2:1765000000000} P2 work due then). A P0 due now wakes the dispatcher urgently. Should the listening
 * connection break, the dispatcher's polling covers.
 */
@ApplicationScoped
class JobArrivals {

    @Inject
    DatabaseNotifications notifications;

    @Inject
    Dispatcher dispatcher;

    private boolean started;

    synchronized void start() {
        if (!started) {
            started = true;
            notifications.subscribe(JobAnnouncer.CHANNEL, payload -> arrived(payload.orElse("")));
        }
    }

    private void arrived(String payload) {
        int colon = payload.indexOf(':');
        String priority = colon < 0 ? "" : payload.substring(0, colon);
        String due = colon < 0 ? payload : payload.substring(colon + 1);
        try {
            if (!due.isEmpty()) {
                dispatcher.wakeAt(Instant.ofEpochMilli(Long.parseLong(due)));
            } else if (priority.equals(String.valueOf(Priority.P0.level()))) {
                dispatcher.wakeUrgently();
            } else {
                dispatcher.wake();
            }
        } catch (NumberFormatException e) {
            dispatcher.wake();
        }
    }
}
