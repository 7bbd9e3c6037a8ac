package dev.steward.dispatch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RunTimesTest {

    private final RunTimes runTimes = new RunTimes();

    @Test
    void aKindIsFastOnlyOnceEnoughAttemptsWereTimedUnderTheThreshold() {
        for (int i = 0; i < 7; i++) {
            runTimes.record("noop", micros(100));
        }
        assertThat(runTimes.fastKinds(Set.of("noop", "turn", "webhook"))).isEmpty();
        runTimes.record("noop", micros(100));
        assertThat(runTimes.fastKinds(Set.of("noop", "turn", "webhook"))).containsExactly("noop");
        assertThat(runTimes.slowestNanos(Set.of("noop"))).isEqualTo(micros(100));
    }

    @Test
    void onlyTheKindsAskedAboutCount() {
        for (int i = 0; i < 10; i++) {
            runTimes.record("workflow.node", micros(100));
        }
        assertThat(runTimes.fastKinds(Set.of("noop"))).isEmpty();
        assertThat(runTimes.slowestNanos(Set.of())).isZero();
    }

    @Test
    void slowKindsAreNeverPrefetchedAndAFastKindThatSlowsDownStopsBeingPrefetched() {
        for (int i = 0; i < 10; i++) {
            runTimes.record("turn", TimeUnit.SECONDS.toNanos(2));
            runTimes.record("webhook", TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertThat(runTimes.fastKinds(Set.of("noop", "turn", "webhook"))).containsExactly("webhook");

        for (int i = 0; i < 3; i++) {
            runTimes.record("webhook", TimeUnit.MILLISECONDS.toNanos(400));
        }
        assertThat(runTimes.fastKinds(Set.of("noop", "turn", "webhook"))).isEmpty();
    }

    private static long micros(long micros) {
        return TimeUnit.MICROSECONDS.toNanos(micros);
    }
}
