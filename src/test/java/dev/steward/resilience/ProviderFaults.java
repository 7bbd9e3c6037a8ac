package dev.steward.resilience;

import dev.steward.resilience.Scenario.Answer;
import dev.steward.resilience.Scenario.Node;
import dev.steward.testing.FakeProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code resilience/provider-faults}: an agent whose model is on a fake provider that answers, then fails with 429,
 * then 500, then hangs (phases of a few seconds each, longer than the circuit's open time), then heals; its fallback
 * model is on another fake provider. Turns run one after another on one session, so the requests the failing
 * provider receives are counted per turn. Passes when every turn is answered (by the fallback while the primary
 * fails), no turn sends the primary more than the retry policy's 3 requests (1 + {@code @Retry(maxRetries = 2)}),
 * the circuit opens (turns that send nothing at all), the total stays within the bound the circuit's settings give,
 * and the primary answers again by itself within the circuit's open time after it heals.
 */
public final class ProviderFaults {

    /** From the models module: {@code @Retry(maxRetries = 2)} around each provider call. */
    private static final int REQUESTS_PER_CALL = 3;
    private static final int CIRCUIT_FAILURES = 3;
    private static final int CIRCUIT_OPEN_SECONDS = 4;
    private static final int TIMEOUT_SECONDS = 2;
    private static final int PHASE_SECONDS = Integer.getInteger("resilience.phase.seconds", 9);
    private static final int BURST = 10;

    /** One turn: its phase, how many requests the primary got meanwhile, who answered, how long it took. */
    private record TurnResult(String phase, int primaryRequests, String state, String answeredBy, long millis) {
    }

    public static void main(String[] args) throws Exception {
        int exit;
        try (Scenario scenario = Scenario.start("provider-faults", Map.of(
                "STEWARD_MODELS_CIRCUIT_FAILURES", String.valueOf(CIRCUIT_FAILURES),
                "STEWARD_MODELS_CIRCUIT_OPEN_SECONDS", String.valueOf(CIRCUIT_OPEN_SECONDS),
                "STEWARD_MODELS_TIMEOUT_SECONDS", String.valueOf(TIMEOUT_SECONDS)));
             FakeProvider primary = FakeProvider.start();
             FakeProvider backup = FakeProvider.start()) {
            exit = new ProviderFaults(scenario, primary, backup).run();
        }
        System.exit(exit);
    }

    private final Scenario s;
    private final FakeProvider primary;
    private final FakeProvider backup;
    private final List<TurnResult> results = new ArrayList<>();
    private Node node;
    private String key;

    private ProviderFaults(Scenario scenario, FakeProvider primary, FakeProvider backup) {
        this.s = scenario;
        this.primary = primary;
        this.backup = backup;
    }

    private int run() throws Exception {
        node = s.startNode("a", Map.of());
        key = s.newTenant(node, "providers");
        account("primary", primary, "main");
        account("backup", backup, "spare");
        primary.reply("from primary");
        backup.reply("from backup");
        String agent = s.newAgent(node, key, "resilient", "main", ",\"fallbackModels\":[\"spare\"]");
        String session = s.newSession(node, key, agent);
        s.log("agent on 'main' (primary fake at %s) with fallback 'spare' (backup fake at %s); circuit: %d failed"
                + " calls, open %d s; provider timeout %d s", primary.baseUrl(), backup.baseUrl(), CIRCUIT_FAILURES,
                CIRCUIT_OPEN_SECONDS, TIMEOUT_SECONDS);

        turns(session, "healthy", 3);
        long failingStarted = System.nanoTime();
        primary.failWith(429);
        turnsFor(session, "429", PHASE_SECONDS);
        primary.failWith(500);
        turnsFor(session, "500", PHASE_SECONDS);
        // A burst of concurrent turns while the primary fails: the circuit, not the number of callers, bounds it.
        int burstRequests = burst(agent, "500-burst");
        primary.failWith(0);
        primary.delay(Duration.ofSeconds(60)); // accepts, reads, never answers in time
        turnsFor(session, "hang", PHASE_SECONDS + 2 * TIMEOUT_SECONDS * REQUESTS_PER_CALL);
        double failingSeconds = Scenario.seconds(failingStarted);
        int failingRequests = primary.requests().size() - 3;
        primary.delay(Duration.ZERO);
        long healed = System.nanoTime();
        s.log("primary healed");
        double recovery = -1;
        for (int i = 0; i < 100 && Scenario.seconds(healed) < CIRCUIT_OPEN_SECONDS + 20; i++) {
            TurnResult turn = turn(session, "healed");
            if ("primary".equals(turn.answeredBy())) {
                recovery = Scenario.seconds(healed);
                break;
            }
            Scenario.sleep(250);
        }
        turns(session, "healed", 2);

        // Checks.
        long unanswered = results.stream().filter(r -> !r.state().equals("done")).count();
        s.check(unanswered == 0, "every turn was answered (" + unanswered + " were not)");
        long wrongSource = results.stream().filter(r -> !r.phase().equals("healed") && !r.phase().equals("healthy")
                && !"backup".equals(r.answeredBy())).count();
        s.check(wrongSource == 0, "while the primary failed, the fallback answered every turn (" + wrongSource
                + " otherwise)");
        // Turns of the burst ran at once, so the requests counted during one are everybody's: left out here.
        int most = results.stream().filter(r -> !r.phase().endsWith("burst")).mapToInt(TurnResult::primaryRequests)
                .max().orElse(0);
        s.check(most <= REQUESTS_PER_CALL, "no turn sent the primary more than " + REQUESTS_PER_CALL + " requests (1 +"
                + " 2 retries): most " + most);
        for (String phase : List.of("429", "500", "hang")) {
            long skipped = results.stream().filter(r -> r.phase().equals(phase) && r.primaryRequests() == 0).count();
            s.check(skipped > 0, "the circuit was open during the " + phase + " phase: " + skipped + " turns sent"
                    + " the primary nothing");
        }
        long windows = (long) Math.ceil(failingSeconds / CIRCUIT_OPEN_SECONDS);
        long bound = (long) REQUESTS_PER_CALL * (CIRCUIT_FAILURES + windows + 1) + (long) REQUESTS_PER_CALL * BURST;
        s.check(failingRequests <= bound, String.format(Locale.ROOT, "requests to the failing primary: %d, within"
                + " the bound 3 x (%d failures to open + %d open windows in %.0f s + 1) + 3 x %d burst turns = %d",
                failingRequests, CIRCUIT_FAILURES, windows, failingSeconds, BURST, bound));
        s.check(recovery >= 0 && recovery <= CIRCUIT_OPEN_SECONDS + 10, String.format(Locale.ROOT, "the primary"
                + " answered again by itself %.1f s after it healed (bound: open time %d s + 10 s)", recovery,
                CIRCUIT_OPEN_SECONDS));

        Map<String, List<TurnResult>> byPhase = new LinkedHashMap<>();
        results.forEach(r -> byPhase.computeIfAbsent(r.phase(), p -> new ArrayList<>()).add(r));
        byPhase.forEach((phase, turns) -> s.figure("phase " + phase, "%d turns, primary requests %d (per turn max"
                        + " %d), answered by primary %d / backup %d, latency p50 %.0f ms, p99 %.0f ms", turns.size(),
                turns.stream().mapToInt(TurnResult::primaryRequests).sum(),
                turns.stream().mapToInt(TurnResult::primaryRequests).max().orElse(0),
                turns.stream().filter(t -> "primary".equals(t.answeredBy())).count(),
                turns.stream().filter(t -> "backup".equals(t.answeredBy())).count(),
                Scenario.percentile(turns.stream().map(TurnResult::millis).toList(), 0.5),
                Scenario.percentile(turns.stream().map(TurnResult::millis).toList(), 0.99)));
        s.figure("burst of concurrent turns", "%d turns at once while failing: %d primary requests", BURST,
                burstRequests);
        s.figure("primary requests while failing", "%d in %.0f s (bound %d)", failingRequests, failingSeconds,
                bound);
        s.figure("backup requests in total", "%d", backup.requests().size());
        s.figure("recovery after healing", "%.1f s (circuit open time %d s)", recovery, CIRCUIT_OPEN_SECONDS);
        return s.verdict();
    }

    private void account(String provider, FakeProvider fake, String model) {
        Answer created = s.call(node, "POST", "/api/v1/providers", key, "{\"name\":\"" + provider + "\",\"type\":"
                + "\"openai-compatible\",\"baseUrl\":\"" + fake.baseUrl() + "\",\"credentials\":{\"apiKey\":\"k\"}}",
                Duration.ofSeconds(30));
        Scenario.require(created.status() == 201, "provider: " + created.status() + " " + created.body());
        Answer priced = s.call(node, "POST", "/api/v1/models", key, "{\"name\":\"" + model + "\",\"provider\":\""
                + provider + "\",\"providerModel\":\"fake-" + model + "\",\"inputPrice\":0,\"outputPrice\":0}",
                Duration.ofSeconds(30));
        Scenario.require(priced.status() == 201, "model: " + priced.status() + " " + priced.body());
    }

    private void turns(String session, String phase, int count) {
        for (int i = 0; i < count; i++) {
            turn(session, phase);
        }
    }

    private void turnsFor(String session, String phase, int seconds) {
        long t0 = System.nanoTime();
        while (Scenario.seconds(t0) < seconds) {
            turn(session, phase);
            Scenario.sleep(200);
        }
    }

    /** One turn, waited for; the primary's requests counted before and after. */
    private TurnResult turn(String session, String phase) {
        int before = primary.requests().size();
        long t0 = System.nanoTime();
        Answer posted = s.call(node, "POST", "/api/v1/sessions/" + session + "/turns", key,
                "{\"input\":\"" + phase + " turn\"}", Duration.ofSeconds(10));
        String state = "not accepted: " + posted.status();
        String answer = null;
        if (posted.ok()) {
            String turn = posted.json().getString("id");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                Answer seen = s.call(node, "GET", "/api/v1/sessions/" + session + "/turns/" + turn, key, null,
                        Duration.ofSeconds(10));
                if (seen.ok()) {
                    state = seen.json().getString("state");
                    answer = Scenario.text(seen.json(), "answer");
                    if (state.equals("done") || state.equals("failed")) {
                        break;
                    }
                }
                Scenario.sleep(50);
            }
        }
        TurnResult result = new TurnResult(phase, primary.requests().size() - before, state, source(answer),
                (System.nanoTime() - t0) / 1_000_000);
        results.add(result);
        s.log("turn (%s): %s by %s in %d ms; primary requests %d", phase, result.state(), result.answeredBy(),
                result.millis(), result.primaryRequests());
        return result;
    }

    private static String source(String answer) {
        return answer == null ? null : answer.contains("from primary") ? "primary"
                : answer.contains("from backup") ? "backup" : answer;
    }

    /** {@link #BURST} sessions send a turn at the same moment; the primary's requests meanwhile. */
    private int burst(String agent, String phase) throws Exception {
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            sessions.add(s.newSession(node, key, agent));
        }
        int before = primary.requests().size();
        ExecutorService pool = Executors.newFixedThreadPool(BURST);
        List<Future<?>> done = new ArrayList<>();
        List<TurnResult> burst = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (String session : sessions) {
            done.add(pool.submit(() -> {
                TurnResult result = turn(session, phase);
                burst.add(result);
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();
        int requests = primary.requests().size() - before;
        s.log("burst of %d concurrent turns: %d primary requests", BURST, requests);
        return requests;
    }
}
