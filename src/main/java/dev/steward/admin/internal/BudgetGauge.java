package dev.steward.admin.internal;

import java.math.BigDecimal;
import java.util.List;

/**
 * The tenant's monthly budget as the budget burn report sees it now ({@code reports/budget_burn.sql}, as of now,
 * at this installation's alert line), with the bar the page draws: the share used (full at the budget), and the
 * alert line on it. Public, for the page's expressions.
 *
 * @param budget       the monthly budget, or null for none
 * @param spent        what the tenant's model calls cost this UTC month so far
 * @param usedPercent  the share used, in percent (null without a budget)
 * @param forecast     the month-end spend at this pace
 * @param status       ok, alert, over, or no budget
 * @param alertPercent the alert line, in percent
 * @param usedWidth    the bar's filled width, of {@link #WIDTH}
 * @param alertX       where the alert line is drawn on the bar
 */
public record BudgetGauge(String budget, String spent, String usedPercent, String forecast, String status,
                          int alertPercent, double usedWidth, double alertX) {

    public static final int WIDTH = 400;

    /** The gauge of the burn report's one row for the tenant in scope. */
    static BudgetGauge of(ReportTable burn, int alertPercent) {
        List<String> row = burn.rows().isEmpty() ? null : burn.rows().get(0);
        if (row == null) { // no tenant row visible: cannot happen in a tenant's scope, shown as nothing spent
            return new BudgetGauge(null, "0.00", null, "0.00", "no budget", alertPercent, 0, 0);
        }
        String share = burn.value(row, "used_share");
        double used = share == null ? 0 : Math.min(1, new BigDecimal(share).doubleValue());
        return new BudgetGauge(burn.value(row, "monthly_budget"), burn.value(row, "spent"),
                share == null ? null : new BigDecimal(share).movePointRight(2).stripTrailingZeros()
                        .toPlainString(),
                burn.value(row, "forecast"), burn.value(row, "status"), alertPercent,
                Math.round(used * WIDTH * 100) / 100.0, Math.min(100, alertPercent) * WIDTH / 100.0);
    }

    /** The bar's full width (the budget). */
    public int width() {
        return WIDTH;
    }

    /** The CSS class of the bar's fill: its status, as a name. */
    public String statusClass() {
        return "budget-" + status.replace(' ', '-');
    }
}
