package dev.steward.resilience;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steward.resilience.Scenario.Answer;
import dev.steward.resilience.Scenario.Node;
import dev.steward.testing.FreePorts;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * {@code resilience/hung-dependencies}: a remote A2A agent whose endpoint accepts connections and never answers, and
 * an MCP server that does the same once it has been registered, both used by one tenant's turns in a steady stream;
 * meanwhile another tenant's turns on the built-in model. Passes when every call to the hung endpoints is given up
 * within its configured timeout (the A2A agent's {@code timeoutSeconds}, the MCP server's), the A2A turns fail within
 * the bound their attempts give, the MCP tool turns complete with the timeout reported to the model, registering a
 * hung MCP server is refused within its timeout, and the other tenant's turns all complete with latency close to a
 * baseline measured before the hang.
 */
public final class HungDependencies {

    private static final int A2A_TIMEOUT_SECONDS = 3;
    private static final int MCP_TIMEOUT_SECONDS = 2;
    /** A session turn job's attempts ({@code TurnRunner.maxAttempts}) and its first two backoffs' most (2 s, 4 s). */
    private static final int TURN_ATTEMPTS = 3;
    private static final int BACKOFF_MOST_SECONDS = 2 + 4;
    private static final int HUNG_CLIENTS = Integer.getInteger("resilience.hung.clients", 3);
    private static final int OTHER_CLIENTS = 3;
    private static final int PHASE_SECONDS = Integer.getInteger("resilience.phase.seconds", 20);

    public static void main(String[] args) throws Exception {
        int exit;
        try (Scenario scenario = Scenario.start("hung-dependencies", Map.of());
             SilentEndpoint a2a = new SilentEndpoint();
             HangingMcpServer mcp = new HangingMcpServer()) {
            exit = new HungDependencies(scenario, a2a, mcp).run();
        }
        System.exit(exit);
    }

    private final Scenario s;
    private final SilentEndpoint a2a;
    private final HangingMcpServer mcp;
    private Node node;

    private HungDependencies(Scenario scenario, SilentEndpoint a2a, HangingMcpServer mcp) {
        this.s = scenario;
        this.a2a = a2a;
        this.mcp = mcp;
    }

    /** One turn as its client saw it. */
    private record Turn(String kind, String state, String answer, String error, long millis) {
    }

