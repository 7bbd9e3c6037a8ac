package dev.steward.quota.api;

import java.time.Instant;

/** Admission's answer for one job: run it now, or hold it back by {@code constraint} until {@code retryAt}. */
public record Verdict(Constraint constraint, Instant retryAt) {

    public static final Verdict ADMITTED = new Verdict(null, null);

    public boolean admitted() {
        return constraint == null;
    }
}
