package dev.steward.dispatch.api;

import java.util.Locale;

/**
 * The states of a job; {@code db/migration/V2__dispatch_jobs.sql} documents what moves a job out of each, and
 * {@code V4__dispatch_admission.sql} how a job held back by a limit goes from running back to waiting.
 */
public enum JobState {
    SCHEDULED, AVAILABLE, RUNNING, RETRYABLE, COMPLETED, FAILED, CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobState fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
