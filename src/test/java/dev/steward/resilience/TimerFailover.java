package dev.steward.resilience;

import dev.steward.resilience.Scenario.Answer;
import dev.steward.resilience.Scenario.Node;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code resilience/timer-failover}: two nodes on one database, a tenant's routing rule on the cron schedule
 * {@code * * * * *} (every minute, cron's shortest) starting a one-node workflow. Liberty's {@code ejbtimers} tables
 * tell which node's server holds the schedules' clock (a persistent EJB timer); that node is killed with
 * {@code kill -9}. Passes when the survivor fires the schedule again within Liberty's missed-task threshold + the
 * schedule's period + a margin, keeps firing, and no scheduled minute started more than one run.
 */
public final class TimerFailover {

    private static final int MISSED_TASK_THRESHOLD_SECONDS = 120; // liberty/server.xml, persistentExecutor
    private static final int PERIOD_SECONDS = 60;
    private static final int MARGIN_SECONDS = 60;
    private static final int BOUND_SECONDS = MISSED_TASK_THRESHOLD_SECONDS + PERIOD_SECONDS + MARGIN_SECONDS;

    /** One run the schedule started: the minute it was for, when it was created. */
    private record Firing(Instant scheduledAt, Instant createdAt) {
    }

    /** One persistent timer task as Liberty's tables hold it: its id, name and the server of its partition. */
    private record TimerRow(String id, String name, String server) {
    }

    public static void main(String[] args) throws Exception {
        int exit;
        try (Scenario scenario = Scenario.start("timer-failover", Map.of())) {
            exit = new TimerFailover(scenario).run();
        }
        System.exit(exit);
    }

    private final Scenario s;
    private String ruleId;
    private String tenantId;

    private TimerFailover(Scenario scenario) {
        this.s = scenario;
    }

    private int run() throws Exception {
        Node first = s.startNode("a", Map.of());
        Node second = s.startNode("b", Map.of());
        String key = s.newTenant(first, "timers");
        tenantId = s.call(first, "GET", "/api/v1/me", key, null, Duration.ofSeconds(10)).json().getString("tenantId");
        Answer workflow = s.call(first, "POST", "/api/v1/workflows", key, "{\"name\":\"tick\",\"nodes\":[{\"id\":"
                + "\"done\",\"kind\":\"wait\",\"seconds\":0}]}", Duration.ofSeconds(30));
        Scenario.require(workflow.status() == 201, "workflow created: " + workflow.status() + " " + workflow.body());
        Answer rule = s.call(first, "POST", "/api/v1/routing-rules", key, "{\"name\":\"every-minute\",\"on\":"
                + "{\"schedule\":\"* * * * *\",\"timezone\":\"UTC\"},\"workflow\":\"tick\"}", Duration.ofSeconds(30));
        Scenario.require(rule.status() == 201, "rule created: " + rule.status() + " " + rule.body());
        ruleId = rule.json().getString("id");
        s.log("tenant %s, rule %s on * * * * * (UTC), next fire %s", tenantId, ruleId,
                Scenario.text(rule.json(), "nextFireAt"));

        // Wait for the schedule to have fired at least once with both nodes up.
        long t0 = System.nanoTime();
        while (firings().isEmpty() && Scenario.seconds(t0) < 150) {
            Scenario.sleep(2000);
        }
        s.check(!firings().isEmpty(), "the schedule fired with both nodes up");

        String holder = clockHolder();
        Node victim = second.name().equals(holder) ? second : first.name().equals(holder) ? first : null;
        s.check(victim != null, "Liberty's ejbtimers tables tell which node holds the schedules' clock ("
                + holder + ")");
        if (victim == null) {
            victim = second;
        }
        Node survivor = victim == first ? second : first;
        List<Firing> before = firings();
        s.log("kill -9 the clock's holder %s; %s survives; %d firings so far", victim.name(), survivor.name(),
                before.size());
        Instant killedAt = Instant.now();
        long killedNanos = System.nanoTime();
        long pid = victim.kill9();
        s.log("kill -9 %d (%s's JVM)", pid, victim.name());

        // The survivor's first firing, then one more to show it keeps going.
        Optional<Firing> firstAfter = Optional.empty();
        while (Scenario.seconds(killedNanos) < BOUND_SECONDS + 30) {
            firstAfter = firings().stream().filter(f -> f.createdAt().isAfter(killedAt)).findFirst();
            if (firstAfter.isPresent()) {
                break;
            }
            Scenario.sleep(2000);
        }
        double toFirst = firstAfter.map(f -> Duration.between(killedAt, f.createdAt()).toMillis() / 1000.0)
                .orElse(Double.NaN);
        String newHolder = clockHolder();
        if (firstAfter.isPresent()) {
            s.log("first firing after the kill: for %s, %.1f s after the kill; clock now held by %s",
                    firstAfter.get().scheduledAt(), toFirst, newHolder);
            Instant firstAt = firstAfter.get().createdAt();
            long waitFrom = System.nanoTime();
            while (firings().stream().noneMatch(f -> f.createdAt().isAfter(firstAt))
                    && Scenario.seconds(waitFrom) < PERIOD_SECONDS + 45) {
                Scenario.sleep(2000);
            }
        }
        List<Firing> all = firings();
        List<Firing> after = all.stream().filter(f -> f.createdAt().isAfter(killedAt)).toList();
        Map<Instant, Integer> perMinute = new LinkedHashMap<>();
        all.forEach(f -> perMinute.merge(f.scheduledAt().truncatedTo(ChronoUnit.MINUTES), 1, Integer::sum));
        long duplicates = perMinute.values().stream().filter(n -> n > 1).count();
        List<Instant> minutes = new ArrayList<>(perMinute.keySet());
        long skipped = 0;
        for (int i = 1; i < minutes.size(); i++) {
            skipped += Duration.between(minutes.get(i - 1), minutes.get(i)).toMinutes() - 1;
        }
        long notSucceeded = s.count("SELECT count(*) FROM orchestration.runs WHERE tenant_id = '" + tenantId
                + "' AND rule_id = '" + ruleId + "' AND state <> 'succeeded'");

        s.check(firstAfter.isPresent() && toFirst <= BOUND_SECONDS, String.format(Locale.ROOT, "the survivor fired"
                + " the schedule within %d s of the kill (missed-task threshold %d s + period %d s + %d s): %.1f s",
                BOUND_SECONDS, MISSED_TASK_THRESHOLD_SECONDS, PERIOD_SECONDS, MARGIN_SECONDS, toFirst));
        s.check(after.size() >= 2, "the schedule kept firing on the survivor (" + after.size()
                + " firings after the kill)");
        s.check(duplicates == 0, "no scheduled minute started more than one run (" + duplicates + " did)");
        s.check(survivor.name().equals(newHolder), "the survivor holds the clock now (" + newHolder + ")");
        s.check(notSucceeded == 0, "every run the schedule started succeeded (" + notSucceeded + " did not)");

        s.figure("clock holder killed", "%s (survivor %s)", victim.name(), survivor.name());
        s.figure("firings before / after kill", "%d / %d", before.size(), after.size());
        s.figure("kill to first survivor firing", "%.1f s (bound %d s: threshold %d + period %d + margin %d)",
                toFirst, BOUND_SECONDS, MISSED_TASK_THRESHOLD_SECONDS, PERIOD_SECONDS, MARGIN_SECONDS);
        s.figure("first firing after kill was for", "%s", firstAfter.map(f -> f.scheduledAt().toString())
                .orElse("-"));
        s.figure("minutes fired / skipped / twice", "%d / %d / %d", perMinute.size(), skipped, duplicates);
        s.figure("clock holder after", "%s", newHolder);
        return s.verdict();
    }

    /** The runs the rule started, oldest first, with the minute each was for (from the run's trigger key). */
    private List<Firing> firings() throws Exception {
        List<Firing> firings = new ArrayList<>();
        String prefix = "schedule:" + ruleId + ":";
        for (List<String> row : s.rows("SELECT trigger_key, to_char(created_at AT TIME ZONE 'UTC',"
                + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM orchestration.runs WHERE tenant_id = '" + tenantId
                + "' AND rule_id = '" + ruleId + "' ORDER BY created_at")) {
            String key = row.get(0);
            Instant at = Instant.parse(key != null && key.startsWith(prefix) ? key.substring(prefix.length())
                    : "1970-01-01T00:00:00Z");
            firings.add(new Firing(at, Instant.parse(row.get(1))));
        }
        return firings;
    }

    /**
     * The server whose partition holds the schedules' clock, from Liberty's own tables: their names and columns are
     * read from the catalog (Liberty creates them with quoted upper-case names), every timer task is logged, and the
     * one of {@code ScheduleClock} is picked.
     */
    private String clockHolder() {
        try {
            Map<String, List<String>> columns = new LinkedHashMap<>();
            for (List<String> row : s.rows("SELECT table_name, column_name FROM information_schema.columns WHERE"
                    + " table_schema = 'ejbtimers' ORDER BY table_name, ordinal_position")) {
                columns.computeIfAbsent(row.get(0), t -> new ArrayList<>()).add(row.get(1));
            }
            s.log("ejbtimers tables: %s", columns);
            String task = table(columns, "task");
            String part = table(columns, "part");
            if (task == null || part == null) {
                return null;
            }
            String query = "SELECT t." + col(columns, task, "id") + ", t." + col(columns, task, "iname") + ", p."
                    + col(columns, part, "lserver") + " FROM ejbtimers.\"" + task + "\" t LEFT JOIN ejbtimers.\""
                    + part + "\" p ON p." + col(columns, part, "id") + " = t." + col(columns, task, "partn");
            List<TimerRow> timers = new ArrayList<>();
            for (List<String> row : s.rows(query)) {
                timers.add(new TimerRow(row.get(0), row.get(1), row.get(2)));
            }
            timers.forEach(t -> s.log("persistent timer %s %s on %s", t.id(), t.name(), t.server()));
            return timers.stream().filter(t -> t.name() != null && t.name().contains("ScheduleClock"))
                    .map(TimerRow::server).findFirst().orElse(null);
        } catch (Exception e) {
            s.log("cannot tell which node holds the schedules' clock: %s", e);
            return null;
        }
    }

    private static String table(Map<String, List<String>> columns, String suffix) {
        return columns.keySet().stream().filter(t -> t.toLowerCase(Locale.ROOT).endsWith(suffix)).findFirst()
                .orElse(null);
    }

    private static String col(Map<String, List<String>> columns, String table, String name) {
        return columns.get(table).stream().filter(c -> c.equalsIgnoreCase(name)).map(c -> "\"" + c + "\"")
                .findFirst().orElseThrow(() -> new IllegalStateException("no column " + name + " in " + table));
    }
}
