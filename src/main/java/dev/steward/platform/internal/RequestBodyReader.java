package dev.steward.platform.internal;

import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * Draws the line between the client's fault and ours: whatever fails while a request body is read (bad JSON,
 * a string where an object belongs, a body over the size limit) is a 4xx here, so that a failure anywhere else,
 * such as writing a response, stays a 500.
 */
@Provider
public class RequestBodyReader implements ReaderInterceptor {

    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        try {
            if (isBound(context)) {
                context.setInputStream(checked(context.getInputStream(), context.getMediaType(),
                        expectsObject(context.getType())));
            }
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

    /** A JSON body bound to an object by JSON-B or JSON-P, rather than taken as a String, bytes or a stream. */
    private static boolean isBound(ReaderInterceptorContext context) {
        Class<?> type = context.getType();
        MediaType media = context.getMediaType();
        return type != String.class && type != byte[].class && !InputStream.class.isAssignableFrom(type)
                && media != null && (media.getSubtype().equalsIgnoreCase("json")
                || media.getSubtype().toLowerCase(Locale.ROOT).endsWith("+json"));
    }

    /**
     * The body, read whole (it is bounded by the size limit) and parsed once as a stream of JSON events before
     * JSON-B binds it. Yasson skips an unknown property's value with Parsson's {@code skipObject}/{@code skipArray},
     * which never return on a body that ends inside that value (eclipse-ee4j/parsson#23): a body {@code {"x":{}} cut
     * off before its closing braces pinned a worker thread at full CPU for good, a few such requests the whole server. The event
     * parser sees the end of input for what it is, and refuses nesting deeper than its limit, so such bodies are a
     * 400 here; well-formed ones are handed on unchanged.
     */
    private static InputStream checked(InputStream body, MediaType media, boolean object) throws IOException {
        byte[] bytes = body.readAllBytes();
        String charset = media.getParameters().get(MediaType.CHARSET_PARAMETER);
        try (JsonParser parser = charset == null ? PARSERS.createParser(new ByteArrayInputStream(bytes))
                : PARSERS.createParser(new ByteArrayInputStream(bytes), Charset.forName(charset))) {
            boolean first = true;
            while (parser.hasNext()) {
                JsonParser.Event event = parser.next();
                if (first && object && event != JsonParser.Event.START_OBJECT) {
                    // Yasson binds [{...}] to a record as its first element and null as no body at all: a client
                    // that sent a list (or nothing) would have had one item, or defaults, created silently.
                    throw new ProblemException(ProblemType.MALFORMED_REQUEST, "The body must be a JSON object");
                }
                first = false;
            }
        }
        return new ByteArrayInputStream(bytes);
    }

    /** Bound to a class of named properties (a record), not to a list, an array or a JSON-P value of any shape. */
    private static boolean expectsObject(Class<?> type) {
        return !(type.isArray() || Collection.class.isAssignableFrom(type) || type == Object.class
                || JsonValue.class.isAssignableFrom(type) && !JsonObject.class.isAssignableFrom(type));
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
