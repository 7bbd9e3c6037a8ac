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
 * {@code FAILED} from anywhere (an error, an interruption by a newer message, the session ending).
 */
enum TurnState {
    RECEIVED, PLANNING, CALLING_MODEL, CALLING_TOOL, AWAITING_CONFIRMATION, POLLING, RESPONDING, DONE, FAILED;

    private static final Map<TurnState, Set<TurnState>> NEXT = Map.of(
            RECEIVED, EnumSet.of(PLANNING, FAILED),
            PLANNING, EnumSet.of(CALLING_MODEL, FAILED),
            CALLING_MODEL, EnumSet.of(CALLING_TOOL, AWAITING_CONFIRMATION, POLLING, RESPONDING, FAILED),
            CALLING_TOOL, EnumSet.of(CALLING_TOOL, CALLING_MODEL, AWAITING_CONFIRMATION, POLLING, FAILED),
            AWAITING_CONFIRMATION, EnumSet.of(CALLING_TOOL, CALLING_MODEL, AWAITING_CONFIRMATION, FAILED),
            POLLING, EnumSet.of(POLLING, CALLING_TOOL, CALLING_MODEL, AWAITING_CONFIRMATION, RESPONDING, FAILED),
            RESPONDING, EnumSet.of(DONE, FAILED),
            DONE, EnumSet.noneOf(TurnState.class),
            FAILED, EnumSet.noneOf(TurnState.class));

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
