package dev.steward.dispatch.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delaysGrowExponentiallyWithinTheirJitterBand() {
        for (int attempt = 1; attempt <= 6; attempt++) {
            long full = Backoff.BASE.toMillis() << (attempt - 1);
            for (int i = 0; i < 200; i++) {
                long delay = Backoff.delay(attempt).toMillis();
                assertTrue(delay >= full / 2 && delay <= full, "attempt " + attempt + ": " + delay);
            }
        }
    }

    @Test
    void delaysAreCappedHoweverManyAttempts() {
        for (int attempt : new int[] {20, 64, 1000, Integer.MAX_VALUE}) {
            Duration delay = Backoff.delay(attempt);
            assertTrue(delay.compareTo(Backoff.CAP) <= 0 && delay.compareTo(Backoff.CAP.dividedBy(2)) >= 0,
                    attempt + " -> " + delay);
        }
    }

    @Test
    void jobsFailingTogetherDoNotComeBackTogether() {
        Set<Long> delays = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            delays.add(Backoff.delay(5).toMillis());
        }
        assertTrue(delays.size() > 50, "jitter spreads retries: " + delays.size() + " distinct delays of 100");
    }
}
