package dev.steward.shared;

import java.net.URI;
import java.util.Arrays;
import java.util.Optional;

/**
 * The catalog of problem types Steward answers with (RFC 9457). The {@code type} URI of each is stable: clients may
 * branch on it. New kinds of failure get a new constant here rather than an ad-hoc status code somewhere else.
 */
public enum ProblemType {
    VALIDATION_FAILED(400, "validation-failed", "The request is not valid"),
    MALFORMED_REQUEST(400, "malformed-request", "The request body could not be read"),
    UNAUTHENTICATED(401, "unauthenticated", "Authentication is required"),
    FORBIDDEN(403, "forbidden", "The credential lacks a required scope"),
    TENANT_SUSPENDED(403, "tenant-suspended", "The tenant is suspended"),
    NOT_FOUND(404, "not-found", "No such resource"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(406, "not-acceptable", "No acceptable representation"),
    CONFLICT(409, "conflict", "The request conflicts with the current state"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "The request body is too large"),
    QUOTA_EXCEEDED(429, "quota-exceeded", "A quota or budget is exhausted"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    INTERNAL_ERROR(500, "internal-error", "Internal error"),
    UPSTREAM_FAILED(502, "upstream-failed", "A model provider or other upstream service failed"),
    UNAVAILABLE(503, "unavailable", "Service unavailable");

    private static final String BASE = "https://steward.dev/problems/";

    private final int status;
    private final String slug;
    private final String title;

    ProblemType(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public URI type() {
        return URI.create(BASE + slug);
    }

    /** The general type of an HTTP status, if the catalog has one; the first constant of each status is it. */
    public static Optional<ProblemType> forStatus(int status) {
        return Arrays.stream(values()).filter(candidate -> candidate.status == status).findFirst();
    }
}
