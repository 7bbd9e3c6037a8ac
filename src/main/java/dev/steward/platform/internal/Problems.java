package dev.steward.platform.internal;

import dev.steward.shared.FieldError;
import dev.steward.shared.ProblemJson;
import dev.steward.shared.ProblemType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Builds the problem+json responses of the exception mappers. */
final class Problems {

    private Problems() {
    }

    static Response response(ProblemType type, String detail, String instance, List<FieldError> errors) {
        return Response.status(type.status())
                .type(ProblemJson.MEDIA_TYPE)
                .entity(ProblemJson.render(type, detail, instance, errors).toString())
                .build();
    }

    static Response response(ProblemType type, String detail, String instance) {
        return response(type, detail, instance, List.of());
    }

    /** A status with the catalog's type for it, or {@code about:blank} when it has none. */
    static Response response(int status, String detail, String instance) {
        return ProblemType.forStatus(status)
                .map(type -> response(type, detail, instance))
                .orElseGet(() -> Response.status(status).type(ProblemJson.MEDIA_TYPE)
                        .entity(ProblemJson.render(status, reasonPhrase(status), detail, instance).toString())
                        .build());
    }

    private static String reasonPhrase(int status) {
        Response.StatusType known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : "HTTP " + status;
    }

    /** The request path for a log line: printable characters only, so a client cannot forge log lines. */
    static String loggable(String path) {
        return path == null ? "" : path.replaceAll("[^\\x20-\\x7E]", "?");
    }

    /** The first throwable of {@code kind} in the cause chain of {@code error}, if any. */
    static <T extends Throwable> T causeOf(Throwable error, Class<T> kind) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (kind.isInstance(t)) {
                return kind.cast(t);
            }
        }
        return null;
    }
}
