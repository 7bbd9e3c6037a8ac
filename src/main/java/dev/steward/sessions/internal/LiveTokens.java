package dev.steward.sessions.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A model's text deltas on their way to the session's stream while it is still answering: written at most every
 * {@link #INTERVAL_NANOS} (one write at a time, in order) by {@code writer} on another thread, since the deltas
 * arrive on the provider client's thread. What is left when the model is done goes with the turn's next write.
 */
final class LiveTokens implements Consumer<String> {

    static final long INTERVAL_NANOS = 50_000_000L;

    private final Consumer<List<String>> writer;
    private final Executor executor;
    private final List<String> pending = new ArrayList<>();
    private long lastWrite = System.nanoTime();
    private CompletableFuture<Void> writing = CompletableFuture.completedFuture(null);

    LiveTokens(Consumer<List<String>> writer, Executor executor) {
        this.writer = writer;
        this.executor = executor;
    }

    @Override
    public synchronized void accept(String delta) {
        pending.add(delta);
        long now = System.nanoTime();
        if (now - lastWrite >= INTERVAL_NANOS && writing.isDone()) {
            List<String> batch = List.copyOf(pending);
            pending.clear();
            lastWrite = now;
            writing = CompletableFuture.runAsync(() -> writer.accept(batch), executor);
        }
    }

    /** Waits for the write in flight (a failed one is retried here), and hands over what was not written yet. */
    List<String> rest() throws InterruptedException {
        CompletableFuture<Void> last;
        synchronized (this) {
            last = writing;
        }
        try {
            last.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("writing streamed tokens failed", e.getCause());
        }
        synchronized (this) {
            List<String> rest = List.copyOf(pending);
            pending.clear();
            return rest;
        }
    }
}
