package dev.steward.admin.internal;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * A report as CSV (RFC 4180): a header line of the column names, then a line per row, each ended by CRLF; a field
 * is quoted when it holds a comma, a double quote, CR or LF, with its double quotes doubled; SQL NULL is an empty
 * field, as psql writes it.
 */
final class Csv {

    private Csv() {
    }

    static void write(ReportTable table, Writer out) throws IOException {
        line(out, table.columns(), null);
        for (List<String> row : table.rows()) {
            line(out, row, table.numeric());
        }
        out.flush();
    }

    private static void line(Writer out, List<String> fields, List<Boolean> numeric) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            String field = fields.get(i);
            if (field != null) {
                out.write(quoted(numeric != null && numeric.get(i) ? field : defused(field)));
            }
        }
        out.write("\r\n");
    }

    /**
     * CSV formula injection: a spreadsheet opening the file runs a cell that starts with = + - or @ as a formula
     * (and tab or CR can smuggle one in), and text cells hold what tenants' clients wrote (session ids, names).
     * Such a text cell gets a leading single quote, which spreadsheets show as text. Numbers are left alone, so a
     * negative amount stays a number.
     */
    static String defused(String text) {
        return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }

    static String quoted(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\r') < 0
                && field.indexOf('\n') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
