package dev.steward.tools.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the query a model wrote and refuses, with a reason the model can act on, anything but one SELECT (or WITH
 * ... SELECT) over the documented views using an allow-listed set of functions. Comments, dollar quotes and escape
 * strings are refused outright, so that nothing is hidden from this reading. The database adds its own limits (READ
 * ONLY, so nothing can write; a role that can read the views and nothing else; a timeout), but the role and the
 * tenant a transaction is bound to are settings that {@code set_config} could change: keeping that function (and
 * every other outside the list) out is this reading's job alone, which is why the list is an allow-list.
 */
final class SqlGuard {

    static final int MAX_LENGTH = 4000;

    private static final Set<String> FORBIDDEN = Set.of("insert", "update", "delete", "merge", "upsert", "create",
            "alter", "drop", "truncate", "grant", "revoke", "copy", "call", "do", "set", "reset", "lock", "vacuum",
            "analyze", "refresh", "cluster", "reindex", "listen", "notify", "unlisten", "prepare", "execute",
            "deallocate", "discard", "load", "into", "checkpoint", "begin", "commit", "rollback", "savepoint",
            "release", "import", "explain");
    /** Words that may stand before a parenthesis without being a function call. */
    private static final Set<String> KEYWORDS = Set.of("select", "with", "as", "from", "join", "on", "using", "where",
            "and", "or", "not", "in", "exists", "any", "all", "some", "values", "over", "filter", "within", "lateral",
            "when", "then", "else", "case", "array", "row", "rows", "by", "having", "union", "intersect", "except",
            "distinct", "is", "like", "ilike", "between", "materialized", "recursive", "partition", "group", "order",
            "limit", "offset", "end", "rollup", "cube", "grouping", "sets");
    private static final Set<String> FUNCTIONS = Set.of("count", "sum", "avg", "min", "max", "coalesce", "nullif",
            "greatest", "least", "lower", "upper", "length", "char_length", "trim", "btrim", "ltrim", "rtrim",
            "substring", "substr", "replace", "concat", "concat_ws", "left", "right", "position", "split_part",
            "initcap", "round", "ceil", "ceiling", "floor", "abs", "trunc", "mod", "power", "sqrt", "date_trunc",
            "date_part", "extract", "to_char", "to_date", "to_timestamp", "to_number", "now", "age", "make_interval",
            "make_date", "cast", "jsonb_array_length", "jsonb_typeof", "jsonb_extract_path_text",
            "jsonb_object_keys", "jsonb_array_elements", "jsonb_array_elements_text", "jsonb_each",
            "jsonb_each_text", "jsonb_build_object", "jsonb_build_array", "jsonb_agg", "jsonb_object_agg",
            "json_agg", "to_jsonb", "row_to_json", "string_agg", "array_agg", "array_length", "unnest", "bool_and",
            "bool_or", "every", "percentile_cont", "percentile_disc", "mode", "stddev", "stddev_pop", "stddev_samp",
            "variance", "var_pop", "var_samp", "corr", "row_number", "rank", "dense_rank", "percent_rank",
            "cume_dist", "ntile", "lag", "lead", "first_value", "last_value", "nth_value", "generate_series",
            "numeric", "decimal", "varchar", "char", "character", "timestamp", "timestamptz", "time", "interval",
            "date_bin", "width_bucket", "regexp_replace", "regexp_match", "starts_with", "md5");
    /** Types whose input functions look names up in the catalogs ({@code 'pg_authid'::regclass}). */
    private static final Set<String> CATALOG_TYPES = Set.of("regclass", "regtype", "regproc", "regprocedure",
            "regoper", "regoperator", "regrole", "regnamespace", "regconfig", "regdictionary", "regcollation",
            "oid", "xid", "cid", "tid");

    private SqlGuard() {
    }

    private enum Kind { WORD, QUOTED, STRING, NUMBER, SYMBOL }

    private record Token(Kind kind, String text) {

        boolean is(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }

        boolean word(String word) {
            return kind == Kind.WORD && text.equals(word);
        }
    }

