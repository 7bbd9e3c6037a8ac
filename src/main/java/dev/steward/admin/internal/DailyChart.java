package dev.steward.admin.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A figure per UTC day (cost, tokens) as a bar chart, laid out here and drawn by the page as inline SVG
 * ({@code daily-chart.jspf}; no script, and the CSP allows SVG's presentation attributes where it forbids style
 * attributes): a slot for every day of the period, a bar for every day with model calls (at least a pixel high, so
 * a day of calls that cost nothing still shows), the highest day's figure at the top of the scale. Public, for the
 * page's expressions.
 *
 * @param width  the drawing's width, in its own units (it scales to the page)
 * @param height the drawing's height
 * @param left   where the plot starts (the scale's labels are left of it)
 * @param base   the plot's base line (y)
 * @param top    the plot's top line (y)
 * @param bars   one per day with calls
 * @param labels the scale's and the days' labels
 */
public record DailyChart(int width, int height, int left, int base, int top, List<Bar> bars, List<Label> labels) {

    /** A day's bar; {@code title} is what a pointer over it shows. */
    public record Bar(String day, double x, double y, double width, double height, String title) {
    }

    /** A text at a place; {@code anchor} is SVG's text-anchor (start, middle, end). */
    public record Label(double x, double y, String text, String anchor) {
    }

    private static final int WIDTH = 760;
    private static final int HEIGHT = 220;
    private static final int LEFT = 64;
    private static final int RIGHT = 8;
    private static final int TOP = 12;
    private static final int BOTTOM = 28;

    /**
     * The chart over [from, to) of {@code daily}'s rows (the columns {@code day}, {@code calls} and those summed),
     * each day's figure the sum of its {@code columns}, named {@code unit} in the bars' titles.
     */
    static DailyChart of(LocalDate from, LocalDate to, ReportTable daily, List<String> columns, String unit) {
        long days = ChronoUnit.DAYS.between(from, to);
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        double slot = plotWidth / days;
        double barWidth = Math.max(slot * 0.8, 1);
        Function<List<String>, BigDecimal> figure = row -> columns.stream().map(column -> daily.number(row, column))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal highest = daily.rows().stream().map(figure).reduce(BigDecimal.ZERO, BigDecimal::max);
        List<Bar> bars = new ArrayList<>();
        for (List<String> row : daily.rows()) {
            LocalDate day = LocalDate.parse(daily.value(row, "day"));
            long index = ChronoUnit.DAYS.between(from, day);
            BigDecimal value = figure.apply(row);
            double height = highest.signum() == 0 ? 1
                    : Math.max(1, value.doubleValue() / highest.doubleValue() * plotHeight);
            bars.add(new Bar(day.toString(), round(LEFT + index * slot + (slot - barWidth) / 2),
                    round(TOP + plotHeight - height), round(barWidth), round(height),
                    day + ": " + value.toPlainString() + " " + unit + " (" + daily.value(row, "calls") + " calls)"));
        }
        int base = TOP + (int) plotHeight;
        List<Label> labels = new ArrayList<>(List.of(
                new Label(LEFT - 6, base, "0", "end"),
                new Label(LEFT - 6, TOP + 10, highest.setScale(Math.max(2, Math.min(highest.scale(), 6)),
                        RoundingMode.HALF_UP).stripTrailingZeros().toPlainString(), "end"),
                new Label(LEFT, HEIGHT - 8, from.toString(), "start"),
                new Label(WIDTH - RIGHT, HEIGHT - 8, to.minusDays(1).toString(), "end")));
        return new DailyChart(WIDTH, HEIGHT, LEFT, base, TOP, List.copyOf(bars), List.copyOf(labels));
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
