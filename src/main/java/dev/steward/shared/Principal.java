package dev.steward.shared;

import java.util.Objects;

/**
 * Who is acting: a tenant's API key, the platform operator, Steward itself (background work), or nobody yet.
 *
 * @param kind what sort of caller this is
 * @param id   a stable, non-secret identifier (an API key id, "operator", a job id); never a credential
 */
public record Principal(Kind kind, String id) {

    /**
     * SYSTEM is Steward's own machinery; JOB is a tenant's queued work running on its behalf; ADMIN a person signed
     * in to the admin UI for one tenant (operators signed in there act as OPERATOR).
     */
    public enum Kind { ANONYMOUS, API_KEY, OPERATOR, SYSTEM, JOB, ADMIN }

    public static final Principal ANONYMOUS = new Principal(Kind.ANONYMOUS, "anonymous");
    public static final Principal OPERATOR = new Principal(Kind.OPERATOR, "operator");

    public Principal {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
    }

    public static Principal apiKey(String keyId) {
        return new Principal(Kind.API_KEY, keyId);
    }

    public static Principal job(long jobId) {
        return new Principal(Kind.JOB, String.valueOf(jobId));
    }

    public static Principal system(String what) {
        return new Principal(Kind.SYSTEM, what);
    }

    /** The form stored in the database session and written to audit rows, e.g. {@code api_key:7f3c...}. */
    public String tag() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + id;
    }
}
