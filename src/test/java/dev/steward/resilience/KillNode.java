package dev.steward.resilience;

import dev.steward.resilience.Scenario.Answer;
import dev.steward.resilience.Scenario.Node;
import dev.steward.testing.WebhookReceiver;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code resilience/kill-node}: two nodes on one database under load (tasks through both nodes' APIs with
 * idempotency keys, {@code noop} and {@code webhook} to a receiver that dedupes by the {@code Idempotency-Key}
 * Steward sends; session turns on the built-in model, half of them a long {@code wait_seconds} job), then
 * {@code kill -9} of one node's JVM in the middle. Passes when every accepted task completed, every webhook's effect
 * happened once (deliveries at least once, one key per task, the key naming the task), every turn ended done with
 * one {@code turn.completed}, the dead node's leased jobs were rescued within the bound the lease sets, and nothing
 * is left running or waiting.
 */
public final class KillNode {

    private static final int LEASE_SECONDS = 10;
    private static final int RESCUE_SECONDS = 2;
    private static final int LOAD_SECONDS = Integer.getInteger("resilience.load.seconds", 24);
    private static final int KILL_AFTER_SECONDS = LOAD_SECONDS / 2;
    private static final int SUBMITTERS = 4;
    private static final int SESSIONS = 10;
    /** No-op jobs inserted at once shortly before the kill, so that the victim dies with a full local buffer. */
    private static final int FLOOD_JOBS = 20_000;
    private static final long FLOOD_LEAD_MILLIS = 1500;
    private static final Pattern HOOK_ID = Pattern.compile("\"hook\"\\s*:\\s*\"([^\"]+)\"");

    private record Accepted(String key, String id, String kind, String hookId) {
    }

    public static void main(String[] args) throws Exception {
        int exit;
        try (Scenario scenario = Scenario.start("kill-node", Map.of(
                "STEWARD_DISPATCH_LEASE_SECONDS", String.valueOf(LEASE_SECONDS),
                "STEWARD_DISPATCH_RESCUE_SECONDS", String.valueOf(RESCUE_SECONDS),
                "STEWARD_DISPATCH_MAX_RUN_SECONDS_WEBHOOK", "5"));
             WebhookReceiver receiver = WebhookReceiver.start()) {
            exit = new KillNode(scenario, receiver).run();
        }
        System.exit(exit);
    }

    private final Scenario s;
    private final WebhookReceiver receiver;
    private final Map<String, Accepted> accepted = new ConcurrentHashMap<>();
    private final List<String> turnsAccepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger submitFailures = new AtomicInteger();
    private final AtomicInteger resubmittedToSurvivor = new AtomicInteger();
    private final AtomicInteger turnPostFailures = new AtomicInteger();
    private final AtomicInteger survivorErrorsAfterKill = new AtomicInteger();
    private volatile boolean killed;
    private volatile boolean loading = true;
    /** The node that dies, and the one that carries on. */
    private Node b;
    private Node a;

    private KillNode(Scenario scenario, WebhookReceiver receiver) {
        this.s = scenario;
        this.receiver = receiver;
    }

    private int run() throws Exception {
        Node first = s.startNode("a", Map.of());
        Node second = s.startNode("b", Map.of());
        // The worst case: the node that dies is the one running the queue's housekeeping timer (the rescuer), so
        // the survivor must take the timer over too.
        String holder = housekeepingHolder();
        b = second.name().equals(holder) || holder == null ? second : first;
        a = b == second ? first : second;
        s.log("the housekeeping timer runs on %s; %s will be killed, %s survives", holder, b.name(), a.name());
        receiver.delay("/hook", 1000); // webhooks take a while, so some are in flight when the node dies
        String key = s.newTenant(a, "killnode");
        String tenantId = s.call(a, "GET", "/api/v1/me", key, null, Duration.ofSeconds(10)).json()
                .getString("tenantId");
        String agent = s.newAgent(a, key, "waiter", "steward-scripted", ",\"tools\":[\"wait_seconds\"]");
        // Another tenant's, so that its flood neither takes this tenant's concurrency nor its rate.
        String floodTenantId = s.call(a, "GET", "/api/v1/me", s.newTenant(a, "killnode-flood"), null,
                Duration.ofSeconds(10)).json().getString("tenantId");
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            sessions.add(s.newSession(i % 2 == 0 ? a : b, key, agent));
        }
        s.log("tenant %s, agent %s, %d sessions; load for %d s through both nodes, the victim killed after %d s",
                tenantId, agent, SESSIONS, LOAD_SECONDS, KILL_AFTER_SECONDS);

