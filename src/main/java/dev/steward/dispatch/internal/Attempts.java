package dev.steward.dispatch.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The attempts running on this node. An attempt here has its lease renewed. Its outcome belongs to whoever settles
 * it first: the worker when its handler returns ({@link #settle}), or the dispatcher when the attempt outlives its
 * deadline ({@link #takeOverdue}); the other then leaves it alone. The deadline counts from the moment the worker
 * starts the handler, not from the hand-off to the executor.
 */
final class Attempts {

    private static final int RUNNING = 0;
    private static final int SETTLED = 1;
    private static final int OVERDUE = 2;

    private final Map<JobRow, Entry> running = new ConcurrentHashMap<>();

    private static final class Entry {
        final AtomicInteger state = new AtomicInteger(RUNNING);
        volatile long deadlineNanos;
        volatile boolean started;
        volatile Future<?> worker;
    }

    void add(JobRow job) {
        running.put(job, new Entry());
    }

    /** The worker running {@code job}, so that an overdue attempt can be interrupted. */
    void attach(JobRow job, Future<?> worker) {
        Entry entry = running.get(job);
        if (entry != null) {
            entry.worker = worker;
        }
    }

    /** The worker starts the handler now; the attempt must be settled within {@code maxRunNanos}. */
    void begin(JobRow job, long maxRunNanos) {
        Entry entry = running.get(job);
        if (entry != null) {
            entry.deadlineNanos = System.nanoTime() + maxRunNanos;
            entry.started = true;
        }
    }

    /**
     * The worker's handler returned: true if the outcome is the worker's to record (the dispatcher has not given up
     * on it). A settled attempt stays here, its lease renewed, until it is recorded and removed.
     */
    boolean settle(JobRow job) {
        Entry entry = running.get(job);
        return entry != null && entry.state.compareAndSet(RUNNING, SETTLED);
    }

    void remove(JobRow job) {
        running.remove(job);
    }

    void removeAll(Collection<JobRow> jobs) {
        jobs.forEach(running::remove);
    }

    /**
     * Takes out the started attempts past their deadline that no worker has settled, interrupting their workers; the
     * caller records them as failed.
     */
    List<JobRow> takeOverdue(long nowNanos) {
        return running.entrySet().stream()
                .filter(e -> e.getValue().started && nowNanos - e.getValue().deadlineNanos > 0)
                .filter(e -> e.getValue().state.compareAndSet(RUNNING, OVERDUE))
                .peek(e -> {
                    running.remove(e.getKey());
                    Future<?> worker = e.getValue().worker;
                    if (worker != null) {
                        worker.cancel(true);
                    }
                })
                .map(Map.Entry::getKey).toList();
    }

    Set<JobRow> snapshot() {
        return Set.copyOf(running.keySet());
    }

    boolean isEmpty() {
        return running.isEmpty();
    }

    int size() {
        return running.size();
    }
}
