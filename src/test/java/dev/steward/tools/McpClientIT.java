package dev.steward.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.steward.testing.Api;
import dev.steward.testing.StewardServer;
import io.restassured.response.Response;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The MCP client against a real remote MCP server on loopback ({@link RemoteMcpServer}): a registered server's tools
 * join the tenant's catalog as {@code <server>__<tool>}, agents call them within their grants (writes wait for
 * approval unless auto-approved), errors and oversized answers come back as such, a hung server costs its timeout
 * and no more, one tenant's servers and credentials never reach another, and bad registrations name their field.
 */
@ExtendWith(StewardServer.class)
class McpClientIT {

    private static RemoteMcpServer remote;

    @BeforeAll
    static void startRemote() throws Exception {
        remote = new RemoteMcpServer();
    }

    @AfterAll
    static void stopRemote() throws Exception {
        remote.close();
    }

    @Test
    void aServersToolsJoinTheCatalogAndGrantedAgentsCallThem() {
        Api.TestTenant tenant = Api.newTenant("mcp-catalog");
        String created = register(tenant, "weather", "\"bearerToken\":\"catalog-secret\",\"timeoutSeconds\":5,"
                + "\"readOnlyTools\":[\"getForecast\"]").then().statusCode(201)
                .header("Location", startsWith("http")).body("name", equalTo("weather"))
                .body("headers", equalTo(List.of("Authorization"))).body("timeoutSeconds", equalTo(5))
                .body("tools.name", hasItems("weather__echo", "weather__get_forecast", "weather__hang"))
                .body("tools.find { it.name == 'weather__get_forecast' }.remoteName", equalTo("getForecast"))
                .extract().asString();
        assertThat(created).doesNotContain("catalog-secret");

        Api.as(tenant.key()).get("/api/v1/tools").then().statusCode(200)
                .body("name", hasItems("current_time", "weather__echo", "weather__get_forecast"));
        Api.as(tenant.key()).get("/api/v1/tools/weather__get_forecast").then().statusCode(200)
                .body("sideEffect", equalTo("read")).body("requiresApproval", equalTo(false))
                .body("source", equalTo("mcp:weather")).body("timeoutSeconds", equalTo(5))
                .body("parameters.required[0]", equalTo("city")).body("description", equalTo("The weather in a city"));
        Api.as(tenant.key()).get("/api/v1/tools/weather__echo").then().body("sideEffect", equalTo("write"))
                .body("requiresApproval", equalTo(true));

        String reader = ToolTurns.agent(tenant, "forecaster", "\"tools\":[\"weather__get_forecast\"]");
        assertThat(ToolTurns.answer(tenant.key(), ToolTurns.session(tenant.key(), reader),
                "call weather__get_forecast {\"city\": \"Oslo\"}"))
                .isEqualTo("Tool weather__get_forecast answered: sunny in Oslo");

        String careful = ToolTurns.session(tenant.key(), ToolTurns.agent(tenant, "careful",
                "\"tools\":[\"weather__echo\"]"));
        ToolTurns.send(tenant.key(), careful, "call weather__echo {\"text\": \"hi\"}");
        ToolTurns.awaitState(tenant.key(), careful, "awaiting_confirmation");

        String trusted = ToolTurns.session(tenant.key(), ToolTurns.agent(tenant, "trusted",
                "\"tools\":[\"weather__echo\"],\"autoApprove\":[\"weather__echo\"]"));
        String turn = ToolTurns.answer(tenant.key(), trusted, "call weather__echo {\"text\": \"hi\"}");
        String turnId = Api.as(tenant.key()).get("/api/v1/sessions/" + trusted).then().extract().path("turns[0].id");
        assertThat(turn).isEqualTo("Tool weather__echo answered: echo: hi (key " + turnId + ":c1-1)");
        assertThat(remote.authorizations()).contains("Bearer catalog-secret");
        Api.as(tenant.key()).get("/api/v1/audit?limit=100").then()
                .body("action", hasItems("tools.mcp-server.registered", "tool.called"));
    }

    @Test
    void anUngrantedRemoteToolIsNeverOfferedOrCalled() {
        Api.TestTenant tenant = Api.newTenant("mcp-grants");
        register(tenant, "crm", "").then().statusCode(201);
        int callsBefore = remote.calls().size();
        String agent = ToolTurns.agent(tenant, "clock", "\"tools\":[\"current_time\"]");
        assertThat(ToolTurns.answer(tenant.key(), ToolTurns.session(tenant.key(), agent),
                "call crm__echo {\"text\": \"sneak\"}")).isEqualTo("You said: call crm__echo {\"text\": \"sneak\"}");
        assertThat(remote.calls()).hasSize(callsBefore);
    }

