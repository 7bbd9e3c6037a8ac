package dev.steward.bench;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A load run's figures: printed as a table at the end and written as JSON, grouped in sections. Acceptance checks
 * print PASS or FAIL; performance figures are reported, never asserted.
 */
final class LoadReport {

    /** Count, p50, p95, p99 and max of a sample. */
    record Percentiles(long count, double p50, double p95, double p99, double max) {

        static Percentiles of(Collection<? extends Number> values) {
            double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
            if (sorted.length == 0) {
                return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            return new Percentiles(sorted.length, rank(sorted, 0.50), rank(sorted, 0.95), rank(sorted, 0.99),
                    sorted[sorted.length - 1]);
        }

        /** Nearest rank. */
        private static double rank(double[] sorted, double quantile) {
            int index = (int) Math.ceil(quantile * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }

    private record Row(String label, String value) {
    }

    private final String title;
    private final Map<String, List<Row>> rows = new LinkedHashMap<>();
    private final Map<String, JsonObjectBuilder> json = new LinkedHashMap<>();
    private final List<String> checks = new ArrayList<>();
    private final JsonObjectBuilder checksJson = Json.createObjectBuilder();
    private final JsonObjectBuilder headlines = Json.createObjectBuilder();
    private boolean passed = true;

    LoadReport(String title) {
        this.title = title;
    }

    LoadReport value(String section, String key, String label, double value, String unit) {
        row(section, label, format(value) + (unit.isEmpty() ? "" : " " + unit));
        section(section).add(key, Double.isFinite(value) ? Json.createValue(round(value)) : Json.createValue(-1));
        return this;
    }

    /** A figure a target names: in its section of the table, and at the top of the JSON under {@code key}. */
    LoadReport headline(String section, String key, String label, double value, String unit) {
        row(section, label, format(value) + (unit.isEmpty() ? "" : " " + unit));
        headlines.add(key, Double.isFinite(value) ? Json.createValue(round(value)) : Json.createValue(-1));
        return this;
    }

    LoadReport count(String section, String key, String label, long value) {
        row(section, label, String.format(Locale.ROOT, "%,d", value));
        section(section).add(key, value);
        return this;
    }

    LoadReport text(String section, String key, String label, String value) {
        row(section, label, value);
        section(section).add(key, value);
        return this;
    }

    /** A latency line: p50 / p95 / p99 / max in ms, and the count. */
    LoadReport latency(String section, String key, String label, Percentiles p) {
        row(section, label, String.format(Locale.ROOT, "p50 %s  p95 %s  p99 %s  max %s ms  (n=%,d)", format(p.p50()),
                format(p.p95()), format(p.p99()), format(p.max()), p.count()));
        section(section).add(key, Json.createObjectBuilder().add("p50", round(p.p50())).add("p95", round(p.p95()))
                .add("p99", round(p.p99())).add("max", round(p.max())).add("count", p.count()));
        return this;
    }

    /** The server's (and the machine's) memory and CPU over the run. */
    LoadReport resources(ResourceMonitor.Usage u) {
        String s = "server resources";
        value(s, "seconds", "measured over", u.seconds(), "s");
        row(s, "Liberty RSS", String.format(Locale.ROOT, "start %s  peak %s  end %s MiB (kernel high-water %s)",
                format(u.rssStartMib()), format(u.rssPeakMib()), format(u.rssEndMib()), format(u.rssHighWaterMib())));
        row(s, "JVM heap used (/metrics)", String.format(Locale.ROOT, "peak %s  end %s MiB of max %s",
                format(u.heapPeakMib()), format(u.heapEndMib()), format(u.heapMaxMib())));
        row(s, "Liberty executor threads (peak)", format(u.executorThreadsPeak()));
        row(s, "DB pool: requests that waited, total wait", String.format(Locale.ROOT, "%s, %s s",
                format(u.poolQueued()), format(u.poolWaitSeconds())));
        row(s, "Liberty CPU", String.format(Locale.ROOT, "%s s user+sys = %s cores on average",
                format(u.serverCpuSeconds()), format(u.serverCores())));
        row(s, "PostgreSQL CPU", String.format(Locale.ROOT, "%s s = %s cores", format(u.databaseCpuSeconds()),
                format(u.databaseCores())));
        row(s, "load harness CPU", String.format(Locale.ROOT, "%s s = %s cores", format(u.harnessCpuSeconds()),
                format(u.harnessCores())));
        row(s, "machine busy", String.format(Locale.ROOT, "%s of %d cores (others' share %s)",
                format(u.machineBusyCores()), u.machineCores(), format(u.otherCores())));
        section(s).add("rss_mib", Json.createObjectBuilder().add("start", round(u.rssStartMib()))
                        .add("peak", round(u.rssPeakMib())).add("end", round(u.rssEndMib()))
                        .add("high_water", round(u.rssHighWaterMib())))
                .add("heap_used_mib", Json.createObjectBuilder().add("peak", round(u.heapPeakMib()))
                        .add("end", round(u.heapEndMib())).add("max", round(u.heapMaxMib())))
                .add("cpu_seconds", Json.createObjectBuilder().add("server", round(u.serverCpuSeconds()))
                        .add("database", round(u.databaseCpuSeconds())).add("harness", round(u.harnessCpuSeconds())))
                .add("cores", Json.createObjectBuilder().add("server", round(u.serverCores()))
                        .add("database", round(u.databaseCores())).add("harness", round(u.harnessCores()))
                        .add("machine_busy", round(u.machineBusyCores())).add("others", round(u.otherCores()))
                        .add("machine", u.machineCores()))
                .add("executor_threads_peak", round(u.executorThreadsPeak()))
                .add("db_pool_queued", round(u.poolQueued())).add("db_pool_wait_s", round(u.poolWaitSeconds()));
        return this;
    }

    /** An acceptance check: PASS or FAIL, with the figure it rests on. */
    LoadReport check(String key, String what, boolean ok, String detail) {
        passed &= ok;
        checks.add(String.format(Locale.ROOT, "  %s  %s (%s)", ok ? "PASS" : "FAIL", what, detail));
        checksJson.add(key, Json.createObjectBuilder().add("passed", ok).add("detail", detail));
        return this;
    }

    boolean passed() {
        return passed;
    }

    /** Prints the table and the checks, and writes {@code target/bench/<file>}. */
    void print(String file) throws Exception {
        int width = rows.values().stream().flatMap(List::stream).mapToInt(r -> r.label().length()).max().orElse(10);
        StringBuilder out = new StringBuilder("\n== " + title + " ==\n");
        rows.forEach((section, lines) -> {
            out.append('\n').append(section).append('\n');
            lines.forEach(r -> out.append(String.format(Locale.ROOT, "  %-" + width + "s  %s%n", r.label(),
                    r.value())));
        });
        out.append("\nacceptance\n");
        checks.forEach(line -> out.append(line).append('\n'));
        out.append(passed ? "\nPASS: every acceptance check held\n" : "\nFAIL: see the checks above\n");
        System.out.print(out);
        JsonObjectBuilder all = Json.createObjectBuilder(headlines.build());
        json.forEach((section, builder) -> all.add(section.replace(' ', '_'), builder));
        all.add("checks", checksJson).add("passed", passed);
        Path path = Path.of("target/bench/" + file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, all.build().toString());
        System.out.println("Wrote " + path);
    }

    private void row(String section, String label, String value) {
        rows.computeIfAbsent(section, s -> new ArrayList<>()).add(new Row(label, value));
    }

    private JsonObjectBuilder section(String section) {
        return json.computeIfAbsent(section, s -> Json.createObjectBuilder());
    }

    static String format(double value) {
        if (!Double.isFinite(value)) {
            return "-";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 10 ? "%.1f" : "%.2f", value);
    }

    static double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 100) / 100.0 : -1;
    }
}
