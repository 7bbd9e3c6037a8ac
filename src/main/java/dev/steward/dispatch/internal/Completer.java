package dev.steward.dispatch.internal;

import dev.steward.shared.Logs;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records the outcomes of attempts off the claim path, in batches: on its own thread and connection, whenever
 * {@link #FLUSH_ROWS} outcomes are waiting or {@link #FLUSH_MILLIS} after the first of a batch arrived, every
 * success in one statement, every failure in one, every deferral in one, one transaction. Until an attempt is
 * recorded its lease goes on being renewed (it stays in the dispatcher's running set). When the queue of outcomes is
 * full, workers wait to hand theirs over (back-pressure) rather than pile up more finished work than is recorded.
 * A batch that fails to record is tried again; its attempts are still leased to this node meanwhile.
 */
final class Completer {

    private static final Logger LOG = Logs.of(Completer.class);
    static final int FLUSH_ROWS = 500;
    static final long FLUSH_MILLIS = 5;
    private static final int CAPACITY = 20_000;
    private static final long RETRY_PAUSE_MILLIS = 1000;

    private static final String COMPLETE_MANY = "SELECT dispatch.complete_many(?, ?, ?, ?)";
    private static final String FAIL_MANY = "SELECT id, state FROM dispatch.fail_many(?, ?, ?, ?, ?, ?)";

    /** Told about each batch once it is recorded. */
    interface Recorded {
        /**
         * @param batch     the outcomes recorded (or no longer this node's to record)
         * @param completed how many successes were still this node's
         * @param failed    the new state of each failed job still this node's, by id
         */
        void recorded(List<Outcome> batch, int completed, Map<Long, String> failed);
    }

    private final BlockingQueue<Outcome> waiting = new ArrayBlockingQueue<>(CAPACITY);
    private final QueueConnection connection;
    private final String owner;
    private final Recorded recorded;
    private final Thread thread;
    private volatile boolean active = true;

    Completer(QueueConnection connection, String owner, Recorded recorded, ThreadFactory threads) {
        this.connection = connection;
        this.owner = owner;
        this.recorded = recorded;
        this.thread = threads.newThread(this::run);
        thread.setName("steward-completer");
    }

    void start() {
        thread.start();
    }

    /** Hands an outcome over; waits while the completer is {@link #CAPACITY} outcomes behind. */
    void add(Outcome outcome) throws InterruptedException {
        waiting.put(outcome);
    }

    /**
     * Stops the thread and records what is still waiting, on the caller's thread: at shutdown, after the workers
     * have finished. Returns false when that failed (those jobs will run again once their leases expire).
     */
    boolean stopAndFlush() {
        active = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Outcome> rest = new ArrayList<>();
        waiting.drainTo(rest);
        try {
            for (int from = 0; from < rest.size(); from += FLUSH_ROWS) {
                record(rest.subList(from, Math.min(rest.size(), from + FLUSH_ROWS)));
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not record the last " + rest.size() + " outcomes; those jobs run again", e);
            return false;
        } finally {
            connection.close();
        }
    }

    private void run() {
        List<Outcome> batch = new ArrayList<>();
        while (active) {
            try {
                if (batch.isEmpty()) {
                    Outcome first = waiting.poll(1, TimeUnit.SECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    long flushAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS);
                    waiting.drainTo(batch, FLUSH_ROWS - batch.size());
                    while (batch.size() < FLUSH_ROWS && System.nanoTime() < flushAt) {
                        Outcome next = waiting.poll(flushAt - System.nanoTime(), TimeUnit.NANOSECONDS);
                        if (next != null) {
                            batch.add(next);
                            waiting.drainTo(batch, FLUSH_ROWS - batch.size());
                        }
                    }
                }
                record(batch);
                batch = new ArrayList<>();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                // The batch in hand goes back, for stopAndFlush to record.
                batch.forEach(waiting::offer);
                return;
            } catch (SQLException | RuntimeException e) {
                LOG.log(Level.WARNING, "Recording " + batch.size() + " outcomes failed; trying again shortly", e);
                pause();
            }
        }
        batch.forEach(waiting::offer);
    }

    private void record(List<Outcome> batch) throws SQLException {
        List<JobRow> completed = new ArrayList<>();
        List<Outcome> failed = new ArrayList<>();
        List<Outcome> deferred = new ArrayList<>();
        for (Outcome outcome : batch) {
            switch (outcome.kind()) {
                case COMPLETED -> completed.add(outcome.job());
                case FAILED -> failed.add(outcome);
                case DEFERRED -> deferred.add(outcome);
            }
        }
        int[] completedCount = new int[1];
        Map<Long, String> failedStates = connection.inTransaction(db -> {
            completedCount[0] = completed.isEmpty() ? 0 : completeMany(db, completed);
            Map<Long, String> states = failed.isEmpty() ? Map.of() : failMany(db, failed);
            if (!deferred.isEmpty()) {
                Claims.defer(db, owner, deferred.stream().map(Outcome::job).toList(),
                        deferred.stream().map(Outcome::at).toList(),
                        deferred.stream().map(Outcome::detail).toList());
            }
            return states;
        });
        recorded.recorded(batch, completedCount[0], failedStates);
    }

    private int completeMany(Connection db, List<JobRow> jobs) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(COMPLETE_MANY)) {
            statement.setString(1, owner);
            Claims.bindAttempts(db, statement, 2, jobs);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    private Map<Long, String> failMany(Connection db, List<Outcome> failures) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(FAIL_MANY)) {
            statement.setString(1, owner);
            Claims.bindAttempts(db, statement, 2, failures.stream().map(Outcome::job).toList());
            statement.setArray(5, db.createArrayOf("text", failures.stream().map(Outcome::detail).toArray()));
            statement.setArray(6, db.createArrayOf("timestamptz", failures.stream()
                    .map(f -> f.at() == null ? null : Timestamp.from(f.at())).toArray()));
            Map<Long, String> states = new HashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    states.put(rows.getLong(1), rows.getString(2));
                }
            }
            return states;
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            active = false;
        }
    }
}
