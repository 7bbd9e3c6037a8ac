package dev.steward.tenancy.api;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * PostgreSQL LISTEN/NOTIFY for the whole node over one connection: what one node commits wakes the others. A
 * handler runs on the listening thread and must return quickly (hand the work to another thread). It is called
 * with each notification's payload, and with an empty payload after the connection was lost and restored, since
 * notifications sent meanwhile are gone: the handler then catches up from the tables.
 */
public interface DatabaseNotifications {

    /** {@code channel}: lowercase letters, digits and underscores. */
    void subscribe(String channel, Consumer<Optional<String>> handler);
}
