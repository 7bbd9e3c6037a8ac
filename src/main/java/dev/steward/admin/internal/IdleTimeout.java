package dev.steward.admin.internal;

import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When a signed-in session has been idle too long: {@code idle} without a request of the person's own. A page's
 * live refresh is not the person's own, so a forgotten tab does not keep a session signed in. Kept by Steward rather
 * than left to the container's reaper, so a session ends on time on any node.
 */
record IdleTimeout(Duration idle, Clock clock) {

    private static final String LAST_SEEN = "steward.admin.last-seen";

    /** Whether {@code session} has ended; if not, a request of the person's own starts its clock again. */
    boolean ended(HttpSession session, boolean liveRefresh) {
        Instant now = clock.instant();
        Object lastSeen = session.getAttribute(LAST_SEEN);
        if (lastSeen instanceof Instant seen && Duration.between(seen, now).compareTo(idle) > 0) {
            return true;
        }
        if (!liveRefresh || lastSeen == null) {
            session.setAttribute(LAST_SEEN, now);
        }
        return false;
    }
}
