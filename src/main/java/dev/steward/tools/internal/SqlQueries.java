package dev.steward.tools.internal;

import dev.steward.tools.api.ToolOutcome;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;

/**
 * Runs a query {@link SqlGuard} let through, behind the database's wall: a READ ONLY transaction, {@code SET LOCAL
 * ROLE steward_sql} (which may read the {@code agent_sql} views and nothing else), the views' schema as the search
 * path, a statement timeout and a row cap. The transaction is bound to the tenant in scope like every other, so the
 * views show that tenant's rows only; it is rolled back whatever happens, leaving nothing behind.
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

    /** The rows as {@code {columns, rows, rowCount, truncated}}, or why the query could not run. */
    @Transactional
    ToolOutcome run(String sql) {
        transaction.setRollbackOnly();
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try {
                restrict(connection);
                try (PreparedStatement query = connection.prepareStatement(sql)) {
                    query.setMaxRows(maxRows + 1);
                    try (ResultSet rows = query.executeQuery()) {
                        return new ToolOutcome.Done(render(rows));
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

    private String render(ResultSet rows) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        JsonArrayBuilder columns = Json.createArrayBuilder();
        for (int c = 1; c <= meta.getColumnCount(); c++) {
            columns.add(meta.getColumnLabel(c));
        }
        JsonArrayBuilder table = Json.createArrayBuilder();
        int count = 0;
        int size = 0;
        boolean truncated = false;
        while (rows.next()) {
            if (count == maxRows) {
                truncated = true;
                break;
            }
            JsonArrayBuilder row = Json.createArrayBuilder();
            for (int c = 1; c <= meta.getColumnCount(); c++) {
                add(row, rows, c, meta.getColumnType(c), meta.getColumnTypeName(c));
            }
            JsonArray built = row.build();
            size += built.toString().length() + 1;
            if (size > MAX_RESULT_CHARS) {
                truncated = true;
                break;
            }
            table.add(built);
            count++;
        }
        return Json.createObjectBuilder().add("columns", columns).add("rows", table).add("rowCount", count)
                .add("truncated", truncated).build().toString();
    }

    private static void add(JsonArrayBuilder row, ResultSet rows, int column, int type, String typeName)
            throws SQLException {
        Object value = rows.getObject(column);
        if (value == null) {
            row.addNull();
        } else if (value instanceof Boolean bool) {
            row.add(bool);
        } else if (value instanceof Number) {
            row.add(new BigDecimal(value.toString()));
        } else if (type == Types.TIMESTAMP_WITH_TIMEZONE || "timestamptz".equals(typeName)) {
            row.add(rows.getObject(column, OffsetDateTime.class).toInstant().toString());
        } else if ("jsonb".equals(typeName) || "json".equals(typeName)) {
            try (JsonReader reader = Json.createReader(new StringReader(rows.getString(column)))) {
                row.add(reader.readValue());
            } catch (JsonException e) {
                row.add(rows.getString(column));
            }
        } else {
            row.add(rows.getString(column));
        }
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
