package dev.steward.tools.internal;

import dev.steward.tools.api.ToolOutcome;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.JsonReader;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;

/**
 * Runs a query {@link SqlGuard} let through: in a READ ONLY transaction of its own (nothing it does can write), as
 * {@code steward_sql} (which may read the {@code agent_sql} views and nothing else), with the views' schema as the
 * search path, a statement timeout, a row cap and a size cap. The transaction is bound to the tenant in scope like
 * every other, so the views show that tenant's rows only, and it is rolled back whatever happens. The role and the
 * tenant binding are settings a statement could change with {@code set_config}, which the guard refuses: for those
 * two the guard is the wall (a separate login role for the tool would make the database one too).
 */
@ApplicationScoped
class SqlQueries {

    static final String ROLE = "steward_sql";
    static final String VIEWS = "agent_sql";
    /** The answer's size at most, in characters: a model's context is not the place for a table dump. */
    static final int MAX_RESULT_CHARS = 32_000;

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Resource
    TransactionSynchronizationRegistry transaction;

    @Inject
    @ConfigProperty(name = "steward.tools.sql.max-rows", defaultValue = "200")
    int maxRows;

    @Inject
    @ConfigProperty(name = "steward.tools.sql.timeout-millis", defaultValue = "5000")
    int timeoutMillis;

    /**
     * The rows as {@code {columns, rows, rowCount, truncated}}, or why the query could not run. The query runs
     * wrapped, so that the database itself turns each row into JSON cut at the answer's size and stops after the row
     * cap: a row the model built to be huge never reaches this JVM whole.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    ToolOutcome run(String sql) {
        transaction.setRollbackOnly();
        String query = sql.strip().replaceAll(";+$", "");
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try {
                restrict(connection);
                List<String> columns = columns(connection, query);
                if (new HashSet<>(columns).size() < columns.size()) {
                    return new ToolOutcome.Failed("Name each column once (with AS): " + columns);
                }
                try (PreparedStatement wrapped = connection.prepareStatement("SELECT left(row_to_json(q)::text, "
                        + (MAX_RESULT_CHARS + 1) + ") FROM (" + query + ") q LIMIT " + (maxRows + 1))) {
                    try (ResultSet rows = wrapped.executeQuery()) {
                        return new ToolOutcome.Done(render(columns, rows));
                    }
                }
            } catch (SQLException e) {
                return new ToolOutcome.Failed(explain(e));
            }
        });
    }

    private void restrict(Connection connection) throws SQLException {
        try (Statement set = connection.createStatement()) {
            set.execute("SET TRANSACTION READ ONLY");
            set.execute("SET LOCAL statement_timeout = " + timeoutMillis);
            set.execute("SET LOCAL ROLE " + ROLE);
            set.execute("SET LOCAL search_path = " + VIEWS);
        }
    }

    /** The query's columns, as the database describes it without running it. */
    private static List<String> columns(Connection connection, String query) throws SQLException {
        try (PreparedStatement described = connection.prepareStatement(query)) {
            ResultSetMetaData meta = described.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int c = 1; meta != null && c <= meta.getColumnCount(); c++) {
                columns.add(meta.getColumnLabel(c));
            }
            return columns;
        }
    }

    /** Rows as the database renders each (JSON objects keyed by column), in the columns' order, within the caps. */
    private String render(List<String> columns, ResultSet rows) throws SQLException {
        JsonArrayBuilder table = Json.createArrayBuilder();
        int count = 0;
        int size = 0;
        boolean truncated = false;
        while (rows.next()) {
            String text = rows.getString(1);
            size += text.length() + 1;
            if (count == maxRows || text.length() > MAX_RESULT_CHARS || size > MAX_RESULT_CHARS) {
                truncated = true;
                break;
            }
            JsonObject row;
            try (JsonReader reader = Json.createReader(new StringReader(text))) {
                row = reader.readObject();
            }
            JsonArrayBuilder values = Json.createArrayBuilder();
            columns.forEach(column -> values.add(row.getOrDefault(column, JsonValue.NULL)));
            table.add(values);
            count++;
        }
        return Json.createObjectBuilder().add("columns", Json.createArrayBuilder(columns)).add("rows", table).add("rowCount", count)
                .add("truncated", truncated).build().toString();
    }

    /** What went wrong, in words a model (and the person reading the transcript) can act on. */
    private String explain(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        switch (state) {
            case "57014":
                return "The query ran longer than " + timeoutMillis + " ms and was stopped";
            case "42501":
                return "Only the documented views in " + VIEWS + " may be read";
            case "25006":
                return "Only reads may run";
            default:
                String message = e.getMessage() == null ? state : e.getMessage();
                int where = message.indexOf("\n  Where:");
                return "The query failed: " + (where > 0 ? message.substring(0, where) : message);
        }
    }
}
