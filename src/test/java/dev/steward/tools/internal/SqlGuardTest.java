package dev.steward.tools.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SqlGuardTest {

    private static Optional<String> problem(String sql) {
        return SqlGuard.problem(sql);
    }

    @Test
    void readsOverTheViewsWithCommonFunctionsPass() {
        assertThat(problem("SELECT type, count(*) FROM records GROUP BY type ORDER BY 2 DESC;")).isEmpty();
        assertThat(problem("WITH recent(id, n) AS (SELECT record_id, count(*) FROM record_changes GROUP BY 1)"
                + " SELECT r.fields->>'name', recent.n FROM records r JOIN recent ON recent.id = r.id")).isEmpty();
        assertThat(problem("SELECT date_trunc('day', occurred_at) AS day, sum(cost)::numeric(12, 4),"
                + " CAST(avg(latency_ms) AS numeric(10, 1)), count(*) FILTER (WHERE outcome = 'failed')"
                + " FROM model_usage WHERE occurred_at > now() - interval '7 days' GROUP BY 1")).isEmpty();
        assertThat(problem("SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) FROM model_usage"))
                .isEmpty();
        // Words inside strings are data, not SQL.
        assertThat(problem("SELECT * FROM records WHERE fields->>'status' = 'delete; drop table x' AND"
                + " fields->>'owner' = 'it''s'")).isEmpty();
        assertThat(problem("SELECT fields->>'owner' AS owner, x FROM records, generate_series(1, 3) AS g(x)"))
                .isEmpty();
    }

    @Test
    void writesDdlAndSeveralStatementsAreRefused() {
        assertThat(problem("DELETE FROM records")).contains("Only a query may run: it must start with SELECT or"
                + " WITH");
        assertThat(problem("  drop table records")).contains("Only a query may run: it must start with SELECT or"
                + " WITH");
        assertThat(problem("WITH gone AS (DELETE FROM records RETURNING *) SELECT * FROM gone"))
                .contains("Only reads may run: DELETE is not allowed");
        assertThat(problem("SELECT 1; DROP TABLE records")).contains("One statement only: remove the ';' inside"
                + " the query");
        assertThat(problem("SELECT * INTO copy FROM records")).contains("Only reads may run: INTO is not allowed");
        assertThat(problem("SELECT * FROM records FOR UPDATE")).contains("Only reads may run: UPDATE is not"
                + " allowed");
        assertThat(problem("SELECT * FROM records FOR SHARE")).contains("Only reads may run: row locks are not"
                + " allowed");
        assertThat(problem("")).contains("sql: is required");
        assertThat(problem("SELECT '" + "x".repeat(SqlGuard.MAX_LENGTH) + "'")).contains("sql: at most 4000"
                + " characters");
    }

    @Test
    void functionsOutsideTheAllowListAndTheCatalogsAreRefused() {
        assertThat(problem("SELECT set_config('app.tenant_id', '00000000-0000-0000-0000-000000000000', true)"))
                .contains("The function set_config is not allowed; use the common aggregate, date, text, number"
                        + " and jsonb functions");
        assertThat(problem("SELECT \"set_config\"('role', 'steward_app', true)")).get().asString()
                .startsWith("The function set_config is not allowed");
        assertThat(problem("SELECT pg_read_file('/etc/passwd')")).contains("Only the documented views may be"
                + " read, not pg_read_file");
        assertThat(problem("SELECT pg_sleep(10)")).contains("Only the documented views may be read, not pg_sleep");
        assertThat(problem("SELECT lo_import('/etc/passwd')")).get().asString()
                .startsWith("The function lo_import is not allowed");
        assertThat(problem("SELECT query_to_xml('select 1', true, true, '')")).get().asString()
                .startsWith("The function query_to_xml is not allowed");
        assertThat(problem("SELECT dblink('host=x', 'select 1')")).get().asString()
                .startsWith("The function dblink is not allowed");
        assertThat(problem("SELECT * FROM pg_catalog.pg_authid")).contains("Only the documented views may be"
                + " read, not pg_catalog");
        assertThat(problem("SELECT * FROM \"PG_CATALOG\".pg_class")).contains("Only the documented views may be"
                + " read, not pg_catalog");
        assertThat(problem("SELECT query FROM pg_stat_activity")).contains("Only the documented views may be"
                + " read, not pg_stat_activity");
        assertThat(problem("SELECT * FROM information_schema.tables")).contains("Only the documented views may"
                + " be read, not information_schema");
    }

    @Test
    void catalogCastsOversizedTextAndEscapingTheWrapperAreRefused() {
        assertThat(problem("SELECT 1259::regclass::text")).contains("Only the documented views may be read, not the"
                + " catalogs (regclass)");
        assertThat(problem("SELECT CAST('x' AS regrole)")).contains("Only the documented views may be read, not the"
                + " catalogs (regrole)");
        assertThat(problem("SELECT format('%900000000s', 'x')")).get().asString()
                .startsWith("The function format is not allowed");
        assertThat(problem("SELECT 1) q UNION SELECT 2 FROM (SELECT 1")).contains("The parentheses do not balance");
        assertThat(problem("SELECT (1")).contains("The parentheses do not balance");
    }

    @Test
    void hidingPlacesAreRefused() {
        assertThat(problem("SELECT 1 -- ; DROP TABLE records")).contains("Comments are not allowed in the query");
        assertThat(problem("SELECT /* x */ 1")).contains("Comments are not allowed in the query");
        assertThat(problem("SELECT $$; DROP TABLE x$$")).contains("Dollar quotes and parameters are not allowed"
                + " in the query");
        assertThat(problem("SELECT E'\\'; DROP TABLE x'")).get().asString().startsWith("Escape, Unicode and"
                + " bit-string literals are not allowed");
        assertThat(problem("SELECT U&'\\0041'")).get().asString().startsWith("Escape, Unicode");
        assertThat(problem("SELECT 'unclosed")).contains("A string literal is not closed");
    }
}