    private int run() throws Exception {
        node = s.startNode("a", Map.of());
        String hungKey = s.newTenant(node, "hung");
        String otherKey = s.newTenant(node, "other");

        // The MCP server answers while it is registered, then hangs.
        Answer registered = s.call(node, "POST", "/api/v1/tools/mcp-servers", hungKey, "{\"name\":\"slow\",\"url\":\""
                + mcp.url() + "\",\"allowPrivate\":true,\"timeoutSeconds\":" + MCP_TIMEOUT_SECONDS
                + ",\"readOnlyTools\":[\"lookup\"]}", Duration.ofSeconds(60));
        Scenario.require(registered.status() == 201, "MCP server registered: " + registered.status() + " "
                + registered.body());
        String a2aAgent = createRemoteA2a(hungKey);
        String mcpAgent = s.newAgent(node, hungKey, "tooled", "steward-scripted", ",\"tools\":[\"slow__lookup\"]");
        String otherAgent = s.newAgent(node, otherKey, "plain", "steward-scripted", "");
        s.log("A2A agent's card at %s (never answers, timeout %d s); MCP server at %s (timeout %d s)", a2a.url(),
                A2A_TIMEOUT_SECONDS, mcp.url(), MCP_TIMEOUT_SECONDS);

        // Baseline: the other tenant alone.
        List<Turn> baseline = steadyTurns(otherKey, otherAgent, "hello", OTHER_CLIENTS, PHASE_SECONDS / 2, "other");
        // The hang: the MCP server stops answering; the hung tenant's turns pile onto both endpoints.
        mcp.hang();
        long registerStarted = System.nanoTime();
        Answer refused = s.call(node, "POST", "/api/v1/tools/mcp-servers", hungKey, "{\"name\":\"slow2\",\"url\":\""
                + mcp.url() + "\",\"allowPrivate\":true,\"timeoutSeconds\":" + MCP_TIMEOUT_SECONDS + "}",
                Duration.ofSeconds(60));
        double registerSeconds = Scenario.seconds(registerStarted);
        s.log("registering the hung MCP server: %d after %.1f s", refused.status(), registerSeconds);

        ExecutorService hungLoad = Executors.newCachedThreadPool();
        List<Turn> a2aTurns = new CopyOnWriteArrayList<>();
        List<Turn> mcpTurns = new CopyOnWriteArrayList<>();
        hungLoad.submit(() -> a2aTurns.addAll(steadyTurns(hungKey, a2aAgent, "hello there", HUNG_CLIENTS,
                PHASE_SECONDS, "a2a")));
        hungLoad.submit(() -> mcpTurns.addAll(steadyTurns(hungKey, mcpAgent, "call slow__lookup {}", HUNG_CLIENTS,
                PHASE_SECONDS, "mcp")));
        Scenario.sleep(2_000); // the hung calls are under way
        List<Turn> during = steadyTurns(otherKey, otherAgent, "hello", OTHER_CLIENTS, PHASE_SECONDS - 4, "other");
        hungLoad.shutdown();
        hungLoad.awaitTermination(3, TimeUnit.MINUTES);
        mcp.release();

        // The hung endpoints: every call given up within its timeout.
        List<Double> held = a2a.heldSeconds();
        double longestHold = held.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        s.check(!held.isEmpty(), "the A2A endpoint was called (" + held.size() + " connections, " + a2a.open()
                + " still open)");
        s.check(longestHold <= A2A_TIMEOUT_SECONDS + 2, String.format(Locale.ROOT, "every call to the hung A2A"
                + " agent was given up within its timeout: longest %.1f s (timeout %d s + 2 s slack)", longestHold,
                A2A_TIMEOUT_SECONDS));
        double a2aBound = TURN_ATTEMPTS * (A2A_TIMEOUT_SECONDS + 2) + BACKOFF_MOST_SECONDS + 5;
        long a2aFailed = a2aTurns.stream().filter(t -> t.state().equals("failed")).count();
        double a2aLongest = a2aTurns.stream().mapToLong(Turn::millis).max().orElse(0) / 1000.0;
        s.check(!a2aTurns.isEmpty() && a2aFailed == a2aTurns.size(), "every A2A turn failed rather than hung ("
                + a2aFailed + " of " + a2aTurns.size() + ")");
        a2aTurns.stream().findFirst().ifPresent(t -> s.log("  an A2A turn's error: %s", t.error()));
        s.check(a2aLongest <= a2aBound, String.format(Locale.ROOT, "each within %d attempts x (timeout %d s + 2 s) +"
                + " backoff %d s + 5 s = %.0f s: longest %.1f s", TURN_ATTEMPTS, A2A_TIMEOUT_SECONDS,
                BACKOFF_MOST_SECONDS, a2aBound, a2aLongest));
        long mcpReported = mcpTurns.stream().filter(t -> t.state().equals("done") && t.answer() != null
                && t.answer().contains("did not answer within " + MCP_TIMEOUT_SECONDS + " s")).count();
        double mcpLongest = mcpTurns.stream().mapToLong(Turn::millis).max().orElse(0) / 1000.0;
        s.check(!mcpTurns.isEmpty() && mcpReported == mcpTurns.size(), "every MCP tool turn completed, the timeout"
                + " reported to the model (" + mcpReported + " of " + mcpTurns.size() + ")");
        mcpTurns.stream().findFirst().ifPresent(t -> s.log("  an MCP turn's answer: %s", t.answer()));
        s.check(mcpLongest <= MCP_TIMEOUT_SECONDS + 5, String.format(Locale.ROOT, "each MCP tool turn within the"
                + " server's timeout %d s + 5 s: longest %.1f s", MCP_TIMEOUT_SECONDS, mcpLongest));
        s.check(refused.status() == 502 && registerSeconds <= MCP_TIMEOUT_SECONDS + 5, String.format(Locale.ROOT,
                "registering the hung MCP server is refused (%d) within its timeout + 5 s (%.1f s)", refused.status(),
                registerSeconds));

        // The other tenant.
        long otherNotDone = during.stream().filter(t -> !t.state().equals("done")).count()
                + baseline.stream().filter(t -> !t.state().equals("done")).count();
        s.check(otherNotDone == 0, "every turn of the other tenant completed (" + otherNotDone + " did not)");
        double baseP50 = Scenario.percentile(millis(baseline), 0.5);
        double baseP99 = Scenario.percentile(millis(baseline), 0.99);
        double duringP50 = Scenario.percentile(millis(during), 0.5);
        double duringP99 = Scenario.percentile(millis(during), 0.99);
        // Noisy, shared machine: a bound on the damage, not a tight ratio.
        double p50Bound = Math.max(3 * baseP50, baseP50 + 500);
        double p99Bound = Math.max(3 * baseP99, baseP99 + 2000);
        s.check(duringP50 <= p50Bound, String.format(Locale.ROOT, "the other tenant's p50 stayed near its baseline:"
                + " %.0f ms vs %.0f ms (bound %.0f)", duringP50, baseP50, p50Bound));
        s.check(duringP99 <= p99Bound, String.format(Locale.ROOT, "the other tenant's p99 stayed near its baseline:"
                + " %.0f ms vs %.0f ms (bound %.0f)", duringP99, baseP99, p99Bound));

        s.figure("other tenant, baseline", "%d turns, p50 %.0f ms, p99 %.0f ms", baseline.size(), baseP50, baseP99);
        s.figure("other tenant, during the hang", "%d turns, p50 %.0f ms, p99 %.0f ms", during.size(), duringP50,
                duringP99);
        s.figure("A2A turns (hung endpoint)", "%d, all failed: %s; longest %.1f s (bound %.0f s)", a2aTurns.size(),
                a2aFailed == a2aTurns.size(), a2aLongest, a2aBound);
        s.figure("A2A connections held", "%d, p50 %.1f s, max %.1f s (timeout %d s)", held.size(),
                Scenario.percentile(held, 0.5), longestHold, A2A_TIMEOUT_SECONDS);
        s.figure("MCP tool turns (hung server)", "%d, p50 %.1f s, max %.1f s (timeout %d s)", mcpTurns.size(),
                Scenario.percentile(millis(mcpTurns), 0.5) / 1000, mcpLongest, MCP_TIMEOUT_SECONDS);
        s.figure("MCP requests held by the hang", "%d", mcp.held());
        s.figure("registering a hung MCP server", "%d after %.1f s", refused.status(), registerSeconds);
        return s.verdict();
    }

