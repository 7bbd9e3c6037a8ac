package dev.steward.dispatch.internal;

import dev.steward.shared.Logs;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens on the {@code steward_jobs} channel, which the {@code jobs_added} trigger notifies whenever jobs are
 * inserted on any node, and wakes this node's dispatcher. It holds one connection of the application's pool for
 * as long as Steward runs, and reconnects if the database goes away; meanwhile the dispatcher's polling covers.
 */
@ApplicationScoped
class JobArrivals {

    private static final Logger LOG = Logs.of(JobArrivals.class);
    private static final String CHANNEL = "steward_jobs";
    private static final int WAIT_MILLIS = 1000;

    @Resource(lookup = "jdbc/steward")
    DataSource dataSource;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    Dispatcher dispatcher;

    private volatile boolean active;
    private volatile Thread listener;

    synchronized void start() {
        if (listener != null) {
            return;
        }
        active = true;
        listener = threads.newThread(this::listen);
        listener.setName("steward-job-arrivals");
        listener.start();
    }

    @PreDestroy
    void stop() {
        active = false;
        Thread thread = listener;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void listen() {
        while (active) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement sql = connection.createStatement()) {
                    sql.execute("LISTEN " + CHANNEL);
                }
                PGConnection postgres = connection.unwrap(PGConnection.class);
                while (active) {
                    PGNotification[] arrived = postgres.getNotifications(WAIT_MILLIS);
                    if (arrived != null && arrived.length > 0) {
                        dispatcher.wake();
                    }
                }
            } catch (SQLException e) {
                LOG.log(Level.WARNING, "Listening for new jobs failed; polling until it reconnects", e);
                pause();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            active = false;
        }
    }
}
