package dev.steward.bench;

import dev.steward.testing.DevKeys;
import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.LibertyServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The workflow benchmark on the real thing: a Steward server on an embedded PostgreSQL, runs started over HTTP.
 *
 * <ul>
 *   <li>Runs of 5 and of 50 parallel specialist nodes (the built-in model, whose own time is nil) feeding one commit:
 *       runs per second for a burst of runs, and the orchestration overhead per node: from the run's start (its
 *       first nodes queued) to the node's end, which is queue pickup, the claim, the context, the gateway with its
 *       metering and audit, and the step's commit.
 *   <li>Supervisor commits per second for runs of one specialist and a commit on a few hot records (runs wait for
 *       the record's lease), beside the same runs on as many records as runs: the cost of contention.
 * </ul>
 * Prints a table and writes {@code target/bench/workflows.json}. {@code -Dbench.nodes=N}: about this many specialist
 * nodes per fan-out burst (default 1000); {@code -Dbench.commits=N} runs per commit burst (default 200).
 */
public final class WorkflowBench {

    private static final int[] FAN_OUT = {5, 50};
    private static final int HOT_RECORDS = 4;
    private static final int SENDERS = 16;

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final String key;
    private final EmbeddedDatabase database;

    private WorkflowBench(URI base, String key, EmbeddedDatabase database) {
        this.base = base;
        this.key = key;
        this.database = database;
    }

    public static void main(String[] args) throws Exception {
        int nodes = Integer.getInteger("bench.nodes", 1000);
        int commits = Integer.getInteger("bench.commits", 200);
        Path work = Path.of("target/bench/workflows-work");
        Files.createDirectories(work);
        try (EmbeddedDatabase database = EmbeddedDatabase.startFresh(work.resolve("pgdata"), work.resolve("pg"))) {
            database.ensureDatabase("steward", EmbeddedDatabase.SUPERUSER);
            String key = DevKeys.newApiKey();
            try (LibertyServer server = SessionBench.startServer(database, key, work)) {
                WorkflowBench bench = new WorkflowBench(server.baseUri(), key, database);
                bench.define();
                bench.burst("fan-5", 20, false); // warms the server's JIT up; not counted
                JsonObjectBuilder figures = Json.createObjectBuilder();
                System.out.printf(Locale.ROOT, "%-28s %10s %16s %16s%n", "", "runs/s", "node p50 (ms)",
                        "node p99 (ms)");
                for (int fan : FAN_OUT) {
                    double[] burst = bench.burst("fan-" + fan, Math.max(4, nodes / fan), false);
                    System.out.printf(Locale.ROOT, "%-28s %10.1f %16.1f %16.1f%n", fan + " parallel nodes",
                            burst[0], burst[1], burst[2]);
                    figures.add(String.valueOf(fan), Json.createObjectBuilder().add("runs_per_s", round(burst[0]))
                            .add("node_overhead_ms", Json.createObjectBuilder().add("p50", round(burst[1]))
                                    .add("p99", round(burst[2]))).add("runs", (long) burst[3]));
                }
                double[] hot = bench.burst("one-commit", commits, true);
                double[] spread = bench.burst("one-commit", commits, false);
                System.out.printf(Locale.ROOT, "%-28s %10.1f%n", "commits, " + HOT_RECORDS + " hot records", hot[0]);
                System.out.printf(Locale.ROOT, "%-28s %10.1f%n", "commits, a record each (peer)", spread[0]);
                figures.add("commits", Json.createObjectBuilder()
                        .add("hot_records", HOT_RECORDS).add("commits_per_s", round(hot[0]))
                        .add("peer_one_record_each_commits_per_s", round(spread[0])).add("runs", commits));
                Path out = Path.of("target/bench/workflows.json");
                Files.writeString(out, figures.build().toString());
                System.out.println("Wrote " + out.toAbsolutePath());
            }
        }
    }

    private void define() throws Exception {
        post("/api/v1/agents", "{\"name\":\"scorer\",\"kind\":\"llm\",\"model\":\"steward-scripted\","
                + "\"instructions\":\"Propose: {\\\"actions\\\": [{\\\"action\\\": \\\"update\\\", \\\"record\\\": "
                + "\\\"{{record.id}}\\\", \\\"fields\\\": {\\\"score\\\": 7}}], \\\"confidence\\\": 0.9}\","
                + "\"proposes\":[{\"type\":\"opportunity\",\"actions\":[\"update\"],\"fields\":[\"score\"]}]}");
        for (int fan : FAN_OUT) {
            workflow("fan-" + fan, fan);
        }
        workflow("one-commit", 1);
    }

    private void workflow(String name, int fan) throws Exception {
        String nodes = IntStream.rangeClosed(1, fan).mapToObj(i -> "{\"id\":\"s" + i + "\",\"kind\":\"agent\","
                + "\"agent\":\"scorer\"}").collect(Collectors.joining(","));
        String edges = IntStream.rangeClosed(1, fan).mapToObj(i -> "{\"from\":\"s" + i + "\",\"to\":\"commit\"}")
                .collect(Collectors.joining(","));
        post("/api/v1/workflows", "{\"name\":\"" + name + "\",\"nodes\":[" + nodes + ",{\"id\":\"commit\",\"kind\":"
                + "\"commit\"}],\"edges\":[" + edges + "]}");
    }

    /**
     * Starts {@code runs} runs of the workflow as fast as {@value #SENDERS} senders can, each on a record of its own
     * or on one of {@value #HOT_RECORDS} hot records, and waits for all to end. Returns runs/s (first start to last
     * end), node overhead p50 and p99 (ms), and the number of runs.
     */
    private double[] burst(String workflow, int runs, boolean hot) throws Exception {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < (hot ? HOT_RECORDS : runs); i++) {
            // Opportunities: the demo tenant's lead-to-cash rule starts a run (that waits for approval) on every lead.
            records.add(post("/api/v1/records", "{\"type\":\"opportunity\",\"fields\":{\"n\":" + i + "}}")
                    .getString("id"));
        }
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        List<Future<String>> started = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            String record = records.get(i % records.size());
            started.add(senders.submit(() -> post("/api/v1/runs", "{\"workflow\":\"" + workflow + "\",\"record\":\""
                    + record + "\"}").getString("id")));
        }
        List<String> ids = new ArrayList<>();
        try {
            for (Future<String> run : started) {
                ids.add(run.get());
            }
        } finally {
            senders.shutdownNow(); // a failed start ends the bench instead of leaving its senders holding the JVM
        }
        String list = ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (count("SELECT count(*) FROM orchestration.runs WHERE id IN (" + list + ") AND state IN ('running',"
                + " 'waiting')") > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("runs did not end in ten minutes");
            }
            Thread.sleep(20);
        }
        long failed = count("SELECT count(*) FROM orchestration.runs WHERE id IN (" + list + ")"
                + " AND state <> 'succeeded'");
        if (failed > 0) {
            throw new IllegalStateException(failed + " runs of " + workflow + " did not succeed");
        }
        double seconds = seconds("SELECT extract(epoch FROM max(finished_at) - min(created_at))"
                + " FROM orchestration.runs WHERE id IN (" + list + ")");
        double[] overhead = SessionBench.percentiles(database, "SELECT extract(epoch FROM n.finished_at"
                + " - r.started_at) * 1000 FROM orchestration.run_nodes n JOIN orchestration.runs r"
                + " ON r.tenant_id = n.tenant_id AND r.id = n.run_id WHERE r.id IN (" + list + ") AND n.kind = 'agent'");
        return new double[] {runs / seconds, overhead[0], overhead[1], runs};
    }

    private long count(String query) throws Exception {
        return (long) seconds(query);
    }

    private double seconds(String query) throws Exception {
        try (Connection sql = database.connect("steward", EmbeddedDatabase.SUPERUSER);
             PreparedStatement statement = sql.prepareStatement(query); ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getDouble(1);
        }
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private JsonObject post(String path, String body) throws Exception {
        return SessionBench.post(http, base, key, path, body);
    }
}
