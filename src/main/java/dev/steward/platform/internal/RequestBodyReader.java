package dev.steward.platform.internal;

import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import jakarta.json.stream.JsonParsingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;

/**
 * Draws the line between the client's fault and ours: whatever fails while a request body is read (bad JSON,
 * a string where an object belongs, a body over the size limit) is a 4xx here, so that a failure anywhere else,
 * such as writing a response, stays a 500.
 */
@Provider
public class RequestBodyReader implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        try {
            return context.proceed();
        } catch (ProblemException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            BodySizeLimit.BodyTooLargeException tooLarge = Problems.causeOf(e, BodySizeLimit.BodyTooLargeException.class);
            if (tooLarge != null) {
                throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, tooLarge.getMessage());
            }
            if (e instanceof WebApplicationException) {
                throw e;
            }
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, describe(e));
        }
    }

    /** What to tell the client about a body that could not be read, without exposing parser internals. */
    private static String describe(Throwable error) {
        JsonParsingException parsing = Problems.causeOf(error, JsonParsingException.class);
        if (parsing != null && parsing.getLocation() != null) {
            return "Malformed JSON at line " + parsing.getLocation().getLineNumber() + ", column "
                    + parsing.getLocation().getColumnNumber();
        }
        return "The body is not valid JSON of the expected shape";
    }
}
