package dev.steward.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.steward.testing.Api;
import dev.steward.testing.StewardServer;
import dev.steward.testing.Tasks;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP tool against a real server on loopback: the tenant's allow-list decides, private addresses need the
 * entry's permission, redirects are checked hop by hop, answers are cut at a size and a time, headers cannot be
 * injected, sends wait for approval and carry the call's idempotency key, and one tenant's list is not another's.
 */
@ExtendWith(StewardServer.class)
class HttpToolIT {

    private static final String PREFIX_GET = "Tool http_get answered: ";
    private static HttpServer server;
    private static String base;

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/hello", exchange -> reply(exchange, 200, "text/plain", "hi"));
        server.createContext("/big", exchange -> reply(exchange, 200, "text/plain", "x".repeat(200_000)));
        server.createContext("/slow", exchange -> {
            Tasks.pause(5000);
            reply(exchange, 200, "text/plain", "late");
        });
        server.createContext("/inside", exchange -> redirect(exchange, "/hello"));
        server.createContext("/outside", exchange -> redirect(exchange, "http://localhost:"
                + server.getAddress().getPort() + "/hello"));
        server.createContext("/endless", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] chunk = "y".repeat(8192).getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < 1_000_000; i++) {
                    out.write(chunk);
                }
            } catch (IOException gone) {
                // the tool hung up, as it should
            }
        });
        server.createContext("/secret", exchange -> reply(exchange, 200, "text/plain", "secret="
                + exchange.getRequestHeaders().getFirst("X-Secret")));
        server.createContext("/elsewhere", exchange -> redirect(exchange, "http://localhost:"
                + server.getAddress().getPort() + "/secret"));
        server.createContext("/same", exchange -> redirect(exchange, "/secret"));
        server.createContext("/keep", exchange -> {
            exchange.getResponseHeaders().set("Location", "/echo");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        server.createContext("/echo", exchange -> reply(exchange, 200, "text/plain", exchange.getRequestMethod()
                + " " + exchange.getRequestHeaders().getFirst("Idempotency-Key") + " "
                + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    @Test
    void theTenantsAllowListDecidesAndIsItsOwn() {
        Api.TestTenant tenant = Api.newTenant("http-allowed");
        Api.TestTenant other = Api.newTenant("http-other");
        allow(tenant, "{\"host\":\"127.0.0.1:*\",\"allowPrivate\":true}");
        Api.as(tenant.key()).get("/api/v1/tools/http-hosts").then().statusCode(200)
                .body("hosts[0].host", equalTo("127.0.0.1:*")).body("hosts[0].allowPrivate", equalTo(true));
        assertThat(get(tenant, base + "/hello")).isEqualTo(PREFIX_GET + "{\"status\":200,\"contentType\":"
                + "\"text/plain\",\"body\":\"hi\",\"truncated\":false}");
        assertThat(get(tenant, base.replace("127.0.0.1", "localhost") + "/hello")).isEqualTo(PREFIX_GET
                + "The host localhost:" + server.getAddress().getPort() + " is not on the tenant's HTTP allow-list");
        assertThat(get(tenant, "file:///etc/passwd")).isEqualTo(PREFIX_GET + "url: must be an absolute http or"
                + " https URL");
        assertThat(get(tenant, "http://user:pw@127.0.0.1:1/")).isEqualTo(PREFIX_GET + "url: must not carry"
                + " credentials");

        Api.as(other.key()).get("/api/v1/tools/http-hosts").then().body("hosts.size()", equalTo(0));
        assertThat(get(other, base + "/hello")).isEqualTo(PREFIX_GET + "The host 127.0.0.1:"
                + server.getAddress().getPort() + " is not on the tenant's HTTP allow-list");
        Api.as(tenant.key()).get("/api/v1/audit?limit=100").then()
                .body("action", hasItem("tools.http-hosts.updated"));
    }

    @Test
    void privateAddressesNeedTheEntrysPermissionEvenByName() {
        Api.TestTenant tenant = Api.newTenant("http-private");
        allow(tenant, "{\"host\":\"127.0.0.1:*\"},{\"host\":\"localhost:*\"}");
        assertThat(get(tenant, base + "/hello")).isEqualTo(PREFIX_GET + "The host 127.0.0.1 resolves to a"
                + " loopback, private or link-local address, which its allow-list entry does not allow");
        assertThat(get(tenant, base.replace("127.0.0.1", "localhost") + "/hello")).isEqualTo(PREFIX_GET
                + "The host localhost resolves to a loopback, private or link-local address, which its allow-list"
                + " entry does not allow");
    }

    @Test
    void redirectsAreCheckedHopByHopAndAnswersCutBySizeAndTime() {
        Api.TestTenant tenant = Api.newTenant("http-limits");
        allow(tenant, "{\"host\":\"127.0.0.1:*\",\"allowPrivate\":true}");
        assertThat(get(tenant, base + "/inside")).contains("\"body\":\"hi\"");
        assertThat(get(tenant, base + "/outside")).isEqualTo(PREFIX_GET + "The host localhost:"
                + server.getAddress().getPort() + " is not on the tenant's HTTP allow-list");
        String endless = get(tenant, base + "/endless");
        assertThat(endless).startsWith(PREFIX_GET + "{\"status\":200").endsWith("\"truncated\":true}");
        String big = get(tenant, base + "/big");
        assertThat(big).endsWith("\"truncated\":true}");
        assertThat(big.length()).isLessThan(33_000);
        assertThat(get(tenant, base + "/slow")).isEqualTo(PREFIX_GET + "The call to 127.0.0.1 took longer than"
                + " 2 s");
        assertThat(ToolTurns.answer(tenant.key(), ToolTurns.session(tenant.key(), ToolTurns.agent(tenant, "hdr",
                "\"tools\":[\"http_get\"]")), "call http_get {\"url\": \"" + base + "/hello\", \"headers\":"
                + " {\"X-A\": \"a\\r\\nHost: evil\"}}")).isEqualTo(PREFIX_GET + "headers: the value of X-A holds"
                + " control characters or is too long");
    }

    @Test
    void aSendWaitsForApprovalUnlessGrantedAndCarriesItsCallKey() {
        Api.TestTenant tenant = Api.newTenant("http-send");
        allow(tenant, "{\"host\":\"127.0.0.1:*\",\"allowPrivate\":true}");
        String send = "call http_send {\"method\": \"POST\", \"url\": \"" + base + "/echo\", \"body\": \"{}\"}";
        String careful = ToolTurns.session(tenant.key(), ToolTurns.agent(tenant, "careful",
                "\"tools\":[\"http_send\"]"));
        ToolTurns.send(tenant.key(), careful, send);
        ToolTurns.awaitState(tenant.key(), careful, "awaiting_confirmation");

        String trusted = ToolTurns.session(tenant.key(), ToolTurns.agent(tenant, "trusted",
                "\"tools\":[\"http_send\"],\"autoApprove\":[\"http_send\"]"));
        String answer = ToolTurns.answer(tenant.key(), trusted, send);
        String turn = Api.as(tenant.key()).get("/api/v1/sessions/" + trusted).then().extract().path("turns[0].id");
        assertThat(answer).startsWith("Tool http_send answered: {\"status\":200").contains("POST " + turn + ":");
    }

    @Test
    void theModelsHeadersStayWithTheirOriginAndA307KeepsItsBody() {
        Api.TestTenant tenant = Api.newTenant("http-redirects");
        allow(tenant, "{\"host\":\"127.0.0.1:*\",\"allowPrivate\":true},{\"host\":\"localhost:*\","
                + "\"allowPrivate\":true}");
        String agent = ToolTurns.agent(tenant, "mover", "\"tools\":[\"http_get\",\"http_send\"],"
                + "\"autoApprove\":[\"http_send\"]");
        String headers = ", \"headers\": {\"X-Secret\": \"s3\"}}";
        assertThat(ToolTurns.answer(tenant.key(), ToolTurns.session(tenant.key(), agent), "call http_get {\"url\": \""
                + base + "/same\"" + headers)).contains("secret=s3");
        assertThat(ToolTurns.answer(tenant.key(), ToolTurns.session(tenant.key(), agent), "call http_get {\"url\": \""
                + base + "/elsewhere\"" + headers)).contains("secret=null");
        String session = ToolTurns.session(tenant.key(), agent);
        assertThat(ToolTurns.answer(tenant.key(), session, "call http_send {\"method\": \"POST\", \"url\": \""
                + base + "/keep\", \"body\": \"kept\"}")).contains("POST ").contains(" kept");
        assertThat(ToolTurns.answer(tenant.key(), ToolTurns.session(tenant.key(), agent), "call http_send {\"method\":"
                + " \"POST\", \"url\": \"" + base + "/echo\", \"contentType\": \"text/plain; charset=klingon\"}"))
                .isEqualTo("Tool http_send answered: contentType: must be a media type such as application/json;"
                        + " charset=utf-8");
    }

    @Test
    void aBadAllowListIsRefusedNamingTheEntry() {
        Api.TestTenant tenant = Api.newTenant("http-bad");
        Api.as(tenant.key()).body("{\"hosts\":[{\"host\":\"ok.example\"},{\"host\":\"bad host/\"}]}")
                .put("/api/v1/tools/http-hosts").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("hosts[1].host"));
        Api.as(tenant.key()).get("/api/v1/tools/http-hosts").then().body("hosts.size()", equalTo(0));
    }

    private static void allow(Api.TestTenant tenant, String entries) {
        Api.as(tenant.key()).body("{\"hosts\":[" + entries + "]}").put("/api/v1/tools/http-hosts").then()
                .statusCode(200);
    }

    private static String get(Api.TestTenant tenant, String url) {
        String agent = Api.as(tenant.key()).get("/api/v1/agents").then().extract()
                .path("find { it.name == 'reader' }.id");
        if (agent == null) {
            agent = ToolTurns.agent(tenant, "reader", "\"tools\":[\"http_get\"]");
        }
        return ToolTurns.answer(tenant.key(), ToolTurns.session(tenant.key(), agent),
                "call http_get {\"url\": \"" + url + "\"}");
    }

    private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }
}
