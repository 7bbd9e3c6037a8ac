package dev.steward.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpSession;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdleTimeoutTest {

    private final MovableClock clock = new MovableClock();
    private final IdleTimeout timeout = new IdleTimeout(Duration.ofMinutes(30), clock);
    private final HttpSession session = session();

    @Test
    void aSessionLastsAsLongAsThePersonKeepsAsking() {
        assertThat(timeout.ended(session, false)).isFalse();
        clock.advance(Duration.ofMinutes(29));
        assertThat(timeout.ended(session, false)).isFalse();
        clock.advance(Duration.ofMinutes(29));
        assertThat(timeout.ended(session, false)).isFalse();
        clock.advance(Duration.ofMinutes(31));
        assertThat(timeout.ended(session, false)).isTrue();
    }

    @Test
    void aLiveRefreshDoesNotKeepItAlive() {
        assertThat(timeout.ended(session, false)).isFalse();
        for (int i = 0; i < 6; i++) {
            clock.advance(Duration.ofMinutes(5));
            assertThat(timeout.ended(session, true)).isFalse();
        }
        clock.advance(Duration.ofMinutes(1));
        assertThat(timeout.ended(session, true)).isTrue();
        assertThat(timeout.ended(session, false)).as("nor does the person's next request revive it").isTrue();
    }

    @Test
    void exactlyTheIdleTimeIsStillInTime() {
        timeout.ended(session, false);
        clock.advance(Duration.ofMinutes(30));
        assertThat(timeout.ended(session, false)).isFalse();
    }

    /** A session's attributes, as the container keeps them (the container itself is not under test). */
    private static HttpSession session() {
        Map<String, Object> attributes = new HashMap<>();
        return (HttpSession) Proxy.newProxyInstance(IdleTimeoutTest.class.getClassLoader(),
                new Class<?>[] {HttpSession.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-11-21T12:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
