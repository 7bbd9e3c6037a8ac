package dev.steward.platform.internal;

import dev.steward.shared.Logs;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.sql.SQLException;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything else. A problem wrapped by a container layer is unwrapped; the database out of reach is a 503 with
 * Retry-After (the client sends the request again, a write with its idempotency key); anything left is a bug (a response that
 * cannot be written is one too): logged with its stack trace and the request id, answered as a 500 that carries the
 * request id and nothing of the failure.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logs.of(UnexpectedExceptionMapper.class);
    /** What a client is told to wait before trying again while the database is out of reach. */
    static final String DATABASE_RETRY_AFTER_SECONDS = "5";
    /** PostgreSQL's answers to values it cannot store: a NUL in text, an untranslatable character, a huge number. */
    private static final Set<String> UNSTORABLE = Set.of("22021", "22P05", "22003", "22P02");

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(Throwable error) {
        ProblemException problem = Problems.causeOf(error, ProblemException.class);
        if (problem != null) {
            return Problems.response(problem.type(), problem.getMessage(), uriInfo.getPath(), problem.fieldErrors());
        }
        if (DatabaseOutage.in(error)) {
            // Not a bug: one line, no stack trace, and an answer the client can act on at once rather than a 500.
            LOG.warning("The database is out of reach; " + Problems.loggable(uriInfo.getPath()) + " answered 503");
            return Response.fromResponse(Problems.response(ProblemType.UNAVAILABLE, "The database is unavailable"
                            + " for the moment; try again shortly", uriInfo.getPath()))
                    .header(HttpHeaders.RETRY_AFTER, DATABASE_RETRY_AFTER_SECONDS).build();
        }
        SQLException sql = Problems.causeOf(error, SQLException.class);
        if (sql != null && UNSTORABLE.contains(sql.getSQLState())) {
            // The client's value, not our bug; its transaction has rolled back, so nothing was half written.
            return Problems.response(ProblemType.VALIDATION_FAILED, "A value cannot be stored: text with a NUL"
                    + " character (\\u0000) or a number out of range", uriInfo.getPath());
        }
        LOG.log(Level.SEVERE, "Unexpected failure serving " + Problems.loggable(uriInfo.getPath()), error);
        return Problems.response(ProblemType.INTERNAL_ERROR,
                "Something went wrong on our side; quote the request id when reporting it", uriInfo.getPath());
    }
}
