package dev.steward.tenancy.internal;

import dev.steward.shared.Logs;
import dev.steward.tenancy.api.DatabaseNotifications;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Holds one connection of the application's pool for as long as Steward runs, LISTENs on every subscribed channel
 * and reconnects if the database goes away (meanwhile the subscribers' own polling covers).
 */
@ApplicationScoped
class NotificationListener implements DatabaseNotifications {

    private static final Logger LOG = Logs.of(NotificationListener.class);
    private static final int WAIT_MILLIS = 250;

    @Resource(lookup = "jdbc/steward")
    DataSource dataSource;

    @Resource
    ManagedThreadFactory threads;

    private final Map<String, List<Consumer<Optional<String>>>> handlers = new ConcurrentHashMap<>();
    private volatile boolean active = true;
    private Thread listener;

    @Override
    public synchronized void subscribe(String channel, Consumer<Optional<String>> handler) {
        if (!channel.matches("[a-z0-9_]{1,63}")) {
            throw new IllegalArgumentException("not a channel name: " + channel);
        }
        handlers.computeIfAbsent(channel, ignored -> new CopyOnWriteArrayList<>()).add(handler);
        if (listener == null) {
            listener = threads.newThread(this::listen);
            listener.setName("steward-notifications");
            listener.start();
        }
    }

    @PreDestroy
    synchronized void stop() {
        active = false;
        if (listener != null) {
            listener.interrupt();
        }
    }

    private void listen() {
        boolean reconnected = false;
        while (active) {
            try (Connection connection = dataSource.getConnection()) {
                PGConnection postgres = connection.unwrap(PGConnection.class);
                Set<String> listening = new HashSet<>();
                while (active) {
                    for (String channel : handlers.keySet()) {
                        if (listening.add(channel)) {
                            try (Statement sql = connection.createStatement()) {
                                sql.execute("LISTEN " + channel);
                            }
                        }
                    }
                    if (reconnected) {
                        // Only now that LISTEN is back: what was sent before this is what handlers catch up on.
                        reconnected = false;
                        handlers.values().forEach(list -> list.forEach(handler -> deliver(handler, Optional.empty())));
                    }
                    PGNotification[] arrived = postgres.getNotifications(WAIT_MILLIS);
                    if (arrived != null) {
                        for (PGNotification notification : arrived) {
                            Optional<String> payload = Optional.of(notification.getParameter());
                            handlers.getOrDefault(notification.getName(), List.of())
                                    .forEach(handler -> deliver(handler, payload));
                        }
                    }
                }
            } catch (SQLException e) {
                LOG.log(Level.WARNING, "Listening for database notifications failed; reconnecting", e);
                reconnected = true;
                pause();
            }
        }
    }

    private static void deliver(Consumer<Optional<String>> handler, Optional<String> payload) {
        try {
            handler.accept(payload);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A notification handler failed", e);
        }
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            active = false;
        }
    }
}
