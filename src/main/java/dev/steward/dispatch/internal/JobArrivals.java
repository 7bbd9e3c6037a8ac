package dev.steward.dispatch.internal;

import dev.steward.tenancy.api.DatabaseNotifications;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * Wakes this node's dispatcher whenever jobs are inserted on any node: the {@code jobs_added} trigger notifies the
 * {@code steward_jobs} channel, with the moment the first of them is due when that is later. Should the listening
 * connection break, the dispatcher's polling covers.
 */
@ApplicationScoped
class JobArrivals {

    private static final String CHANNEL = "steward_jobs";

    @Inject
    DatabaseNotifications notifications;

    @Inject
    Dispatcher dispatcher;

    private boolean started;

    synchronized void start() {
        if (!started) {
            started = true;
            notifications.subscribe(CHANNEL, payload -> {
                if (payload.isPresent() && !payload.get().isEmpty()) {
                    dispatcher.wakeAt(Instant.ofEpochMilli(Long.parseLong(payload.get())));
                } else {
                    dispatcher.wake();
                }
            });
        }
    }
}
