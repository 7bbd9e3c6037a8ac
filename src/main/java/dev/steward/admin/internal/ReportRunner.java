package dev.steward.admin.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;

/**
 * Runs reports ({@link PsqlReport}) in the caller's tenant scope: one READ ONLY transaction for all of a page's
 * reports, bound to the tenant like every other (the reporting views are security_invoker, so the tenant policy
 * binds what they read), with a statement timeout; each report's SET statements, then its query with the values as
 * bind parameters. The values are sent untyped, as psql's {@code :'x'} literals are, so the query's own casts
 * ({@code ::timestamptz}, {@code ::date}, {@code ::numeric}) read them exactly as they read psql's.
 */
@ApplicationScoped
class ReportRunner {

    /** A report and the values given for its variables (the others take the report's defaults). */
    record Run(PsqlReport report, Map<String, String> values) {
    }

    /** More rows than a report of aggregates has; a guard for memory, as a page or a CSV holds them all. */
    static final int MAX_ROWS = 100_000;

    private static final Set<Integer> NUMBERS = Set.of(Types.NUMERIC, Types.DECIMAL, Types.INTEGER, Types.BIGINT,
            Types.SMALLINT, Types.TINYINT, Types.DOUBLE, Types.REAL, Types.FLOAT);

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Inject
    @ConfigProperty(name = "steward.admin.report-timeout-seconds", defaultValue = "60")
    int timeoutSeconds;

    /**
     * Each report's table, in order.
     *
     * @throws IllegalArgumentException when a required variable has no value
     * @throws ReportFailed             when the database refuses a value ({@link ReportFailed#badValue}) or fails
     */
    @Transactional
    List<ReportTable> run(List<Run> runs) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (Statement settings = connection.createStatement()) {
                settings.execute("SET TRANSACTION READ ONLY");
                settings.execute("SET LOCAL statement_timeout = '" + timeoutSeconds + "s'");
            }
            List<ReportTable> tables = new ArrayList<>();
            for (Run run : runs) {
                tables.add(run(connection, run.report(), run.report().bind(run.values())));
            }
            return tables;
        });
    }

    private static ReportTable run(Connection connection, PsqlReport report, List<String> values) {
        try {
            for (String setup : report.setup()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(setup);
                }
            }
            try (PreparedStatement query = connection.prepareStatement(report.query())) {
                for (int i = 0; i < values.size(); i++) {
                    query.setObject(i + 1, values.get(i), Types.OTHER);
                }
                try (ResultSet rows = query.executeQuery()) {
                    return table(report, rows);
                }
            }
        } catch (SQLException e) {
            throw new ReportFailed(report.name(), e);
        }
    }

    private static ReportTable table(PsqlReport report, ResultSet rows) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        List<String> columns = new ArrayList<>();
        List<Boolean> numeric = new ArrayList<>();
        for (int c = 1; c <= meta.getColumnCount(); c++) {
            columns.add(meta.getColumnLabel(c));
            numeric.add(NUMBERS.contains(meta.getColumnType(c)));
        }
        List<List<String>> table = new ArrayList<>();
        while (rows.next()) {
            if (table.size() == MAX_ROWS) {
                throw new ReportFailed(report.name(), "more than " + MAX_ROWS + " rows: choose a shorter period");
            }
            List<String> row = new ArrayList<>();
            for (int c = 1; c <= columns.size(); c++) {
                row.add(text(rows, c));
            }
            table.add(Collections.unmodifiableList(row));
        }
        return new ReportTable(List.copyOf(columns), List.copyOf(numeric), Collections.unmodifiableList(table));
    }

    /**
     * A value as psql shows it. Numbers in plain notation whichever way the driver received them: once it has run a
     * statement a few times it switches to binary results, and a BigDecimal's own toString may then say 0E-7.
     */
    private static String text(ResultSet rows, int column) throws SQLException {
        Object value = rows.getObject(column);
        return value instanceof BigDecimal number ? number.toPlainString() : value == null ? null
                : rows.getString(column);
    }

    /** A report that could not run: a value the database could not read (a client's mistake), or a failure. */
    static final class ReportFailed extends RuntimeException {

        private final boolean badValue;

        ReportFailed(String report, SQLException cause) {
            super(report + ": " + cause.getMessage(), cause);
            // Class 22, data exception: a date, time or number the query's casts could not read.
            this.badValue = cause.getSQLState() != null && cause.getSQLState().startsWith("22");
        }

        ReportFailed(String report, String why) {
            super(report + ": " + why);
            this.badValue = true;
        }

        boolean badValue() {
            return badValue;
        }
    }
}
