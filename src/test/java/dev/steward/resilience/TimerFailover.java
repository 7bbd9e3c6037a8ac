package dev.steward.resilience;

import dev.steward.resilience.Scenario.Answer;
import dev.steward.resilience.Scenario.Node;
import java.sql.Connection;
import java.sql.Statement;
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
 * do not name the node that runs the schedules' clock (a persistent EJB timer) under failover, so it is read from
 * which server's connection fired the schedule (each node's connections carry its server's name); that node is
 * killed with {@code kill -9}. Passes when the survivor fires the schedule again within Liberty's missed-task
 * threshold + the schedule's period + a margin, keeps firing, and no scheduled minute started more than one run.
 */
public final class TimerFailover {

    private static final int MISSED_TASK_THRESHOLD_SECONDS = 120; // liberty/server.xml, persistentExecutor
    private static final int PERIOD_SECONDS = 60;
    private static final int MARGIN_SECONDS = 60;
    private static final int BOUND_SECONDS = MISSED_TASK_THRESHOLD_SECONDS + PERIOD_SECONDS + MARGIN_SECONDS;

    /** One run the schedule started: the minute it was for, when it was created. */
    private record Firing(Instant scheduledAt, Instant createdAt) {
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
        Node first = s.startNode("a", named("a"));
        Node second = s.startNode("b", named("b"));
        instrument();
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

        timerRows();
        String holder = clockHolder();
        Node victim = second.name().equals(holder) ? second : first.name().equals(holder) ? first : null;
        s.check(victim != null, "the node whose clock fired the schedule last is known (" + holder + ")");
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
        timerRows();
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
        s.check(survivor.name().equals(newHolder), "the survivor's clock fires the schedule now (" + newHolder + ")");
        long byVictimAfter = s.count("SELECT count(*) FROM resilience.fires WHERE server = '" + victim.name()
                + "' AND at > '" + killedAt + "'::timestamptz");
        s.check(byVictimAfter == 0, "no firing recorded for the dead node after its death (" + byVictimAfter + ")");
        s.check(notSucceeded == 0, "every run the schedule started succeeded (" + notSucceeded + " did not)");

        s.figure("clock holder killed", "%s (survivor %s)", victim.name(), survivor.name());
        s.figure("firings before / after kill", "%d / %d", before.size(), after.size());
        s.figure("kill to first survivor firing", "%.1f s (bound %d s: threshold %d + period %d + margin %d)",
                toFirst, BOUND_SECONDS, MISSED_TASK_THRESHOLD_SECONDS, PERIOD_SECONDS, MARGIN_SECONDS);
        s.figure("first firing after kill was for", "%s", firstAfter.map(f -> f.scheduledAt().toString())
                .orElse("-"));
        s.figure("minutes fired / skipped / twice", "%d / %d / %d", perMinute.size(), skipped, duplicates);
        s.figure("clock holder after", "%s", newHolder);
        s.figure("fires per server", "%s", s.rows("SELECT server || ': ' || count(*) FROM resilience.fires"
                + " GROUP BY server ORDER BY server").stream().map(r -> r.get(0)).toList());
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

    /** Each node's JDBC connections name its server ({@code ApplicationName}), so pg_stat_activity tells them apart. */
    private Map<String, String> named(String suffix) {
        return Map.of("STEWARD_DB_URL", s.env("STEWARD_DB_URL") + "?ApplicationName=res-timer-failover-" + suffix);
    }

    /**
     * Records which node's clock fires each schedule: a trigger (the scenario's own, in its own schema) on
     * {@code orchestration.schedules} notes the application name of the connection that moved a schedule's
     * {@code last_fired_at}, which is the node's server ({@code ApplicationName} in its JDBC URL).
     */
    private void instrument() throws Exception {
        try (Connection connection = s.sql(); Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE SCHEMA resilience");
            ddl.execute("CREATE TABLE resilience.fires (server text, fired_for timestamptz,"
                    + " at timestamptz NOT NULL DEFAULT clock_timestamp())");
            ddl.execute("CREATE FUNCTION resilience.record_fire() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
                    + " SET search_path = pg_catalog AS $$ BEGIN IF NEW.last_fired_at IS DISTINCT FROM"
                    + " OLD.last_fired_at THEN INSERT INTO resilience.fires (server, fired_for) VALUES"
                    + " (current_setting('application_name'), NEW.last_fired_at); END IF; RETURN NEW; END $$");
            ddl.execute("CREATE TRIGGER resilience_fires AFTER UPDATE ON orchestration.schedules FOR EACH ROW"
                    + " EXECUTE FUNCTION resilience.record_fire()");
        }
    }

    /**
     * The server that runs the schedules' clock. Liberty's tables do not name it: with {@code missedTaskThreshold}
     * (failover) a task's {@code partn} holds the expiry of the claim on its next run (that run's time + the
     * threshold, ms), not a partition id, and {@code timer_part} holds only a {@code .pollinfo} row; a claim names
     * no server. So it is the server whose clock fired the schedule last ({@link #instrument()}).
     */
    private String clockHolder() throws Exception {
        List<List<String>> fires = s.rows("SELECT server, fired_for, at FROM resilience.fires ORDER BY at");
        fires.forEach(f -> s.log("fire for %s by %s at %s", f.get(1), f.get(0), f.get(2)));
        return fires.isEmpty() ? null : fires.get(fires.size() - 1).get(0);
    }

    /**
     * Logs Liberty's persistent timer tasks as its tables hold them, columns found in the catalog, joined to the
     * partition table the way a task without failover would be (with failover no row joins).
     */
    private void timerRows() {
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
                return;
            }
            String query = "SELECT t." + col(columns, task, "id") + ", t." + col(columns, task, "iname") + ", t."
                    + col(columns, task, "partn") + ", t." + col(columns, task, "nextexec") + ", p."
                    + col(columns, part, "lserver") + " FROM ejbtimers.\"" + task + "\" t LEFT JOIN ejbtimers.\""
                    + part + "\" p ON p." + col(columns, part, "id") + " = t." + col(columns, task, "partn");
            for (List<String> row : s.rows(query)) {
                s.log("persistent timer %s %s: partn %s, nextexec %s, partition's server %s", row.get(0), row.get(1),
                        row.get(2), row.get(3), row.get(4));
            }
            s.rows("SELECT * FROM ejbtimers.\"" + part + "\"").forEach(row -> s.log("partition row %s", row));
        } catch (Exception e) {
            s.log("cannot read Liberty's timer tables: %s", e);
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
