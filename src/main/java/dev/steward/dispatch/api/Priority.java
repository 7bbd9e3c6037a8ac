package dev.steward.dispatch.api;

/**
 * Priority tiers. P0 always goes first; P1, P2 and P3 share what is left by weights 6:3:1, so lower tiers slow
 * down under load but never stop.
 */
public enum Priority {
    P0, P1, P2, P3;

    public static final Priority DEFAULT = P2;

    public int level() {
        return ordinal();
    }

    public static Priority ofLevel(int level) {
        return values()[level];
    }
}
