package dev.steward.admin.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the analysts' reports ({@code reports/<name>.sql}, written for psql), translated for JDBC so that the admin
 * UI runs the very same SQL: psql's meta-commands are dropped ({@code \set QUIET}) or become defaults (the
 * {@code \if :{?x} \else \set x value \endif} blocks), every {@code :'x'} becomes a bind parameter ({@code ?}, never
 * text pasted into the SQL), and the {@code SET} statements before the query run on their own, as {@code SET LOCAL}
 * (a plain {@code SET} would outlive the transaction on a pooled connection and change the next user's session).
 * Anything else psql would do differently (other meta-commands, {@code :x} or {@code :"x"} interpolation, SQL inside
 * an {@code \if}, more than one query) is refused, so a report that cannot be translated faithfully fails loudly
 * rather than giving other numbers than psql.
 *
 * @param name        the file's name without {@code .sql}
 * @param description the header comment's first sentence
 * @param setup       the statements to run first, each on its own ({@code SET LOCAL TIME ZONE 'UTC'})
 * @param query       the one final query, a SELECT (or WITH ... SELECT) with {@code ?} for each variable use
 * @param parameters  the variable each {@code ?} of the query stands for, in order (a variable used twice is twice)
 * @param defaults    the value of each variable the file gives a default for, used when none is given
 */
record PsqlReport(String name, String description, List<String> setup, String query, List<String> parameters,
                  Map<String, String> defaults) {

    private static final Pattern IF_DEFINED = Pattern.compile("\\\\if\\s+:\\{\\?([A-Za-z_][A-Za-z0-9_]*)}\\s*");
    private static final Pattern SET = Pattern.compile("\\\\set\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+(\\S+)\\s*");
    private static final Pattern QUIET = Pattern.compile("\\\\set\\s+QUIET\\s+(on|off)\\s*");

    /** The variables the query reads, each once, in the order of first use. */
    List<String> variables() {
        return List.copyOf(new LinkedHashSet<>(parameters));
    }

    /** The variables a caller must give: those the file has no default for. */
    List<String> required() {
        return variables().stream().filter(variable -> !defaults.containsKey(variable)).toList();
    }

    /**
     * The bind values in the query's order: each variable's given value, else its default.
     *
     * @throws IllegalArgumentException naming a variable that has neither
     */
    List<String> bind(Map<String, String> given) {
        List<String> values = new ArrayList<>();
        for (String parameter : parameters) {
            String value = given.getOrDefault(parameter, defaults.get(parameter));
            if (value == null) {
                throw new IllegalArgumentException(parameter + " is required");
            }
            values.add(value);
        }
        return values;
    }

    /** Translates a report file's text; {@link IllegalArgumentException} if it uses what cannot be translated. */
    static PsqlReport translate(String name, String text) {
        List<String> header = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        Map<String, String> defaults = new LinkedHashMap<>();
        String openIf = null; // the variable of the \if block we are in, if any
        boolean inElse = false;
        boolean inHeader = true;
        for (String line : text.split("\r?\n", -1)) {
            String trimmed = line.strip();
            if (inHeader && trimmed.startsWith("--")) {
                header.add(trimmed.substring(2).strip());
                continue;
            }
            inHeader = false;
            if (!trimmed.startsWith("\\")) {
                if (openIf != null && !trimmed.isEmpty() && !trimmed.startsWith("--")) {
                    throw refused(name, "SQL inside an \\if block: " + trimmed);
                }
                sql.append(line).append('\n');
                continue;
            }
            Matcher matcher;
            if (QUIET.matcher(trimmed).matches()) {
                continue; // psql's display only
            } else if ((matcher = IF_DEFINED.matcher(trimmed)).matches() && openIf == null) {
                openIf = matcher.group(1);
                inElse = false;
            } else if (trimmed.equals("\\else") && openIf != null && !inElse) {
                inElse = true;
            } else if (trimmed.equals("\\endif") && openIf != null) {
                openIf = null;
            } else if ((matcher = SET.matcher(trimmed)).matches() && inElse
                    && matcher.group(1).equals(openIf) && !defaults.containsKey(openIf)) {
                defaults.put(openIf, matcher.group(2)); // set only when not given: the variable's default
            } else {
                throw refused(name, "a psql meta-command the admin UI cannot translate: " + trimmed);
            }
        }
        if (openIf != null) {
            throw refused(name, "an \\if without its \\endif");
        }
        List<Statement> statements = statements(name, sql.toString());
        if (statements.isEmpty()) {
            throw refused(name, "no query");
        }
        Statement query = statements.get(statements.size() - 1);
        String verb = query.text().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        if (!verb.equals("SELECT") && !verb.equals("WITH")) {
            throw refused(name, "its last statement is not a query");
        }
        if (query.text().toLowerCase(Locale.ROOT).contains("set_config")) {
            throw refused(name, "set_config in the query: a report may not change the transaction's settings");
        }
        List<String> setup = new ArrayList<>();
        for (Statement statement : statements.subList(0, statements.size() - 1)) {
            if (!statement.variables().isEmpty()) {
                throw refused(name, "a variable outside the query: " + statement.variables());
            }
            setup.add(local(name, statement.text()));
        }
        return new PsqlReport(name, firstSentence(header), List.copyOf(setup), query.text(),
                List.copyOf(query.variables()), Map.copyOf(defaults));
    }

    /**
     * The time zone setting as {@code SET LOCAL}, so that it ends with the transaction. Nothing else may be set:
     * the transaction carries the tenant it reads for ({@code app.tenant_id}) and the role it reads as, and a report
     * file must not be able to change either.
     */
    private static String local(String name, String statement) {
        Matcher set = Pattern.compile("(?is)SET\\s+(TIME\\s+ZONE\\s+'[A-Za-z0-9/_+-]+')").matcher(statement);
        if (!set.matches()) {
            throw refused(name, "a statement other than SET TIME ZONE before the query: " + statement);
        }
        return "SET LOCAL " + set.group(1);
    }

    /** A statement's text and the variable each of its {@code ?} stands for. */
    private record Statement(String text, List<String> variables) {
    }

    /**
     * Splits SQL into statements at semicolons outside literals, quoted names and comments, dropping the comments
     * and replacing each {@code :'variable'} by {@code ?}.
     */
    private static List<Statement> statements(String name, String sql) {
        List<Statement> statements = new ArrayList<>();
        List<String> variables = new ArrayList<>();
        StringBuilder statement = new StringBuilder();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            char next = i + 1 < sql.length() ? sql.charAt(i + 1) : '\0';
            if (c == '-' && next == '-') {
                i = sql.indexOf('\n', i);
                i = i < 0 ? sql.length() : i;
            } else if (c == '/' && next == '*') {
                i = blockCommentEnd(name, sql, i);
                statement.append(' ');
            } else if (c == '\'' || c == '"') {
                if (c == '\'' && i > 0 && "eE".indexOf(sql.charAt(i - 1)) >= 0
                        && (i < 2 || !Character.isLetterOrDigit(sql.charAt(i - 2)))) {
                    throw refused(name, "an escape string (E'...')");
                }
                int end = quotedEnd(name, sql, i, c);
                statement.append(sql, i, end);
                i = end;
            } else if (c == '$' && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int end = sql.indexOf(tag, i + tag.length());
                if (end < 0) {
                    throw refused(name, "an unterminated " + tag + " string");
                }
                statement.append(sql, i, end + tag.length());
                i = end + tag.length();
            } else if (c == ':' && next == ':') {
                statement.append("::");
                i += 2;
            } else if (c == ':' && next == '\'') {
                int end = sql.indexOf('\'', i + 2);
                String variable = end < 0 ? "" : sql.substring(i + 2, end);
                if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw refused(name, "a variable reference it cannot read near " + sql.substring(i,
                            Math.min(sql.length(), i + 20)));
                }
                statement.append('?');
                variables.add(variable);
                i = end + 1;
            } else if (c == ':' && (next == '"' || Character.isLetter(next) || next == '_')) {
                throw refused(name, "psql interpolation other than :'variable' (a literal) near "
                        + sql.substring(i, Math.min(sql.length(), i + 20)));
            } else if (c == '?') {
                throw refused(name, "a ? outside a literal, which JDBC would take for a parameter");
            } else if (c == ';') {
                finish(statements, statement, variables);
                i++;
            } else {
                statement.append(c);
                i++;
            }
        }
        finish(statements, statement, variables);
        return statements;
    }

    private static void finish(List<Statement> statements, StringBuilder statement, List<String> variables) {
        String text = statement.toString().strip();
        if (!text.isEmpty()) {
            statements.add(new Statement(text, List.copyOf(variables)));
        }
        statement.setLength(0);
        variables.clear();
    }

    private static int blockCommentEnd(String name, String sql, int start) {
        int depth = 0;
        int i = start;
        while (i < sql.length() - 1) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        throw refused(name, "an unterminated comment");
    }

    /** Where a literal or quoted name starting at {@code start} ends (past its closing quote; doubled quotes stay). */
    private static int quotedEnd(String name, String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        throw refused(name, "an unterminated " + quote + " quote");
    }

    /** The dollar-quote tag starting at {@code i} ({@code $$}, {@code $body$}), or null if there is none. */
    private static String dollarTag(String sql, int i) {
        Matcher tag = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)?\\$").matcher(sql);
        return tag.find(i) && tag.start() == i ? tag.group() : null;
    }

    /** The header comment's first sentence, with its lines joined (the lines from "Run:" on are how to run it). */
    private static String firstSentence(List<String> header) {
        StringBuilder text = new StringBuilder();
        for (String line : header) {
            if (line.startsWith("Run:")) {
                break;
            }
            text.append(text.isEmpty() ? "" : " ").append(line);
        }
        int end = text.indexOf(". ");
        return end < 0 ? text.toString().strip() : text.substring(0, end + 1);
    }

    private static IllegalArgumentException refused(String name, String what) {
        return new IllegalArgumentException("reports/" + name + ".sql: " + what);
    }

    /** The variables a set of reports reads, each once, in order of first use (the form's fields). */
    static Set<String> variablesOf(List<PsqlReport> reports) {
        Set<String> variables = new LinkedHashSet<>();
        reports.forEach(report -> variables.addAll(report.variables()));
        return variables;
    }
}
