package dev.steward.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Deltas are written while the model streams, at most every 50 ms, and what is left is handed over in order. */
class LiveTokensTest {

    @Test
    void deltasAreWrittenInBatchesAsTheyComeAndTheRestHandedOver() throws Exception {
        List<List<String>> written = new CopyOnWriteArrayList<>();
        LiveTokens live = new LiveTokens(written::add, Runnable::run);
        live.accept("a ");
        live.accept("b ");
        assertThat(written).isEmpty(); // within the first 50 ms: held
        Thread.sleep(60);
        live.accept("c ");
        assertThat(written).containsExactly(List.of("a ", "b ", "c "));
        live.accept("d");
        assertThat(live.rest()).containsExactly("d");
        assertThat(live.rest()).isEmpty();
    }
}
