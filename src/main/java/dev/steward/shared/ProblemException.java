package dev.steward.shared;

import java.util.List;

/**
 * A failure the client caused or should know about, answered as {@code application/problem+json}. Thrown anywhere;
 * mapped in one place by the platform module. The detail must be safe to show to the caller: no stack traces,
 * no SQL, nothing of another tenant.
 */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final List<FieldError> fieldErrors;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, List.of());
    }

    public ProblemException(ProblemType type, String detail, List<FieldError> fieldErrors) {
        super(detail, null, false, false);
        this.type = type;
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(ProblemType.NOT_FOUND, "No " + what + " with id " + id);
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION_FAILED, field + ": " + message,
                List.of(new FieldError(field, message)));
    }

    public ProblemType type() {
        return type;
    }

    public List<FieldError> fieldErrors() {
        return fieldErrors;
    }
}
