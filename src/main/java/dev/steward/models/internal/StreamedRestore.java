package dev.steward.models.internal;

import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts masked values back into a streamed reply. A placeholder ({@code [EMAIL_1]}) may arrive split across deltas,
 * so text from an opening bracket that could still become one is held back until it is complete or cannot be.
 */
final class StreamedRestore implements Consumer<String> {

    /** What could still grow into a placeholder at the end of the text seen so far. */
    private static final Pattern OPEN_TAIL = Pattern.compile("\\[(?:[A-Z][A-Z0-9_]{0,40})?$");

    private final UnaryOperator<String> restore;
    private final Consumer<String> out;
    private final StringBuilder held = new StringBuilder();

    StreamedRestore(UnaryOperator<String> restore, Consumer<String> out) {
        this.restore = restore;
        this.out = out;
    }

    @Override
    public void accept(String delta) {
        held.append(delta);
        Matcher tail = OPEN_TAIL.matcher(held);
        int keep = tail.find() ? tail.start() : held.length();
        if (keep > 0) {
            out.accept(restore.apply(held.substring(0, keep)));
            held.delete(0, keep);
        }
    }

    /** At the end of the stream: what was held back. */
    void finish() {
        if (!held.isEmpty()) {
            out.accept(restore.apply(held.toString()));
            held.setLength(0);
        }
    }
}
