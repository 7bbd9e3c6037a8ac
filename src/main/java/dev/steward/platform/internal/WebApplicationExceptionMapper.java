package dev.steward.platform.internal;

import dev.steward.shared.ProblemType;
import jakarta.json.stream.JsonParsingException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The JAX-RS runtime's own refusals (no such path, wrong method, unreadable body, unsupported media type) in the
 * problem+json shape, keeping their status and headers such as {@code Allow}.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(WebApplicationException exception) {
        int status = exception.getResponse().getStatus();
        if (status == 400) {
            return Problems.response(ProblemType.MALFORMED_REQUEST, MalformedBody.describe(exception),
                    uriInfo.getPath());
        }
        ProblemType type = ProblemType.forStatus(status);
        String detail;
        if (exception instanceof NotFoundException) {
            detail = "No resource at " + uriInfo.getPath();
        } else if (exception instanceof NotAllowedException) {
            detail = "Allowed: " + exception.getResponse().getAllowedMethods();
        } else if (exception instanceof NotSupportedException) {
            detail = "Send the body as application/json";
        } else {
            detail = status >= 500 ? null : exception.getMessage();
        }
        Response problem = Problems.response(type, detail, uriInfo.getPath());
        Response.ResponseBuilder builder = Response.fromResponse(problem);
        exception.getResponse().getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        return builder.build();
    }

    /** What to tell the client about a body that could not be read, without exposing parser internals. */
    static final class MalformedBody {
        private MalformedBody() {
        }

        static String describe(Throwable error) {
            JsonParsingException parsing = Problems.causeOf(error, JsonParsingException.class);
            if (parsing != null && parsing.getLocation() != null) {
                return "Malformed JSON at line " + parsing.getLocation().getLineNumber() + ", column "
                        + parsing.getLocation().getColumnNumber();
            }
            return "The body is not valid JSON of the expected shape";
        }
    }
}
