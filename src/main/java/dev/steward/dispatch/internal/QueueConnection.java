package dev.steward.dispatch.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One connection of the queue's own pool ({@code jdbc/stewardQueue}: outside the requests' pool and outside JTA),
 * held by one of the dispatcher's threads for as long as it runs. It is bound to Steward's dispatch principal once,
 * for the session (the queue's functions are for Steward's workers only; no tenant is bound, so row-level security
 * shows it no tenant's rows), rather than at every transaction. After a failure it is dropped and the next use opens
 * another. Not thread-safe: one thread owns it.
 */
final class QueueConnection implements AutoCloseable {

    private static final String BIND = "SELECT set_config('app.tenant_id', '', false),"
            + " set_config('app.principal', ?, false), set_config('app.request_id', ?, false)";

    private final DataSource source;
    private final String principal;
    private final String name;
    private Connection connection;

    /**
     * @param principal the principal tag Steward's functions check, {@code system:dispatch}
     * @param name      what the connection's statements are recorded as ({@code app.request_id})
     */
    QueueConnection(DataSource source, String principal, String name) {
        this.source = source;
        this.principal = principal;
        this.name = name;
    }

    /** Runs {@code work} in one transaction and commits it; on any failure rolls back and drops the connection. */
    <T> T inTransaction(Work<T> work) throws SQLException {
        Connection open = open();
        try {
            T result = work.run(open);
            open.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            drop();
            throw e;
        }
    }

    private Connection open() throws SQLException {
        if (connection == null) {
            Connection fresh = source.getConnection();
            try {
                fresh.setAutoCommit(false);
                try (PreparedStatement bind = fresh.prepareStatement(BIND)) {
                    bind.setString(1, principal);
                    bind.setString(2, name);
                    bind.execute();
                }
                fresh.commit();
            } catch (SQLException | RuntimeException e) {
                fresh.close();
                throw e;
            }
            connection = fresh;
        }
        return connection;
    }

    /** Rolls back whatever was under way and closes the connection; the next use opens another. */
    private void drop() {
        Connection broken = connection;
        connection = null;
        if (broken == null) {
            return;
        }
        try {
            broken.rollback();
        } catch (SQLException ignored) {
            // It is being closed anyway.
        }
        try {
            broken.close();
        } catch (SQLException ignored) {
            // Nothing more to do with it.
        }
    }

    @Override
    public void close() {
        drop();
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }
}
