package dev.steward.admin.internal;

import java.util.Map;

/**
 * The costs page's figures of one tenant (see {@link TenantCosts}); the tables without their tenant column. Public,
 * for the page's expressions.
 *
 * @param totals the period's calls, input, output and cached tokens and cost, by the daily table's column names
 */
public record CostsView(ReportTable daily, DailyChart costChart, DailyChart tokenChart, Map<String, String> totals, ReportTable byAgent,
                        ReportTable byModel, ReportTable tokens, ReportTable topSessions, ReportTable topRuns,
                        BudgetGauge budget) {
}
