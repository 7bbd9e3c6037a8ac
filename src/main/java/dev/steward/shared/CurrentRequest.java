package dev.steward.shared;

import java.util.Optional;

/**
 * The request context of the running thread. The HTTP layer opens one per request; background work opens one per
 * unit of work. Every {@link #open} is closed by its try-with-resources block, which restores what was there
 * before, so a context never leaks to the next request served by a pooled thread.
 */
public final class CurrentRequest {

    private static final ThreadLocal<RequestContext> CURRENT = new ThreadLocal<>();

    private CurrentRequest() {
    }

    /** The context of this thread, if any work is running under one. */
    public static Optional<RequestContext> find() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** The context of this thread; failing here is a bug: the work was started outside any context. */
    public static RequestContext get() {
        RequestContext context = CURRENT.get();
        if (context == null) {
            throw new IllegalStateException("no request context on this thread");
        }
        return context;
    }

    /** Makes {@code context} current until the returned scope is closed. */
    public static Scope open(RequestContext context) {
        RequestContext previous = CURRENT.get();
        CURRENT.set(context);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** Replaces the current context in place, e.g. once the request has authenticated. */
    public static void replace(RequestContext context) {
        if (CURRENT.get() == null) {
            throw new IllegalStateException("no request context to replace");
        }
        CURRENT.set(context);
    }

    /** Closes a context opened with {@link #open}; unlike {@link AutoCloseable} it throws nothing. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