    /** Why {@code sql} is refused; empty when it may run. */
    static Optional<String> problem(String sql) {
        if (sql == null || sql.isBlank()) {
            return Optional.of("sql: is required");
        }
        if (sql.length() > MAX_LENGTH) {
            return Optional.of("sql: at most " + MAX_LENGTH + " characters");
        }
        List<Token> tokens = new ArrayList<>();
        Optional<String> unreadable = tokenize(sql, tokens);
        if (unreadable.isPresent()) {
            return unreadable;
        }
        while (!tokens.isEmpty() && tokens.get(tokens.size() - 1).is(";")) {
            tokens.remove(tokens.size() - 1);
        }
        if (tokens.isEmpty() || !(tokens.get(0).word("select") || tokens.get(0).word("with"))) {
            return Optional.of("Only a query may run: it must start with SELECT or WITH");
        }
        int depth = 0;
        for (Token token : tokens) {
            depth += token.is("(") ? 1 : token.is(")") ? -1 : 0;
            if (depth < 0) {
                break;
            }
        }
        if (depth != 0) {
            return Optional.of("The parentheses do not balance");
        }
        for (int i = 0; i < tokens.size(); i++) {
            Optional<String> problem = problem(tokens, i);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> problem(List<Token> tokens, int i) {
        Token token = tokens.get(i);
        if (token.is(";")) {
            return Optional.of("One statement only: remove the ';' inside the query");
        }
        if (token.kind() != Kind.WORD && token.kind() != Kind.QUOTED) {
            return Optional.empty();
        }
        String name = token.text();
        if (name.startsWith("pg_") || name.equals("information_schema")) {
            return Optional.of("Only the documented views may be read, not " + name);
        }
        boolean word = token.kind() == Kind.WORD;
        if (CATALOG_TYPES.contains(name)) {
            return Optional.of("Only the documented views may be read, not the catalogs (" + name + ")");
        }
        if (word && FORBIDDEN.contains(name)) {
            return Optional.of("Only reads may run: " + name.toUpperCase(Locale.ROOT) + " is not allowed");
        }
        if (token.word("for") && i + 1 < tokens.size() && Set.of("share", "key", "no")
                .contains(tokens.get(i + 1).text())) {
            return Optional.of("Only reads may run: row locks are not allowed");
        }
        // A name before a parenthesis is a function call, unless it is a keyword, a type after '::', a column list
        // after AS (an alias's, or CAST's type), or the first common table expression's column list.
        boolean call = i + 1 < tokens.size() && tokens.get(i + 1).is("(");
        Token before = i > 0 ? tokens.get(i - 1) : null;
        boolean notACall = before != null && (before.is("::") || before.word("as") || before.word("with")
                || before.word("recursive"));
        if (call && !notACall && !(word && KEYWORDS.contains(name)) && !FUNCTIONS.contains(name)) {
            return Optional.of("The function " + name + " is not allowed; use the common aggregate, date, text,"
                    + " number and jsonb functions");
        }
        return Optional.empty();
    }

    private static Optional<String> tokenize(String sql, List<Token> tokens) {
        int i = 0;
        int length = sql.length();
        while (i < length) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (sql.startsWith("--", i) || sql.startsWith("/*", i)) {
                return Optional.of("Comments are not allowed in the query");
            } else if (c == '$') {
                return Optional.of("Dollar quotes and parameters are not allowed in the query");
            } else if (c == '\'') {
                int end = closing(sql, i, '\'');
                if (end < 0) {
                    return Optional.of("A string literal is not closed");
                }
                tokens.add(new Token(Kind.STRING, sql.substring(i + 1, end)));
                i = end + 1;
            } else if (c == '"') {
                int end = closing(sql, i, '"');
                if (end < 0) {
                    return Optional.of("A quoted name is not closed");
                }
                tokens.add(new Token(Kind.QUOTED, sql.substring(i + 1, end).replace("\"\"", "\"")
                        .toLowerCase(Locale.ROOT)));
                i = end + 1;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i;
                while (end < length && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
                    end++;
                }
                boolean unicode = end == i + 1 && (c == 'u' || c == 'U') && sql.startsWith("&", end);
                if (end < length && sql.charAt(end) == '\'' || unicode) {
                    return Optional.of("Escape, Unicode and bit-string literals are not allowed; write plain"
                            + " 'strings'");
                }
                tokens.add(new Token(Kind.WORD, sql.substring(i, end).toLowerCase(Locale.ROOT)));
                i = end;
            } else if (Character.isDigit(c)) {
                int end = i;
                while (end < length && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '.')) {
                    end++;
                }
                tokens.add(new Token(Kind.NUMBER, sql.substring(i, end)));
                i = end;
            } else if (sql.startsWith("::", i)) {
                tokens.add(new Token(Kind.SYMBOL, "::"));
                i += 2;
            } else {
                tokens.add(new Token(Kind.SYMBOL, String.valueOf(c)));
                i++;
            }
        }
        return Optional.empty();
    }

    /** The index of the quote closing the one at {@code start} (a doubled quote is part of the text), or -1. */
    private static int closing(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        return -1;
    }
}
