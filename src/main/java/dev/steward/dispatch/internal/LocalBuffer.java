package dev.steward.dispatch.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Jobs this node claimed ahead of its free workers (they are running as far as the queue is concerned: leased to
 * this node, counted by concurrency limits), waiting for a worker. The most urgent tier goes first, then claim order:
 * a P0 claimed behind a buffer of P3s jumps it. The dispatcher fills it; a worker that finishes takes the next job
 * from it itself, so a finished job costs the dispatcher nothing.
 */
final class LocalBuffer {

    private record Buffered(JobRow job, long sequence, long claimedNanos) {
    }

    private static final Comparator<Buffered> URGENT_FIRST = Comparator
            .comparingInt((Buffered b) -> b.job().priority().level())
            .thenComparingLong(Buffered::sequence);

    private final PriorityQueue<Buffered> jobs = new PriorityQueue<>(URGENT_FIRST);
    private long sequence;

    synchronized void add(List<JobRow> claimed, long nowNanos) {
        for (JobRow job : claimed) {
            jobs.add(new Buffered(job, sequence++, nowNanos));
        }
    }

    /** The most urgent job, or null. */
    synchronized JobRow next() {
        Buffered first = jobs.poll();
        return first == null ? null : first.job();
    }

    /** Takes out the jobs that have waited longer than {@code maxWaitNanos}. */
    synchronized List<JobRow> takeWaitingLongerThan(long maxWaitNanos, long nowNanos) {
        List<JobRow> stale = new ArrayList<>();
        jobs.removeIf(b -> {
            boolean tooLong = nowNanos - b.claimedNanos() > maxWaitNanos;
            if (tooLong) {
                stale.add(b.job());
            }
            return tooLong;
        });
        return stale;
    }

    synchronized List<JobRow> takeAll() {
        List<JobRow> all = new ArrayList<>(jobs.size());
        for (Buffered b = jobs.poll(); b != null; b = jobs.poll()) {
            all.add(b.job());
        }
        return all;
    }

    synchronized int size() {
        return jobs.size();
    }
}
