package dev.steward.platform.internal;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Whether a failure is the database being out of reach (stopped, restarting, the network to it down) rather than a
 * bug: a connection exception anywhere in the cause chain, by JDBC class or SQLSTATE ({@code 08xxx}, or PostgreSQL's
 * {@code 57P01} to {@code 57P03}: shut down by an administrator, crashed, not accepting connections yet).
 */
final class DatabaseOutage {

    private static final Set<String> SHUTTING_DOWN = Set.of("57P01", "57P02", "57P03");

    private DatabaseOutage() {
    }

    static boolean in(Throwable error) {
        int depth = 0;
        for (Throwable t = error; t != null && depth < 50; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || SHUTTING_DOWN.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
