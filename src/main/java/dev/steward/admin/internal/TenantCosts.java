package dev.steward.admin.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the costs page shows of the tenant in scope, from the analysts' own reports (so the page and the CSVs and
 * psql agree to the last digit): per day, per agent and version, per model and provider, tokens per model, the top
 * sessions and workflow runs in a period, and the month's budget as of now. All in one transaction.
 */
@ApplicationScoped
class TenantCosts {

    @Inject
    ReportLibrary library;

    @Inject
    ReportRunner runner;

    @Inject
    ReportValues values;

    /** The costs in [from, to) of the tenant in scope (to be called in its scope, outside a transaction). */
    CostsView read(LocalDate from, LocalDate to) {
        Map<String, String> period = Map.of("from", from.toString(), "to", to.toString());
        List<String> names = List.of("cost_by_tenant_day", "cost_by_agent_version", "cost_by_model_provider",
                "token_usage", "top_sessions", "top_workflow_runs");
        List<ReportRunner.Run> runs = new ArrayList<>(names.stream()
                .map(name -> new ReportRunner.Run(report(name), period)).toList());
        String alertPercent = values.defaults().get("alert_percent");
        runs.add(new ReportRunner.Run(report("budget_burn"), Map.of("alert_percent", alertPercent)));
        List<ReportTable> tables = runner.run(runs).stream().map(table -> table.without("tenant")).toList();
        ReportTable daily = tables.get(0);
        Map<String, String> totals = Map.of("calls", plain(daily.total("calls")),
                "input_tokens", plain(daily.total("input_tokens")),
                "output_tokens", plain(daily.total("output_tokens")),
                "cached_tokens", plain(daily.total("cached_tokens")), "cost", plain(daily.total("cost")));
        return new CostsView(daily, DailyChart.of(from, to, daily, List.of("cost"), "spent"),
                DailyChart.of(from, to, daily, List.of("input_tokens", "output_tokens"), "tokens"), totals, tables.get(1), tables.get(2), tables.get(3),
                tables.get(4), tables.get(5), BudgetGauge.of(tables.get(6), Integer.parseInt(alertPercent)));
    }

    private PsqlReport report(String name) {
        return library.named(name).orElseThrow(() -> new IllegalStateException("no report " + name));
    }

    private static String plain(BigDecimal number) {
        return number.toPlainString();
    }
}
