package dev.steward.admin.internal;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A report's answer as text, each value as the database writes it (as psql shows it), null for SQL NULL. Public,
 * so that the pages' expressions can read it.
 *
 * @param columns the column names, in order
 * @param numeric whether each column is a number (CSV cells of other columns are guarded against formulas)
 * @param rows    the rows, each a value per column
 */
public record ReportTable(List<String> columns, List<Boolean> numeric, List<List<String>> rows) {

    /** The same table without {@code column} (a tenant's page has no use for the tenant column). */
    public ReportTable without(String column) {
        int index = columns.indexOf(column);
        if (index < 0) {
            return this;
        }
        List<String> keptColumns = new ArrayList<>(columns);
        keptColumns.remove(index);
        List<Boolean> keptNumeric = new ArrayList<>(numeric);
        keptNumeric.remove(index);
        List<List<String>> keptRows = rows.stream().map(row -> {
            List<String> kept = new ArrayList<>(row);
            kept.remove(index);
            return Collections.unmodifiableList(kept); // values may be null: not List.copyOf
        }).toList();
        return new ReportTable(List.copyOf(keptColumns), List.copyOf(keptNumeric), keptRows);
    }

    /**
     * Where a value leads in the admin UI, relative to {@code /admin/}: a session's page for a {@code session_id},
     * a workflow run's for a {@code run_id} (the id encoded as a path segment: session ids are the clients' own
     * text); null for other columns and for NULL.
     */
    public String linkOf(String column, String value) {
        String page = switch (column) {
            case "session_id" -> "sessions/";
            case "run_id" -> "runs/";
            default -> null;
        };
        return page == null || value == null ? null
                : page + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A row's value of {@code column}, or null. */
    String value(List<String> row, String column) {
        int index = columns.indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + columns);
        }
        return row.get(index);
    }

    /** A row's number in {@code column}; zero for NULL. */
    BigDecimal number(List<String> row, String column) {
        String value = value(row, column);
        return value == null ? BigDecimal.ZERO : new BigDecimal(value);
    }

    /** The sum of {@code column} over all rows. */
    BigDecimal total(String column) {
        return rows.stream().map(row -> number(row, column)).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
