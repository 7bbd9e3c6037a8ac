package dev.steward.platform.internal;

import dev.steward.shared.ProblemJson;
import dev.steward.shared.ProblemType;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * Request bodies over {@code steward.http.max-body-bytes} get 413: at once when Content-Length says so, and while
 * reading when a chunked body grows past the limit ({@link BodyTooLargeException}, mapped to 413).
 */
final class BodySizeLimit {

    private BodySizeLimit() {
    }

    /** Answers 413 and returns true when the declared length is over the limit. */
    static boolean rejectDeclared(HttpServletRequest request, HttpServletResponse response, long maxBytes)
            throws IOException {
        if (request.getContentLengthLong() <= maxBytes) {
            return false;
        }
        response.setStatus(ProblemType.PAYLOAD_TOO_LARGE.status());
        response.setContentType(ProblemJson.MEDIA_TYPE);
        response.setHeader("Connection", "close");
        response.getWriter().write(ProblemJson.render(ProblemType.PAYLOAD_TOO_LARGE,
                "The body may be at most " + maxBytes + " bytes", request.getRequestURI(), List.of()).toString());
        return true;
    }

    /** The request with a body stream that fails once more than {@code maxBytes} have been read. */
    static HttpServletRequest limit(HttpServletRequest request, long maxBytes) {
        return new HttpServletRequestWrapper(request) {
            private ServletInputStream limited;

            @Override
            public ServletInputStream getInputStream() throws IOException {
                if (limited == null) {
                    limited = new LimitedInputStream(super.getInputStream(), maxBytes);
                }
                return limited;
            }
        };
    }

    /** Raised while reading a body that turns out larger than the limit. */
    static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long limit) {
            super("The body may be at most " + limit + " bytes");
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long read;

        LimitedInputStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws BodyTooLargeException {
            read += n;
            if (read > limit) {
                throw new BodyTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
