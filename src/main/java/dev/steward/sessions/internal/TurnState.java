package dev.steward.sessions.internal;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A turn's states and the one table of legal moves between them. A turn is {@code RECEIVED} (queued when another
 * turn of the session runs), {@code PLANNING} (its context is assembled), then alternates between
 * {@code CALLING_MODEL} (a remote agent's engine counts as its model) and {@code CALLING_TOOL}, may stop in
 * {@code AWAITING_CONFIRMATION} (a write waits for a person) or {@code POLLING} (a long job answered "pending"; a
 * remote engine's pending job resolves straight into its answer), and ends {@code RESPONDING} then {@code DONE}, or
 * {@code FAILED} from anywhere (an error, an interruption by a newer message, the session ending). A voice turn
 * is {@code TRANSCRIBING} between {@code RECEIVED} and {@code PLANNING} (its audio becomes its input) and
 * {@code SPEAKING} between {@code RESPONDING} and {@code DONE} (its answer becomes audio).
 */
enum TurnState {
    RECEIVED, TRANSCRIBING, PLANNING, CALLING_MODEL, CALLING_TOOL, AWAITING_CONFIRMATION, POLLING, RESPONDING,
    SPEAKING, DONE, FAILED;

    private static final Map<TurnState, Set<TurnState>> NEXT = Map.ofEntries(
            Map.entry(RECEIVED, EnumSet.of(PLANNING, TRANSCRIBING, FAILED)),
            Map.entry(TRANSCRIBING, EnumSet.of(PLANNING, FAILED)),
            Map.entry(PLANNING, EnumSet.of(CALLING_MODEL, FAILED)),
            Map.entry(CALLING_MODEL, EnumSet.of(CALLING_TOOL, AWAITING_CONFIRMATION, POLLING, RESPONDING, FAILED)),
            Map.entry(CALLING_TOOL, EnumSet.of(CALLING_TOOL, CALLING_MODEL, AWAITING_CONFIRMATION, POLLING, FAILED)),
            Map.entry(AWAITING_CONFIRMATION, EnumSet.of(CALLING_TOOL, CALLING_MODEL, AWAITING_CONFIRMATION, FAILED)),
            Map.entry(POLLING, EnumSet.of(POLLING, CALLING_TOOL, CALLING_MODEL, AWAITING_CONFIRMATION, RESPONDING,
                    FAILED)),
            Map.entry(RESPONDING, EnumSet.of(SPEAKING, DONE, FAILED)),
            Map.entry(SPEAKING, EnumSet.of(DONE, FAILED)),
            Map.entry(DONE, EnumSet.noneOf(TurnState.class)),
            Map.entry(FAILED, EnumSet.noneOf(TurnState.class)));

    boolean canMoveTo(TurnState next) {
        return NEXT.get(this).contains(next);
    }

    boolean finished() {
        return this == DONE || this == FAILED;
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static TurnState fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