        ExecutorService clients = Executors.newCachedThreadPool();
        AtomicInteger sequence = new AtomicInteger();
        for (int t = 0; t < SUBMITTERS; t++) {
            clients.submit(() -> submitTasks(key, sequence));
        }
        for (int i = 0; i < SESSIONS; i++) {
            int index = i;
            clients.submit(() -> runTurns(key, sessions.get(index), index));
        }

        Scenario.sleep(KILL_AFTER_SECONDS * 1000L - FLOOD_LEAD_MILLIS);
        // A flood of another tenant's no-op jobs just before the kill: they finish at once, so both nodes claim them
        // ahead of their workers into their local buffers, and the victim dies with a full one.
        s.execute("INSERT INTO dispatch.jobs (tenant_id, kind, state, payload) SELECT '" + floodTenantId + "', 'noop',"
                + " 'available', '{\"flood\": true}' FROM generate_series(1, " + FLOOD_JOBS + ")");
        Scenario.sleep(FLOOD_LEAD_MILLIS);
        long killedAt = System.nanoTime();
        long pid = b.kill9();
        killed = true;
        s.log("kill -9 %d (%s's JVM)", pid, b.name());
        Map<Long, String> orphans = orphans(b);
        s.log("the dead node held %d running jobs at its death: %s", orphans.size(), orphans.values().stream()
                .collect(Collectors.groupingBy(kind -> kind, Collectors.counting())));
        Map<Long, Double> rescuedAfter = new ConcurrentHashMap<>();
        Thread watcher = new Thread(() -> watchRescue(orphans.keySet(), killedAt, rescuedAfter));
        watcher.setDaemon(true);
        watcher.start();

        Scenario.sleep((LOAD_SECONDS - KILL_AFTER_SECONDS) * 1000L);
        loading = false;
        clients.shutdown();
        clients.awaitTermination(3, TimeUnit.MINUTES);
        long loadEnded = System.nanoTime();
        s.log("load over: %d tasks and %d turns accepted", accepted.size(), turnsAccepted.size());

        // Drain: every job of the tenant finished, or the bound (lease + rescue + generous slack) passed.
        double drainSeconds = s.awaitDrained(tenantId, Duration.ofSeconds(150));
        s.awaitDrained(floodTenantId, Duration.ofSeconds(60));
        watcher.join(TimeUnit.SECONDS.toMillis(5));

        verifyTasks(tenantId);
        verifyWebhooks(tenantId);
        verifyTurns(tenantId);
        double bound = LEASE_SECONDS + 2 * RESCUE_SECONDS + 10;
        List<Double> times = new ArrayList<>(rescuedAfter.values());
        double slowest = times.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        s.check(rescuedAfter.size() == orphans.size(), "every job the dead node held at its death was taken back ("
                + rescuedAfter.size() + " of " + orphans.size() + ")");
        s.check(slowest <= bound, String.format(java.util.Locale.ROOT, "the dead node's jobs were rescued within"
                + " %.0f s of its death (lease %d s + 2 x rescue interval %d s + 10 s slack): slowest %.1f s",
                bound, LEASE_SECONDS, RESCUE_SECONDS, slowest));
        long stuck = s.count("SELECT count(*) FROM dispatch.jobs WHERE tenant_id = '" + tenantId + "' AND state"
                + " NOT IN ('completed', 'failed', 'cancelled')");
        s.check(stuck == 0, "no job of the tenant left unfinished (" + stuck + ")");
        long floodLeft = s.count("SELECT count(*) FROM dispatch.jobs WHERE tenant_id = '" + floodTenantId + "' AND"
                + " state <> 'completed'");
        s.check(floodLeft == 0, "every flooded job completed, the dead node's buffer included (" + floodLeft
                + " not)");
        s.check(survivorErrorsAfterKill.get() == 0, "the survivor answered every request after the kill ("
                + survivorErrorsAfterKill.get() + " errors)");

