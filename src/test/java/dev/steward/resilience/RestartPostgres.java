package dev.steward.resilience;

import dev.steward.resilience.Scenario.Answer;
import dev.steward.resilience.Scenario.Node;
import dev.steward.testing.WebhookReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * {@code resilience/restart-postgres}: a node under load (tasks with idempotency keys, {@code noop} and
 * {@code webhook}, resent with the same key when refused), then PostgreSQL stopped ({@code pg_ctl stop -m fast}) for
 * about 10 s and started again on the same port. Passes when, while it is down, the API answers 503 problem+json
 * with Retry-After, quickly (no hanging on the pool); the pool recovers by itself once it is back; and every
 * accepted task completed with its effect once.
 */
public final class RestartPostgres {

    private static final int DOWN_SECONDS = Integer.getInteger("resilience.down.seconds", 10);
    private static final int SUBMITTERS = 4;
    /** An answer during the outage slower than this is hanging, not failing fast. */
    private static final long FAST_MILLIS = 3_000;
    /** The pool must be serving again this long after PostgreSQL is back. */
    private static final long RECOVERY_BOUND_MILLIS = 30_000;

    private record Accepted(String key, String id, String kind, String hookId) {
    }

    /** One probe: when it was sent (ms since the outage began; negative before), what came back. */
    private record Probe(long at, String phase, Answer answer) {
    }

    public static void main(String[] args) throws Exception {
        int exit;
        try (Scenario scenario = Scenario.start("restart-postgres", Map.of(
                "STEWARD_DISPATCH_LEASE_SECONDS", "30",
                "STEWARD_DISPATCH_RESCUE_SECONDS", "2"));
             WebhookReceiver receiver = WebhookReceiver.start()) {
            exit = new RestartPostgres(scenario, receiver).run();
        }
        System.exit(exit);
    }

    private final Scenario s;
    private final WebhookReceiver receiver;
    private final Map<String, Accepted> accepted = new ConcurrentHashMap<>();
    private final List<Probe> probes = new CopyOnWriteArrayList<>();
    private final AtomicInteger resent = new AtomicInteger();
    private volatile String phase = "before";
    private volatile long downAt;
    private volatile boolean loading = true;
    private Node node;

    private RestartPostgres(Scenario scenario, WebhookReceiver receiver) {
        this.s = scenario;
        this.receiver = receiver;
    }

