package dev.steward.dispatch.api;

/** A failure that another attempt cannot fix (a malformed payload, a refused request): the job is dead-lettered. */
public class PermanentJobFailure extends Exception {

    public PermanentJobFailure(String message) {
        super(message);
    }

    public PermanentJobFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
