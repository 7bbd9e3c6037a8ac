package dev.steward.models.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Placeholders split across streamed deltas are restored whole; other text passes at once. */
class StreamedRestoreTest {

    private final List<String> out = new ArrayList<>();
    private final StreamedRestore restore = new StreamedRestore(
            text -> text.replace("[EMAIL_1]", "ann@example.com"), out::add);

    @Test
    void aPlaceholderSplitAcrossDeltasIsHeldUntilComplete() {
        for (String delta : List.of("Write to [EMA", "IL_", "1] today", " [not a placeholder")) {
            restore.accept(delta);
        }
        restore.finish();
        assertThat(String.join("", out)).isEqualTo("Write to ann@example.com today [not a placeholder");
        assertThat(out.get(0)).isEqualTo("Write to ");
        assertThat(out).doesNotContain("[EMA");
    }

    @Test
    void plainTextIsPassedOnAsItComes() {
        restore.accept("one ");
        restore.accept("two");
        assertThat(out).containsExactly("one ", "two");
    }
}
