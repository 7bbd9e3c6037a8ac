package dev.steward.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The analysts' report files (the very ones psql runs, reports/*.sql) translate for JDBC: one final query with
 * bind parameters only, the SET statements on their own and ending with the transaction, the \if defaults kept.
 */
class PsqlReportTest {

    private static List<PsqlReport> all() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("reports"))) {
            return files.filter(file -> file.getFileName().toString().endsWith(".sql")).sorted().map(file -> {
                try {
                    String name = file.getFileName().toString().replace(".sql", "");
                    return PsqlReport.translate(name, Files.readString(file, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).toList();
        }
    }

    @Test
    void everyReportFileTranslatesToOneQueryWithBindParametersOnly() throws IOException {
        List<PsqlReport> reports = all();
        assertThat(reports).hasSize(12);
        for (PsqlReport report : reports) {
            assertThat(report.setup()).as(report.name()).containsExactly("SET LOCAL TIME ZONE 'UTC'");
            assertThat(report.query()).as(report.name()).containsPattern("^(SELECT|WITH)\\s")
                    .doesNotContain(":'", "\\", ";", "--", ":{");
            assertThat(report.query().chars().filter(c -> c == '?').count()).as(report.name())
                    .isEqualTo(report.parameters().size()).isPositive();
            assertThat(report.description()).as(report.name()).isNotBlank().endsWith(".").doesNotContain("--");
        }
    }

    @Test
    void thePeriodIsRequiredAndTheIfBlocksBecomeDefaults() throws IOException {
        Map<String, PsqlReport> byName = all().stream()
                .collect(Collectors.toMap(PsqlReport::name, report -> report));
        PsqlReport day = byName.get("cost_by_tenant_day");
        assertThat(day.parameters()).containsExactly("from", "to");
        assertThat(day.required()).containsExactly("from", "to");
        assertThat(day.description()).isEqualTo("Cost per tenant per day: model calls, tokens and money each tenant"
                + " spent each UTC day in [from, to).");
        PsqlReport burn = byName.get("budget_burn");
        assertThat(burn.defaults()).isEqualTo(Map.of("as_of", "now", "alert_percent", "80"));
        assertThat(burn.required()).isEmpty();
        assertThat(burn.parameters()).containsExactly("as_of", "as_of", "alert_percent");
        assertThat(burn.bind(Map.of("as_of", "2020-01-16"))).containsExactly("2020-01-16", "2020-01-16", "80");
        assertThat(byName.get("channel_cap_utilization").defaults())
                .isEqualTo(Map.of("day", "today", "smtp_per_day", "1000"));
        assertThatThrownBy(() -> day.bind(Map.of("from", "2020-01-01"))).hasMessage("to is required");
    }

    @Test
    void literalsCommentsAndCastsAreLeftAlone() {
        PsqlReport report = PsqlReport.translate("t", """
                -- A test. More.
                SET TIME ZONE 'UTC'; -- a comment ; with :'x' in it
                /* a block comment with a ? and :'y' */
                SELECT ':''not'' a variable' AS a, $$ :'nor' ? this $$ AS b, "col;umn" AS c, :'v'::date AS d
                """);
        assertThat(report.description()).isEqualTo("A test.");
        assertThat(report.setup()).containsExactly("SET LOCAL TIME ZONE 'UTC'");
        assertThat(report.parameters()).containsExactly("v");
        assertThat(report.query()).isEqualTo("SELECT ':''not'' a variable' AS a, $$ :'nor' ? this $$ AS b,"
                + " \"col;umn\" AS c, ?::date AS d");
    }

    @Test
    void whatCannotBeTranslatedFaithfullyIsRefused() {
        for (String text : List.of(
                "SELECT :limit", // raw interpolation: not a bind parameter
                "SELECT :\"column\" FROM t",
                "\\gset\nSELECT 1",
                "\\set x 1\nSELECT :'x'", // unconditional: psql would override -v
                "\\if :{?x}\nSELECT 1;\n\\endif\nSELECT 2",
                "\\if :{?x}\n\\else\n\\set x 1\nSELECT 2",
                "SELECT 1; SELECT 2",
                "DELETE FROM t WHERE a = :'x'",
                "SELECT E'\\'' AS a",
                "SELECT '{}'::jsonb ? 'a'",
                "SET app.tenant_id = 'someone else';\nSELECT 1", // the tenant a transaction reads for is not a report's
                "SET ROLE postgres;\nSELECT 1",
                "SELECT set_config('app.tenant_id', 'x', true)")) {
            assertThatThrownBy(() -> PsqlReport.translate("bad", text)).as(text)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("reports/bad.sql: ");
        }
    }
}