    private static List<Long> millis(List<Turn> turns) {
        return turns.stream().map(Turn::millis).toList();
    }

    private String createRemoteA2a(String key) {
        Answer agent = s.call(node, "POST", "/api/v1/agents", key, "{\"name\":\"partner\",\"kind\":\"remote\","
                + "\"protocol\":\"a2a\",\"endpoint\":\"" + a2a.url() + "\",\"token\":\"t\",\"timeoutSeconds\":"
                + A2A_TIMEOUT_SECONDS + "}", Duration.ofSeconds(30));
        Scenario.require(agent.status() == 201, "A2A agent: " + agent.status() + " " + agent.body());
        return agent.json().getString("id");
    }

    /** {@code clients} sessions of {@code agent}, each sending a turn and waiting for its end, for {@code seconds}. */
    private List<Turn> steadyTurns(String key, String agent, String input, int clients, int seconds, String kind) {
        List<Turn> turns = new CopyOnWriteArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            String session = s.newSession(node, key, agent);
            pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    turns.add(turn(key, session, input, kind));
                }
            });
        }
        pool.shutdown();
        try {
            pool.awaitTermination(3, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new ArrayList<>(turns);
    }

    private Turn turn(String key, String session, String input, String kind) {
        long t0 = System.nanoTime();
        Answer posted = s.call(node, "POST", "/api/v1/sessions/" + session + "/turns", key,
                "{\"input\":\"" + input.replace("\"", "\\\"") + "\"}", Duration.ofSeconds(10));
        if (!posted.ok()) {
            Scenario.sleep(200);
            return new Turn(kind, "not accepted " + posted.status(), null, posted.body(), 0);
        }
        String turn = posted.json().getString("id");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            Answer seen = s.call(node, "GET", "/api/v1/sessions/" + session + "/turns/" + turn, key, null,
                    Duration.ofSeconds(10));
            if (seen.ok()) {
                String state = seen.json().getString("state");
                if (state.equals("done") || state.equals("failed")) {
                    return new Turn(kind, state, Scenario.text(seen.json(), "answer"),
                            Scenario.text(seen.json(), "error"), (System.nanoTime() - t0) / 1_000_000);
                }
            }
            Scenario.sleep(50);
        }
        return new Turn(kind, "unfinished", null, null, (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * A TCP endpoint that accepts every connection, reads what it is sent and never answers; it records how long
     * each connection was kept open by the caller.
     */
    static final class SilentEndpoint implements AutoCloseable {
        private final ServerSocket server;
        private final List<Double> held = new CopyOnWriteArrayList<>();
        private final AtomicInteger open = new AtomicInteger();
        private final ExecutorService threads = Executors.newCachedThreadPool();

        SilentEndpoint() throws IOException {
            server = new ServerSocket(FreePorts.pick(), 200, InetAddress.getLoopbackAddress());
            threads.submit(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        threads.submit(() -> hold(socket));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private void hold(Socket socket) {
            long t0 = System.nanoTime();
            open.incrementAndGet();
            try (socket; InputStream in = socket.getInputStream()) {
                byte[] buffer = new byte[4096];
                while (in.read(buffer) >= 0) {
                    // read and ignore: never a byte back
                }
            } catch (IOException e) {
                // the caller gave up
            } finally {
                open.decrementAndGet();
                held.add(Scenario.seconds(t0));
            }
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort() + "/.well-known/agent-card.json";
        }

        List<Double> heldSeconds() {
            return List.copyOf(held);
        }

        int open() {
            return open.get();
        }

        @Override
        public void close() throws IOException {
            server.close();
            threads.shutdownNow();
        }
    }

    /**
     * A real MCP server (the official SDK's Streamable HTTP transport in Jetty) with one read tool, {@code lookup};
     * once told to {@link #hang}, every request to it is accepted and held without an answer until the scenario
     * ends.
     */
    static final class HangingMcpServer implements AutoCloseable {
        private final Server jetty;
        private final McpSyncServer mcp;
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicInteger held = new AtomicInteger();
        private volatile boolean hanging;

        HangingMcpServer() throws Exception {
            McpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
            HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider
                    .builder().jsonMapper(json).mcpEndpoint("/mcp").build();
            mcp = McpServer.sync(transport).serverInfo("hanging", "1").jsonMapper(json)
                    .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                    .tools(SyncToolSpecification.builder().tool(McpSchema.Tool.builder("lookup", json,
                                    "{\"type\":\"object\"}").description("Looks something up").build())
                            .callHandler((exchange, call) -> McpSchema.CallToolResult.builder()
                                    .addTextContent("found it").isError(false).build()).build())
                    .build();
            jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
            ServletContextHandler context = new ServletContextHandler();
            ServletHolder servlet = new ServletHolder(transport);
            servlet.setAsyncSupported(true);
            context.addServlet(servlet, "/mcp");
            FilterHolder gate = new FilterHolder(new HttpFilter() {
                @Override
                protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                        throws IOException, ServletException {
                    if (hanging) {
                        held.incrementAndGet();
                        try {
                            released.await(3, TimeUnit.MINUTES);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return;
                    }
                    chain.doFilter(request, response);
                }
            });
            gate.setAsyncSupported(true);
            context.addFilter(gate, "/*", EnumSet.of(DispatcherType.REQUEST));
            jetty.setHandler(context);
            jetty.start();
        }

        String url() {
            return "http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort() + "/mcp";
        }

        void hang() {
            hanging = true;
        }

        void release() {
            released.countDown();
        }

        int held() {
            return held.get();
        }

        @Override
        public void close() throws Exception {
            released.countDown();
            mcp.close();
            jetty.stop();
        }
    }
}