    private int run() throws Exception {
        node = s.startNode("a", Map.of());
        receiver.delay("/hook", 50);
        String key = s.newTenant(node, "pgrestart");
        String tenantId = s.call(node, "GET", "/api/v1/me", key, null, Duration.ofSeconds(10)).json()
                .getString("tenantId");
        ExecutorService clients = Executors.newCachedThreadPool();
        AtomicInteger sequence = new AtomicInteger();
        for (int t = 0; t < SUBMITTERS; t++) {
            clients.submit(() -> submitTasks(key, sequence));
        }
        clients.submit(() -> probe(key));

        Scenario.sleep(8_000);
        long t0 = System.nanoTime();
        downAt = t0;
        phase = "down";
        s.stopDatabase();
        s.log("PostgreSQL stopped (pg_ctl stop -m fast) in %.1f s; %d tasks accepted so far", Scenario.seconds(t0),
                accepted.size());
        Scenario.sleep(DOWN_SECONDS * 1000L);
        phase = "restarting";
        long t1 = System.nanoTime();
        s.startDatabase();
        long upAt = System.nanoTime();
        phase = "up";
        s.log("PostgreSQL started again on the same port in %.1f s, after %.1f s down", Scenario.seconds(t1),
                (upAt - t0) / 1e9);
        Scenario.sleep(12_000);
        loading = false;
        clients.shutdown();
        clients.awaitTermination(2, TimeUnit.MINUTES);
        s.log("load over: %d tasks accepted, %d resent after a refusal", accepted.size(), resent.get());

        double drained = s.awaitDrained(tenantId, Duration.ofSeconds(90));

        // While down: 503 problem+json with Retry-After, fast.
        long downMs = (upAt - t0) / 1_000_000;
        List<Probe> down = probes.stream().filter(p -> p.phase().equals("down")).toList();
        Map<String, Long> downStatuses = new TreeMap<>(down.stream().collect(Collectors.groupingBy(
                p -> String.valueOf(p.answer().status()), Collectors.counting())));
        long not503 = down.stream().filter(p -> p.answer().status() != 503).count();
        long notProblem = down.stream().filter(p -> p.answer().status() == 503
                && !p.answer().contentType().startsWith("application/problem+json")).count();
        long noRetryAfter = down.stream().filter(p -> p.answer().status() == 503
                && p.answer().header("Retry-After") == null).count();
        List<Long> downLatency = down.stream().map(p -> p.answer().millis()).toList();
        s.check(!down.isEmpty(), "requests were made while PostgreSQL was down (" + down.size() + ")");
        s.check(not503 == 0, "every API request while PostgreSQL was down answered 503 (statuses " + downStatuses
                + ")");
        s.check(notProblem == 0, "each 503 is application/problem+json (" + notProblem + " not)");
        s.check(noRetryAfter == 0, "each 503 carries Retry-After (" + noRetryAfter + " without)");
        double p99 = Scenario.percentile(downLatency, 0.99);
        s.check(p99 <= FAST_MILLIS, String.format(Locale.ROOT, "they failed fast: p99 %.0f ms (bound %d ms)", p99,
                FAST_MILLIS));
        down.stream().filter(p -> p.answer().status() != 503).limit(3).forEach(p -> s.log("  down: %d %s",
                p.answer().status(), p.answer().body().substring(0, Math.min(300, p.answer().body().length()))));

        // After: the pool recovers by itself.
        long upOffset = downMs;
        List<Probe> after = probes.stream().filter(p -> p.phase().equals("up")).toList();
        Long firstOk = after.stream().filter(p -> p.answer().ok()).map(Probe::at).findFirst().orElse(null);
        s.check(firstOk != null && firstOk - upOffset <= RECOVERY_BOUND_MILLIS, "the API served again within "
                + RECOVERY_BOUND_MILLIS / 1000 + " s of PostgreSQL's return ("
                + (firstOk == null ? "never" : (firstOk - upOffset) + " ms") + ")");
        long errorsAfterRecovery = firstOk == null ? -1 : after.stream()
                .filter(p -> p.at() > firstOk && !p.answer().ok()).count();
        s.check(errorsAfterRecovery == 0, "no failed request once it served again (" + errorsAfterRecovery + ")");
        after.stream().filter(p -> firstOk != null && p.at() > firstOk && !p.answer().ok()).limit(3)
                .forEach(p -> s.log("  after: %d %s", p.answer().status(), p.answer().body()));
        long before500 = probes.stream().filter(p -> p.phase().equals("before") && !p.answer().ok()).count();
        s.check(before500 == 0, "no failed request before the outage (" + before500 + ")");

        verifyTasks(tenantId);
        verifyWebhooks(tenantId);
        long stuck = s.count("SELECT count(*) FROM dispatch.jobs WHERE tenant_id = '" + tenantId + "' AND state"
                + " NOT IN ('completed', 'failed', 'cancelled')");
        s.check(stuck == 0, "no job of the tenant left unfinished (" + stuck + ")");

        s.figure("outage", "%.1f s (stop to start completed)", downMs / 1000.0);
        s.figure("requests while down", "%d, statuses %s", down.size(), downStatuses);
        s.figure("latency while down p50 / p99 / max", "%.0f / %.0f / %.0f ms",
                Scenario.percentile(downLatency, 0.5), p99, Scenario.percentile(downLatency, 1.0));
        List<Long> beforeLatency = probes.stream().filter(p -> p.phase().equals("before"))
                .map(p -> p.answer().millis()).toList();
        s.figure("latency before p50 / p99", "%.0f / %.0f ms", Scenario.percentile(beforeLatency, 0.5),
                Scenario.percentile(beforeLatency, 0.99));
        s.figure("first success after restart", "%s", firstOk == null ? "never" : (firstOk - upOffset) + " ms");
        s.figure("tasks accepted / resent", "%d / %d", accepted.size(), resent.get());
        s.figure("drained after load", "%.1f s", drained);
        return s.verdict();
    }

    /** Probes every 200 ms: a read and a write, each timed; 5 s deadline so that a hang shows as such. */
    private void probe(String key) {
        int i = 0;
        while (loading) {
            String p = phase;
            if (!p.equals("restarting")) {
                long at = downAt == 0 ? -1 : (System.nanoTime() - downAt) / 1_000_000;
                Answer read = s.call(node, "GET", "/api/v1/tasks?limit=5", key, null, Duration.ofSeconds(15));
                record(at, p, read);
                long at2 = downAt == 0 ? -1 : (System.nanoTime() - downAt) / 1_000_000;
                Answer me = s.call(node, "GET", "/api/v1/me", key, null, Duration.ofSeconds(15));
                record(at2, p, me);
                i++;
            }
            Scenario.sleep(200);
        }
    }

    private void record(long at, String phaseAtStart, Answer answer) {
        // A request that straddles a phase change belongs to neither.
        if (phaseAtStart.equals(phase)) {
            probes.add(new Probe(at, phaseAtStart, answer));
        }
    }

