package dev.steward.dispatch.internal;

import dev.steward.dispatch.api.Priority;
import dev.steward.shared.Logs;
import dev.steward.shared.Principal;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Tells the dispatchers about jobs this node inserted, once the inserting transaction has committed: this node's at
 * once, in memory, and every node's (this one's too) through one NOTIFY on {@code steward_jobs}, sent by one thread
 * on its own connection at most once every {@link #COALESCE_MILLIS}, carrying the highest priority and the earliest
 * due time of what was inserted meanwhile. A NOTIFY holds PostgreSQL's global notify lock through its commit, so one
 * per insert made every submitting transaction wait in line; coalesced, a burst of submissions costs a handful. (Jobs
 * inserted by anyone else still notify through the table's trigger; a lost announcement costs a poll interval.)
 */
@ApplicationScoped
class JobAnnouncer {

    private static final Logger LOG = Logs.of(JobAnnouncer.class);
    static final long COALESCE_MILLIS = 5;
    static final String CHANNEL = "steward_jobs";
    private static final Object PENDING = JobAnnouncer.class.getName() + ".pending";

    @Inject
    Dispatcher dispatcher;

    @Resource
    TransactionSynchronizationRegistry transactions;

    @Resource
    ManagedThreadFactory threads;

    @Resource(lookup = "jdbc/stewardQueue")
    DataSource queueDataSource;

    private final Object lock = new Object();
    private final Semaphore news = new Semaphore(0);
    /** What to announce next: the highest priority of jobs due now (or -1), the earliest later due time (or null). */
    private Arrivals pending = Arrivals.NONE;
    private Thread sender;
    private volatile boolean active = true;

    /**
     * Jobs of {@code priority} due at {@code runAt} (null: now) were inserted, or made due again, in the current
     * transaction: they are announced once it commits, and not at all if it rolls back; outside a transaction, now.
     */
    void arrived(Priority priority, Instant runAt) {
        Arrivals arrivals = Arrivals.of(priority, runAt);
        if (transactions.getTransactionKey() == null) {
            announce(arrivals);
            return;
        }
        Arrivals[] inTransaction = (Arrivals[]) transactions.getResource(PENDING);
        if (inTransaction == null) {
            Arrivals[] holder = {arrivals};
            transactions.putResource(PENDING, holder);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        announce(holder[0]);
                    }
                }
            });
        } else {
            inTransaction[0] = inTransaction[0].and(arrivals);
        }
    }

    private void announce(Arrivals arrivals) {
        if (arrivals.urgentNow()) {
            dispatcher.wakeUrgently();
        } else if (arrivals.dueNow()) {
            dispatcher.wake();
        }
        if (arrivals.later() != null) {
            dispatcher.wakeAt(arrivals.later());
        }
        synchronized (lock) {
            pending = pending.and(arrivals);
            if (sender == null) {
                sender = threads.newThread(this::send);
                sender.setName("steward-job-announcer");
                sender.start();
            }
        }
        news.release();
    }

    @PreDestroy
    void stop() {
        active = false;
        synchronized (lock) {
            if (sender != null) {
                sender.interrupt();
            }
        }
    }

    private void send() {
        try (QueueConnection connection = new QueueConnection(queueDataSource,
                Principal.system("dispatch").tag(), "dispatch-announce")) {
            while (active) {
                news.acquire();
                news.drainPermits();
                Arrivals next;
                synchronized (lock) {
                    next = pending;
                    pending = Arrivals.NONE;
                }
                try {
                    notifyAll(connection, next);
                } catch (SQLException | RuntimeException e) {
                    LOG.log(Level.FINE, "Could not announce new jobs; the dispatchers' polling covers", e);
                }
                Thread.sleep(COALESCE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void notifyAll(QueueConnection connection, Arrivals arrivals) throws SQLException {
        if (!arrivals.dueNow() && arrivals.later() == null) {
            return;
        }
        connection.inTransaction(db -> {
            try (PreparedStatement statement = db.prepareStatement("SELECT pg_notify(?, ?), pg_notify(?, ?)")) {
                // A payload sent twice in one transaction is delivered once: the second is the first or nothing new.
                String now = arrivals.dueNow() ? arrivals.highestNow() + ":" : null;
                String later = arrivals.later() == null ? null
                        : arrivals.highestLater() + ":" + arrivals.later().toEpochMilli();
                statement.setString(1, CHANNEL);
                statement.setString(2, now != null ? now : later);
                statement.setString(3, CHANNEL);
                statement.setString(4, later != null ? later : now);
                statement.execute();
            }
            return null;
        });
    }

    /**
     * Jobs inserted: the highest priority (lowest level) of those due now, -1 for none; the earliest due time of
     * those due later and their highest priority.
     */
    record Arrivals(int highestNow, Instant later, int highestLater) {

        static final Arrivals NONE = new Arrivals(-1, null, -1);

        static Arrivals of(Priority priority, Instant runAt) {
            return runAt == null || !runAt.isAfter(Instant.now()) ? new Arrivals(priority.level(), null, -1)
                    : new Arrivals(-1, runAt, priority.level());
        }

        boolean dueNow() {
            return highestNow >= 0;
        }

        boolean urgentNow() {
            return highestNow == Priority.P0.level();
        }

        Arrivals and(Arrivals other) {
            return new Arrivals(higher(highestNow, other.highestNow),
                    later == null ? other.later : other.later == null || later.isBefore(other.later) ? later
                            : other.later,
                    higher(highestLater, other.highestLater));
        }

        private static int higher(int a, int b) {
            return a < 0 ? b : b < 0 ? a : Math.min(a, b);
        }
    }
}
