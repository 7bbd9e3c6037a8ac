package dev.steward.protocols.internal;

import dev.steward.sessions.api.Conversations;
import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * Follows a conversation's turn for a protocol endpoint: polls its events (each look a short transaction of the
 * tenant's) and hands on its text deltas until it ends or the wait runs out; a one-off conversation's session is
 * ended then, a kept one's (A2A's contexts) is not.
 */
@ApplicationScoped
class TurnFollower {

    static final Duration MAX_WAIT = Duration.ofSeconds(120);
    private static final long POLL_MILLIS = 40;

    @Inject
    Conversations conversations;

    @Inject
    TenantScope scope;

    /** Receives a turn's text as it comes; may fail when the client has gone. */
    interface Deltas {
        void accept(String delta) throws IOException;
    }

    /** The turn's ending, or null when the wait ran out or the client went away; its session ended either way. */
    Conversations.Ending follow(TenantId tenant, Conversations.Opened opened, Deltas deltas) {
        try {
            return watch(tenant, opened, deltas, MAX_WAIT);
        } finally {
            scope.run(tenant, () -> conversations.end(opened.sessionId()));
        }
    }

    /** The turn's ending, or null when {@code wait} ran out or the client went away; the session carries on. */
    Conversations.Ending watch(TenantId tenant, Conversations.Opened opened, Deltas deltas, Duration wait) {
        long seen = 0;
        Instant deadline = Instant.now().plus(wait);
        try {
            while (Instant.now().isBefore(deadline)) {
                long after = seen;
                Conversations.Progress progress = scope.call(tenant, () -> conversations.progress(
                        opened.sessionId(), opened.turnId(), after));
                for (String delta : progress.deltas()) {
                    deltas.accept(delta);
                }
                seen = progress.lastSeq();
                if (progress.ending() != null) {
                    return progress.ending();
                }
                Thread.sleep(POLL_MILLIS);
            }
            return null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