        s.figure("tasks accepted", "%d (%d noop, %d webhook)", accepted.size(),
                accepted.values().stream().filter(x -> x.kind().equals("noop")).count(),
                accepted.values().stream().filter(x -> x.kind().equals("webhook")).count());
        s.figure("no-op jobs inserted just before the kill", "%d, %d ms before it", FLOOD_JOBS, FLOOD_LEAD_MILLIS);
        s.figure("submissions resent to the survivor", "%d (the victim failed to answer %d)", resubmittedToSurvivor.get(),
                submitFailures.get());
        s.figure("turns accepted", "%d (%d posts failed)", turnsAccepted.size(), turnPostFailures.get());
        s.figure("jobs held by the victim at kill", "%d %s", orphans.size(), orphans.values().stream()
                .collect(Collectors.groupingBy(kind -> kind, Collectors.counting())));
        s.figure("rescue after kill p50 / max", "%.1f s / %.1f s (lease %d s, rescue every %d s, bound %.0f s)",
                Scenario.percentile(times, 0.5), slowest, LEASE_SECONDS, RESCUE_SECONDS, bound);
        s.figure("drained after load", "%.1f s", drainSeconds);
        return s.verdict();
    }

    /** Tasks, alternating between the nodes; a node that fails to answer gets the same key resent to the survivor. */
    private void submitTasks(String key, AtomicInteger sequence) {
        while (loading) {
            int i = sequence.incrementAndGet();
            boolean webhook = i % 2 == 1;
            String idempotencyKey = "kn-" + i;
            String hookId = "hook-" + i;
            String body = webhook
                    ? "{\"kind\":\"webhook\",\"idempotencyKey\":\"" + idempotencyKey + "\",\"payload\":{\"url\":\""
                    + receiver.url("/hook") + "\",\"body\":{\"hook\":\"" + hookId + "\"}}}"
                    : "{\"kind\":\"noop\",\"idempotencyKey\":\"" + idempotencyKey + "\"}";
            Node first = (i / 2) % 2 == 0 ? a : b;
            Answer answer = s.call(first, "POST", "/api/v1/tasks", key, body, Duration.ofSeconds(10));
            boolean afterKill = killed;
            for (int retry = 0; !answer.ok() && retry < 10 && (answer.status() == -1 || answer.status() >= 500);
                 retry++) {
                if (first == b) {
                    submitFailures.incrementAndGet();
                } else if (afterKill) {
                    survivorErrorsAfterKill.incrementAndGet();
                }
                resubmittedToSurvivor.incrementAndGet();
                Scenario.sleep(200);
                first = a;
                answer = s.call(a, "POST", "/api/v1/tasks", key, body, Duration.ofSeconds(10));
            }
            if (answer.ok()) {
                accepted.put(idempotencyKey, new Accepted(idempotencyKey, answer.json().getString("id"),
                        webhook ? "webhook" : "noop", webhook ? hookId : null));
            } else {
                s.log("task %s not accepted: %d %s", idempotencyKey, answer.status(), answer.body());
                if (first == a && killed) {
                    survivorErrorsAfterKill.incrementAndGet();
                }
            }
            Scenario.sleep(100);
        }
    }

    /** One client per session: a turn, waited for, then the next; every other one a long job of 2 s. */
    private void runTurns(String key, String session, int index) {
        for (int n = 0; loading; n++) {
            Node node = index % 2 == 0 || killed ? a : b;
            String input = n % 2 == 0 ? "call wait_seconds {\"seconds\": 2}" : "hello " + n;
            Answer posted = s.call(node, "POST", "/api/v1/sessions/" + session + "/turns", key,
                    "{\"input\":" + jsonString(input) + "}", Duration.ofSeconds(10));
            if (!posted.ok()) {
                turnPostFailures.incrementAndGet();
                if (node == a && killed) {
                    survivorErrorsAfterKill.incrementAndGet();
                }
                Scenario.sleep(500);
                continue;
            }
            String turn = posted.json().getString("id");
            turnsAccepted.add(turn);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline) {
                Answer state = s.call(killed ? a : node, "GET", "/api/v1/sessions/" + session + "/turns/" + turn,
                        key, null, Duration.ofSeconds(10));
                if (state.ok() && Set.of("done", "failed").contains(state.json().getString("state"))) {
                    break;
                }
                Scenario.sleep(200);
            }
        }
    }

    private static String jsonString(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * The server whose partition has claimed the queue's housekeeping timer (Liberty's persistent executor tables,
     * {@code ejbtimers.timer_task} and {@code timer_part}), or null when that cannot be told.
     */
    private String housekeepingHolder() {
        try {
            List<List<String>> rows = s.rows("SELECT p.lserver, t.iname FROM ejbtimers.timer_task t JOIN"
                    + " ejbtimers.timer_part p ON p.id = t.partn");
            rows.forEach(row -> s.log("persistent timer %s on %s", row.get(1), row.get(0)));
            return rows.stream().filter(row -> row.get(1) != null && row.get(1).contains("Housekeeping"))
                    .map(row -> row.get(0)).findFirst().orElse(null);
        } catch (Exception e) {
            s.log("cannot tell which node runs the housekeeping timer: %s", e);
            return null;
        }
    }

    /** The jobs the dead node's lease still holds: nobody else may run them until the lease expires. */
    private Map<Long, String> orphans(Node node) throws Exception {
        Map<Long, String> orphans = new HashMap<>();
        for (List<String> row : s.rows("SELECT id, kind FROM dispatch.jobs WHERE state = 'running' AND lease_owner"
                + " LIKE '" + node.name() + "/%'")) {
            orphans.put(Long.parseLong(row.get(0)), row.get(1));
        }
        return orphans;
    }

    /** Seconds from the kill until each orphaned job is no longer the dead node's. */
    private void watchRescue(Set<Long> ids, long killedAt, Map<Long, Double> rescuedAfter) {
        long deadline = killedAt + TimeUnit.SECONDS.toNanos(170);
        while (rescuedAfter.size() < ids.size() && System.nanoTime() < deadline) {
            try (Connection sql = s.sql(); PreparedStatement query = sql.prepareStatement("SELECT id FROM"
                    + " dispatch.jobs WHERE id = ANY(?) AND NOT (state = 'running' AND lease_owner LIKE ?)")) {
                Array array = sql.createArrayOf("bigint", ids.toArray());
                query.setArray(1, array);
                query.setString(2, b.name() + "/%");
                try (ResultSet rows = query.executeQuery()) {
                    double now = Scenario.seconds(killedAt);
                    while (rows.next()) {
                        rescuedAfter.putIfAbsent(rows.getLong(1), now);
                    }
                }
            } catch (Exception e) {
                s.log("rescue watcher: %s", e);
            }
            Scenario.sleep(100);
        }
    }

    private void verifyTasks(String tenantId) throws Exception {
        Map<String, List<String>> byKey = new HashMap<>();
        for (List<String> row : s.rows("SELECT idempotency_key, id, state, attempt FROM dispatch.jobs WHERE"
                + " tenant_id = '" + tenantId + "' AND idempotency_key LIKE 'kn-%'")) {
            byKey.put(row.get(0), row);
        }
        long notCompleted = 0;
        long wrongId = 0;
        long rerun = 0;
        for (Accepted task : accepted.values()) {
            List<String> row = byKey.get(task.key());
            if (row == null || !row.get(1).equals(task.id())) {
                wrongId++;
                continue;
            }
            if (!row.get(2).equals("completed")) {
                notCompleted++;
                s.log("task %s (%s) is %s", task.id(), task.kind(), row.get(2));
            }
            if (Integer.parseInt(row.get(3)) > 1) {
                rerun++;
            }
        }
        s.check(wrongId == 0, "every accepted task is the one job of its idempotency key (" + wrongId
                + " mismatches)");
        s.check(notCompleted == 0, "every accepted task completed (" + notCompleted + " did not)");
        s.figure("tasks run more than once", "%d (attempt > 1: at least once, as designed)", rerun);
    }

    private void verifyWebhooks(String tenantId) {
        Map<String, Set<String>> keysByHook = new HashMap<>();
        int deliveries = 0;
        for (WebhookReceiver.Call call : receiver.calls("/hook")) {
            Matcher hook = HOOK_ID.matcher(call.body());
            if (hook.find()) {
                keysByHook.computeIfAbsent(hook.group(1), h -> new HashSet<>()).add(call.idempotencyKey());
                deliveries++;
            }
        }
        Set<String> effects = receiver.calls("/hook").stream().map(WebhookReceiver.Call::idempotencyKey)
                .collect(Collectors.toSet());
        long webhooks = 0;
        long missing = 0;
        long twoKeys = 0;
        long wrongKey = 0;
        for (Accepted task : accepted.values()) {
            if (!task.kind().equals("webhook")) {
                continue;
            }
            webhooks++;
            Set<String> keys = keysByHook.getOrDefault(task.hookId(), Set.of());
            if (keys.isEmpty()) {
                missing++;
            } else if (keys.size() > 1) {
                twoKeys++;
            } else if (!keys.iterator().next().equals("steward-" + tenantId + "-" + task.id())) {
                wrongKey++;
            }
        }
        s.check(missing == 0, "every accepted webhook was delivered (" + missing + " never were)");
        s.check(twoKeys == 0, "each webhook's deliveries carry one Idempotency-Key, so its effect happens once ("
                + twoKeys + " had two)");
        s.check(wrongKey == 0, "the Idempotency-Key Steward sends is steward-<tenant>-<task id> (" + wrongKey
                + " differ)");
        s.check(effects.size() == webhooks, "effects after dedupe by Idempotency-Key = accepted webhooks ("
                + effects.size() + " vs " + webhooks + ")");
        s.figure("webhook deliveries / effects", "%d / %d (%d redelivered, deduped by the receiver)", deliveries,
                effects.size(), deliveries - effects.size());
    }

    private void verifyTurns(String tenantId) throws Exception {
        List<List<String>> turns = s.rows("SELECT t.id, t.state, (SELECT count(*) FROM sessions.events e WHERE"
                + " e.tenant_id = t.tenant_id AND e.turn_id = t.id AND e.type = 'turn.completed'), (SELECT count(*)"
                + " FROM sessions.events e WHERE e.tenant_id = t.tenant_id AND e.turn_id = t.id AND e.type ="
                + " 'turn.failed') FROM sessions.turns t WHERE t.tenant_id = '" + tenantId + "'");
        Set<String> known = turns.stream().map(row -> row.get(0)).collect(Collectors.toSet());
        long notDone = turns.stream().filter(row -> !row.get(1).equals("done")).count();
        long notOnce = turns.stream().filter(row -> !row.get(2).equals("1") || !row.get(3).equals("0")).count();
        turns.stream().filter(row -> !row.get(1).equals("done") || !row.get(2).equals("1"))
                .forEach(row -> s.log("turn %s: %s, %s turn.completed, %s turn.failed", row.get(0), row.get(1),
                        row.get(2), row.get(3)));
        long lost = turnsAccepted.stream().filter(turn -> !known.contains(turn)).count();
        s.check(lost == 0, "every accepted turn is recorded (" + lost + " lost)");
        s.check(notDone == 0, "every turn ended done (" + notDone + " did not, of " + turns.size() + ")");
        s.check(notOnce == 0, "every turn completed exactly once: one turn.completed event, no turn.failed ("
                + notOnce + " otherwise)");
        long rerunTurns = s.count("SELECT count(*) FROM dispatch.jobs WHERE tenant_id = '" + tenantId
                + "' AND kind = 'session.turn' AND attempt > 1");
        s.figure("turns (all in the database)", "%d done of %d; turn jobs run more than once: %d",
                turns.size() - notDone, turns.size(), rerunTurns);
    }
}