    /** Tasks with idempotency keys; a refusal (503, or no answer) is resent with the same key after Retry-After. */
    private void submitTasks(String key, AtomicInteger sequence) {
        while (loading) {
            int i = sequence.incrementAndGet();
            boolean webhook = i % 2 == 1;
            String idempotencyKey = "pg-" + i;
            String hookId = "hook-" + i;
            String body = webhook
                    ? "{\"kind\":\"webhook\",\"idempotencyKey\":\"" + idempotencyKey + "\",\"payload\":{\"url\":\""
                    + receiver.url("/hook") + "\",\"body\":{\"hook\":\"" + hookId + "\"}}}"
                    : "{\"kind\":\"noop\",\"idempotencyKey\":\"" + idempotencyKey + "\"}";
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Answer answer = s.call(node, "POST", "/api/v1/tasks", s.adminToken() == null ? key : key, body,
                    Duration.ofSeconds(15));
            while (!answer.ok() && System.nanoTime() < giveUp && (answer.status() == -1 || answer.status() >= 500)) {
                resent.incrementAndGet();
                String retryAfter = answer.header("Retry-After");
                Scenario.sleep(retryAfter == null ? 500 : Math.min(2_000, Long.parseLong(retryAfter) * 1000));
                answer = s.call(node, "POST", "/api/v1/tasks", key, body, Duration.ofSeconds(15));
            }
            if (answer.ok()) {
                accepted.put(idempotencyKey, new Accepted(idempotencyKey, answer.json().getString("id"),
                        webhook ? "webhook" : "noop", webhook ? hookId : null));
            } else {
                s.log("task %s not accepted: %d %s", idempotencyKey, answer.status(), answer.body());
            }
            Scenario.sleep(100);
        }
    }

    private void verifyTasks(String tenantId) throws Exception {
        Map<String, List<String>> byKey = new HashMap<>();
        for (List<String> row : s.rows("SELECT idempotency_key, id, state FROM dispatch.jobs WHERE tenant_id = '"
                + tenantId + "' AND idempotency_key LIKE 'pg-%'")) {
            byKey.put(row.get(0), row);
        }
        long wrong = 0;
        long notCompleted = 0;
        for (Accepted task : accepted.values()) {
            List<String> row = byKey.get(task.key());
            if (row == null || !row.get(1).equals(task.id())) {
                wrong++;
            } else if (!row.get(2).equals("completed")) {
                notCompleted++;
                s.log("task %s (%s) is %s", task.id(), task.kind(), row.get(2));
            }
        }
        s.check(wrong == 0, "every accepted task is the one job of its idempotency key (" + wrong + " lost or"
                + " different)");
        s.check(notCompleted == 0, "every accepted task completed (" + notCompleted + " did not)");
    }

    private void verifyWebhooks(String tenantId) {
        Map<String, Set<String>> keysByHook = new HashMap<>();
        List<WebhookReceiver.Call> calls = receiver.calls("/hook");
        for (WebhookReceiver.Call call : calls) {
            String body = call.body();
            int at = body.indexOf("hook-");
            if (at >= 0) {
                String hook = body.substring(at, body.indexOf('"', at));
                keysByHook.computeIfAbsent(hook, h -> new HashSet<>()).add(call.idempotencyKey());
            }
        }
        Set<String> effects = calls.stream().map(WebhookReceiver.Call::idempotencyKey).collect(Collectors.toSet());
        List<Accepted> webhooks = new ArrayList<>(accepted.values().stream()
                .filter(task -> task.kind().equals("webhook")).toList());
        long missing = webhooks.stream().filter(task -> !keysByHook.containsKey(task.hookId())).count();
        long twoKeys = webhooks.stream().filter(task -> keysByHook.getOrDefault(task.hookId(), Set.of()).size() > 1)
                .count();
        long wrongKey = webhooks.stream().filter(task -> keysByHook.getOrDefault(task.hookId(), Set.of()).size() == 1
                && !keysByHook.get(task.hookId()).contains("steward-" + tenantId + "-" + task.id())).count();
        s.check(missing == 0, "every accepted webhook was delivered (" + missing + " never were)");
        s.check(twoKeys == 0 && wrongKey == 0, "each webhook's deliveries carry its one Idempotency-Key (" + twoKeys
                + " with two, " + wrongKey + " with another's)");
        s.check(effects.size() == webhooks.size(), "effects after dedupe = accepted webhooks (" + effects.size()
                + " vs " + webhooks.size() + ")");
        s.figure("webhook deliveries / effects", "%d / %d", calls.size(), effects.size());
    }
}
