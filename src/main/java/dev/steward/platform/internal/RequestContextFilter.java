package dev.steward.platform.internal;

import dev.steward.shared.CurrentRequest;
import dev.steward.shared.RequestContext;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Opens the request context of every HTTP request (anonymous until the tenancy module's filter authenticates it)
 * and closes it when the request ends, whatever happens in between. Takes the caller's {@code X-Request-Id} when
 * it is well-formed, otherwise makes one, and echoes it on the response. Bodies over the size limit (audio's own
 * limit for {@code audio/*} bodies) stop here.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class RequestContextFilter extends HttpFilter {

    @Inject
    @ConfigProperty(name = "steward.http.max-body-bytes", defaultValue = "1048576")
    long maxBodyBytes;

    /** Audio bodies (voice turns, transcriptions) have their own limit: 25 MiB, what OpenAI's endpoint takes. */
    @Inject
    @ConfigProperty(name = "steward.http.max-audio-bytes", defaultValue = "26214400")
    long maxAudioBytes;

    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String requestId = requestId(request.getHeader(REQUEST_ID_HEADER));
        response.setHeader(REQUEST_ID_HEADER, requestId);
        try (CurrentRequest.Scope ignored = CurrentRequest.open(RequestContext.anonymous(requestId))) {
            long limit = isAudio(request.getContentType()) ? maxAudioBytes : maxBodyBytes;
            if (!BodySizeLimit.rejectDeclared(request, response, limit)) {
                chain.doFilter(BodySizeLimit.limit(request, limit), response);
            }
        }
    }

    private static boolean isAudio(String contentType) {
        return contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith("audio/");
    }

    private static String requestId(String offered) {
        return offered != null && WELL_FORMED.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
    }
}