    @Test
    void errorsComeBackAsFailuresAndLongAnswersAreCut() {
        Api.TestTenant tenant = Api.newTenant("mcp-errors");
        register(tenant, "flaky", "\"readOnlyTools\":[\"fail\",\"big\"]").then().statusCode(201);
        String agent = ToolTurns.agent(tenant, "tester", "\"tools\":[\"flaky__fail\",\"flaky__big\"]");
        assertThat(ToolTurns.answer(tenant.key(), ToolTurns.session(tenant.key(), agent), "call flaky__fail {}"))
                .isEqualTo("Tool flaky__fail answered: the remote tool failed on purpose");
        Api.as(tenant.key()).get("/api/v1/audit?limit=100").then().body("action", hasItem("tool.failed"));
        String big = ToolTurns.answer(tenant.key(), ToolTurns.session(tenant.key(), agent), "call flaky__big {}");
        assertThat(big).endsWith(" [truncated: 68000 more characters]");
        assertThat(big.length()).isLessThan(32_100);
    }

    @Test
    void aHungServerCostsItsTimeoutAndTheTurnCarriesOn() {
        Api.TestTenant tenant = Api.newTenant("mcp-hung");
        register(tenant, "slow", "\"timeoutSeconds\":2,\"readOnlyTools\":[\"hang\"]").then().statusCode(201);
        String session = ToolTurns.session(tenant.key(), ToolTurns.agent(tenant, "patient",
                "\"tools\":[\"slow__hang\"]"));
        Instant started = Instant.now();
        assertThat(ToolTurns.answer(tenant.key(), session, "call slow__hang {}"))
                .isEqualTo("Tool slow__hang answered: The MCP server slow did not answer within 2 s");
        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void oneTenantsServersAndCredentialsNeverReachAnother() {
        Api.TestTenant a = Api.newTenant("mcp-a");
        Api.TestTenant b = Api.newTenant("mcp-b");
        register(a, "shared", "\"bearerToken\":\"secret-of-a\",\"readOnlyTools\":[\"echo\"]").then().statusCode(201);

        Api.as(b.key()).get("/api/v1/tools/mcp-servers").then().statusCode(200).body("size()", equalTo(0));
        Api.as(b.key()).get("/api/v1/tools/mcp-servers/shared").then().statusCode(404)
                .contentType("application/problem+json");
        Api.as(b.key()).post("/api/v1/tools/mcp-servers/shared/refresh").then().statusCode(404);
        Api.as(b.key()).delete("/api/v1/tools/mcp-servers/shared").then().statusCode(404);
        Api.as(b.key()).get("/api/v1/tools").then().body("name", not(hasItem("shared__echo")));
        Api.as(b.key()).get("/api/v1/tools/shared__echo").then().statusCode(404);
        int seen = remote.authorizations().size();
        String bAgent = ToolTurns.agent(b, "borrower", "\"tools\":[\"shared__echo\"]");
        assertThat(ToolTurns.answer(b.key(), ToolTurns.session(b.key(), bAgent), "call shared__echo {\"text\":"
                + " \"x\"}")).startsWith("You said: ");
        assertThat(remote.authorizations()).hasSize(seen);

        // B may use the same name for its own server, with its own credentials; each tenant's calls carry its own.
        register(b, "shared", "\"bearerToken\":\"secret-of-b\",\"readOnlyTools\":[\"echo\"]").then().statusCode(201);
        seen = remote.authorizations().size();
        assertThat(ToolTurns.answer(b.key(), ToolTurns.session(b.key(), bAgent), "call shared__echo {\"text\":"
                + " \"from b\"}")).startsWith("Tool shared__echo answered: echo: from b");
        assertThat(remote.authorizations().subList(seen, remote.authorizations().size()))
                .isNotEmpty().containsOnly("Bearer secret-of-b");
        seen = remote.authorizations().size();
        String aAgent = ToolTurns.agent(a, "owner", "\"tools\":[\"shared__echo\"]");
        assertThat(ToolTurns.answer(a.key(), ToolTurns.session(a.key(), aAgent), "call shared__echo {\"text\":"
                + " \"from a\"}")).startsWith("Tool shared__echo answered: echo: from a");
        assertThat(remote.authorizations().subList(seen, remote.authorizations().size()))
                .isNotEmpty().containsOnly("Bearer secret-of-a");

        Api.as(b.key()).delete("/api/v1/tools/mcp-servers/shared").then().statusCode(204);
        Api.as(a.key()).get("/api/v1/tools/shared__echo").then().statusCode(200);
        Api.as(b.key()).get("/api/v1/tools/shared__echo").then().statusCode(404);
    }

    @Test
    void refreshListsAgainAndRemovalTakesTheToolsAway() {
        Api.TestTenant tenant = Api.newTenant("mcp-refresh");
        register(tenant, "tidy", "").then().statusCode(201);
        Api.as(tenant.key()).post("/api/v1/tools/mcp-servers/tidy/refresh").then().statusCode(200)
                .body("tools.name", hasItem("tidy__echo"));
        Api.as(tenant.key()).get("/api/v1/tools/mcp-servers").then().body("name", equalTo(List.of("tidy")));
        Api.as(tenant.key()).delete("/api/v1/tools/mcp-servers/tidy").then().statusCode(204);
        Api.as(tenant.key()).get("/api/v1/tools/tidy__echo").then().statusCode(404);
        Api.as(tenant.key()).get("/api/v1/tools/mcp-servers/tidy").then().statusCode(404)
                .body("detail", equalTo("No MCP server named tidy"));
        Api.as(tenant.key()).get("/api/v1/audit?limit=100").then().body("action",
                hasItems("tools.mcp-server.registered", "tools.mcp-server.refreshed", "tools.mcp-server.removed"));
    }

    @Test
    void badRegistrationsAreRefusedNamingTheField() throws Exception {
        Api.TestTenant tenant = Api.newTenant("mcp-bad");
        String url = remote.url();
        refused(tenant, "{\"name\":\"x\",\"url\":\"ftp://example.com/mcp\"}", "url");
        refused(tenant, "{\"name\":\"x\",\"url\":\"" + url + "\"}", "url"); // loopback over http needs allowPrivate
        refused(tenant, "{\"name\":\"x\",\"url\":\"https://localhost:1/mcp\"}", "url"); // resolves to loopback
        refused(tenant, "{\"name\":\"Bad_Name\",\"url\":\"" + url + "\",\"allowPrivate\":true}", "name");
        refused(tenant, "{\"name\":\"x\",\"url\":\"" + url + "\",\"allowPrivate\":true,\"timeoutSeconds\":0}",
                "timeoutSeconds");
        refused(tenant, "{\"name\":\"x\",\"url\":\"" + url + "\",\"allowPrivate\":true,\"headers\":{\"Host\":"
                + "\"evil\"}}", "headers.Host");
        refused(tenant, "{\"name\":\"x\",\"url\":\"" + url + "\",\"allowPrivate\":true,\"color\":\"red\"}",
                "color");
        Api.as(tenant.key()).body("{\"name\": ").post("/api/v1/tools/mcp-servers").then().statusCode(400)
                .contentType("application/problem+json");

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Api.as(tenant.key()).body("{\"name\":\"gone\",\"url\":\"http://127.0.0.1:" + closed + "/mcp\","
                + "\"allowPrivate\":true,\"timeoutSeconds\":2}").post("/api/v1/tools/mcp-servers").then()
                .statusCode(502).contentType("application/problem+json")
                .body("detail", startsWith("Could not list the MCP server's tools: The MCP server gone"));

        register(tenant, "twice", "").then().statusCode(201);
        register(tenant, "twice", "").then().statusCode(409).contentType("application/problem+json");
        String readOnly = Api.issueKey(tenant.id(), "[\"tools:read\"]");
        Api.as(readOnly).body("{\"name\":\"y\",\"url\":\"" + url + "\",\"allowPrivate\":true}")
                .post("/api/v1/tools/mcp-servers").then().statusCode(403);
        Api.as(tenant.key()).get("/api/v1/tools/mcp-servers").then().body("name", equalTo(List.of("twice")));
    }

    private static Response register(Api.TestTenant tenant, String name, String more) {
        return Api.as(tenant.key()).body("{\"name\":\"" + name + "\",\"url\":\"" + remote.url()
                + "\",\"allowPrivate\":true" + (more.isEmpty() ? "" : "," + more) + "}")
                .post("/api/v1/tools/mcp-servers");
    }

    private static void refused(Api.TestTenant tenant, String body, String field) {
        Api.as(tenant.key()).body(body).post("/api/v1/tools/mcp-servers").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem(field));
    }
}
