package dev.steward.quota.api;

/** Resource keys a job may name: the model provider account or channel account it draws on. */
public final class Resources {

    public static final String PATTERN = "(provider|channel):[a-z0-9][a-z0-9._-]{0,62}";
    public static final int MAX_PER_JOB = 8;

    private Resources() {
    }
}
