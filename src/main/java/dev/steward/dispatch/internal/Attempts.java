package dev.steward.dispatch.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

/**
 * The attempts running on this node, each with the moment it must have finished by and its worker's future. An
 * attempt here is this node's to renew and to record; whoever removes it (the worker that finished it, the
 * dispatcher recording a batch, or the dispatcher giving up on an overdue one) owns its outcome.
 */
final class Attempts {

    private final Map<JobRow, Entry> running = new ConcurrentHashMap<>();

    private static final class Entry {
        final long deadlineNanos;
        volatile Future<?> worker;

        Entry(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }
    }

    void add(JobRow job, long deadlineNanos) {
        running.put(job, new Entry(deadlineNanos));
    }

    /** The worker running {@code job}, so that an overdue attempt can be interrupted. */
    void attach(JobRow job, Future<?> worker) {
        Entry entry = running.get(job);
        if (entry != null) {
            entry.worker = worker;
        }
    }

    /** Removes the attempt; true if it was still here, that is, if the caller now owns its outcome. */
    boolean remove(JobRow job) {
        return running.remove(job) != null;
    }

    void removeAll(Collection<JobRow> jobs) {
        jobs.forEach(running::remove);
    }

    /**
     * Takes out the attempts past their deadline, interrupting their workers; the caller records them as failed.
     */
    List<JobRow> takeOverdue(long nowNanos) {
        return running.entrySet().stream()
                .filter(e -> nowNanos - e.getValue().deadlineNanos > 0)
                .filter(e -> running.remove(e.getKey(), e.getValue()))
                .peek(e -> {
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
