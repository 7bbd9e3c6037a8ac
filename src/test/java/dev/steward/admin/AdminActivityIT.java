package dev.steward.admin;

import static dev.steward.admin.AdminBrowser.PASSWORD;
import static dev.steward.admin.AdminBrowser.newAccount;
import static dev.steward.admin.AdminBrowser.token;
import static dev.steward.admin.AdminBrowser.web;
import static dev.steward.orchestration.RunsApi.awaitRun;
import static dev.steward.orchestration.RunsApi.node;
import static dev.steward.orchestration.RunsApi.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.steward.testing.Api;
import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.StewardServer;
import dev.steward.testing.Tasks;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The activity pages in a real browser and over plain HTTP: a session's transcript, timeline and cost; a workflow
 * run's graph with its nodes' states; the audit trail searched and its chain verified (and found broken where an
 * entry was changed); lists a page at a time; a tenant admin never seeing another tenant's activity, the operator
 * choosing the tenant; an analyst with nothing to press. Screenshots land in target/screenshots.
 */
@ExtendWith(StewardServer.class)
class AdminActivityIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A workflow whose run stops with a node of each kind of state: done, awaiting approval, skipped, pending. */
    private static final String BRANCHY = "{\"name\":\"branchy\",\"nodes\":["
            + "{\"id\":\"big\",\"kind\":\"condition\",\"condition\":{\"path\":\"trigger.data.amount\",\"op\":\"gte\","
            + "\"value\":1000}},{\"id\":\"pause\",\"kind\":\"wait\",\"seconds\":1},"
            + "{\"id\":\"review\",\"kind\":\"approval\",\"label\":\"a person looks\"},"
            + "{\"id\":\"note\",\"kind\":\"tool\",\"tool\":\"current_time\"}],\"edges\":["
            + "{\"from\":\"big\",\"to\":\"review\",\"when\":{\"path\":\"outputs.big.result\",\"op\":\"eq\",\"value\":true}},"
            + "{\"from\":\"big\",\"to\":\"pause\",\"when\":{\"path\":\"outputs.big.result\",\"op\":\"eq\",\"value\":false}},"
            + "{\"from\":\"pause\",\"to\":\"note\"},{\"from\":\"review\",\"to\":\"note\"}]}";

    @RegisterExtension
    static final AdminBrowser browser = new AdminBrowser();

    @Test
    void aSessionShowsItsExactTranscriptTimelineAndCost() throws Exception {
        Api.TestTenant tenant = Api.newTenant("act-session");
        String agent = agent(tenant, "helper");
        String session = startSession(tenant, agent);
        send(tenant, session, "hello from the admin test");
        awaitTurns(tenant, session, 1);
        send(tenant, session, "what was my first message?");
        JsonPath view = awaitTurns(tenant, session, 2);
        // The built-in model costs nothing: a priced call billed to the session as well, so the cost means something.
        try (Connection owner = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             Statement sql = owner.createStatement()) {
            sql.execute("INSERT INTO billing.usage_events (tenant_id, model, provider, agent_id, agent_version,"
                    + " session_id, input_tokens, output_tokens, cached_tokens, latency_ms, cost, outcome) VALUES ('"
                    + tenant.id() + "', 'priced', 'fake', '" + agent + "', 1, '" + session + "', 1000, 400, 300, 5,"
                    + " 0.01234500, 'ok')");
        }
        JsonPath usage = Api.as(tenant.key()).get("/api/v1/usage?session=" + session).then().statusCode(200)
                .body("totals.calls", equalTo(3)).extract().jsonPath();
        long events = view.getLong("lastEventId");

        browser.signIn(newAccount("tenant-admin", tenant.id()), PASSWORD);
        browser.open("/admin/sessions");
        browser.waitFor(By.id("sessions"));
        WebElement row = browser.driver.findElement(By.cssSelector("tr[data-session='" + session + "']"));
        assertThat(row.findElement(By.cssSelector(".agent")).getText()).isEqualTo("helper v1");
        assertThat(row.findElement(By.cssSelector(".state")).getText()).isEqualTo("active");
        assertThat(row.findElement(By.cssSelector(".turns")).getText()).isEqualTo("2");
        assertThat(new BigDecimal(row.findElement(By.cssSelector(".cost")).getText()))
                .isEqualByComparingTo(new BigDecimal(view.getString("usage.cost"))); // the session's own totals
        browser.screenshot("admin-sessions");

        row.findElement(By.tagName("a")).click();
        browser.waitFor(By.id("transcript"));
        assertThat(text("li[data-turn='1'] .input pre")).isEqualTo("hello from the admin test");
        assertThat(text("li[data-turn='1'] .answer pre")).isEqualTo("You said: hello from the admin test");
        assertThat(text("li[data-turn='1'] .answer pre")).isEqualTo(view.getString("turns[0].answer"));
        assertThat(text("li[data-turn='2'] .input pre")).isEqualTo("what was my first message?");
        assertThat(text("li[data-turn='2'] .answer pre")).isEqualTo(view.getString("turns[1].answer"));
        List<String> moments = texts("#timeline .what");
        assertThat(moments.get(0)).isEqualTo("started");
        assertThat(moments.subList(1, 6)).containsExactly("received", "planning", "calling_model", "responding",
                "done");
        assertThat(moments).hasSize(11);
        // The cost is the billed usage of this session, to the token and the last digit.
        assertThat(text("#cost tfoot .calls")).isEqualTo(usage.getString("totals.calls"));
        assertThat(text("#cost tfoot .input-tokens")).isEqualTo(usage.getString("totals.inputTokens"));
        assertThat(text("#cost tfoot .output-tokens")).isEqualTo(usage.getString("totals.outputTokens"));
        assertThat(new BigDecimal(text("#cost tfoot .amount")))
                .isEqualByComparingTo(new BigDecimal(usage.getString("totals.cost")));
        assertThat(new BigDecimal(text("#cost tfoot .amount"))).isEqualByComparingTo("0.012345");
        assertThat(text("#cost tfoot .cached-tokens")).isEqualTo("300");
        assertThat(texts("#cost tbody tr td:first-child")).containsExactly("priced", "steward-scripted");
        assertThat(text("#cost tr[data-model='priced'] td:last-child")).isEqualTo("0.01234500");
        assertThat(browser.driver.findElements(By.cssSelector("#events tbody tr")))
                .hasSize((int) Math.min(events, 50));
        assertThat(text("#events tr[data-event='1'] .type")).isEqualTo("session.started");
        browser.screenshot("admin-session");
    }

    @Test
    void aRunsGraphHasABoxPerNodeColouredByItsStateWithTimings() throws IOException {
        Api.TestTenant tenant = Api.newTenant("act-run");
        post(tenant, "/api/v1/workflows", BRANCHY);
        String run = post(tenant, "/api/v1/runs", "{\"workflow\":\"branchy\",\"input\":{\"amount\":5000}}");
        awaitRun(tenant, run, r -> "waiting".equals(node(r, "review", "state"))
                && "skipped".equals(node(r, "pause", "state")));

        browser.signIn(newAccount("tenant-admin", tenant.id()), PASSWORD);
        browser.open("/admin/runs");
        browser.waitFor(By.id("runs"));
        WebElement row = browser.driver.findElement(By.cssSelector("tr[data-run='" + run + "']"));
        assertThat(row.findElement(By.cssSelector(".workflow")).getText()).isEqualTo("branchy v1");
        assertThat(row.findElement(By.cssSelector(".state")).getText()).isEqualTo("running");
        browser.screenshot("admin-runs");
        browser.open("/admin/runs?workflow=branchy&state=succeeded");
        browser.waitFor(By.id("none"));
        browser.open("/admin/runs?workflow=branchy&state=running");
        browser.waitFor(By.id("runs"));
        row = browser.driver.findElement(By.cssSelector("tr[data-run='" + run + "']"));

        row.findElement(By.tagName("a")).click();
        browser.waitFor(By.id("dag"));
        assertThat(browser.driver.findElements(By.cssSelector("#dag g.node"))).hasSize(4);
        assertThat(nodeClass("big")).contains("state-succeeded");
        assertThat(nodeClass("review")).contains("state-awaiting-approval");
        assertThat(nodeClass("pause")).contains("state-skipped");
        assertThat(nodeClass("note")).contains("state-pending");
        assertThat(browser.driver.findElements(By.cssSelector("#dag line.edge"))).hasSize(4);
        assertThat(browser.driver.findElements(By.cssSelector("#dag line.edge.conditional"))).hasSize(2);
        assertThat(text("#nodes tr[data-node='big'] .started")).isNotEmpty();
        assertThat(text("#nodes tr[data-node='big'] .finished")).isNotEmpty();
        assertThat(text("#nodes tr[data-node='big'] .duration")).isNotEmpty();
        assertThat(text("#nodes tr[data-node='review'] .state")).isEqualTo("awaiting approval");
        assertThat(texts("#run-approvals .state")).containsExactly("pending");
        browser.screenshot("admin-run-dag");

        // Approved, the run goes on to its end and the graph says so.
        String approval = Api.as(tenant.key()).get("/api/v1/approvals?status=pending").then().extract()
                .path("[0].id");
        Api.as(tenant.key()).body("{\"approve\":true}").post("/api/v1/approvals/" + approval).then()
                .statusCode(200);
        JsonPath done = awaitRun(tenant, run, r -> "succeeded".equals(r.getString("state")));
        browser.driver.navigate().refresh();
        browser.waitFor(By.id("dag"));
        assertThat(nodeClass("review")).contains("state-succeeded");
        assertThat(nodeClass("note")).contains("state-succeeded");
        assertThat(text("#run-summary .state")).isEqualTo("succeeded");
        assertThat(done.getList("nodes.id")).hasSize(4);
        assertThat(texts("#run-approvals .state")).containsExactly("approved");
    }

    @Test
    void theAuditTrailIsSearchedAndItsChainVerifiesAndTheVerifyingIsAudited() throws IOException {
        Api.TestTenant tenant = Api.newTenant("act-audit");
        agent(tenant, "audited");
        String boss = newAccount("tenant-admin", tenant.id());
        browser.signIn(boss, PASSWORD);
        browser.open("/admin/audit");
        browser.waitFor(By.cssSelector("#chain.valid"));
        long entries = Api.as(tenant.key()).get("/api/v1/audit/verify").then().statusCode(200)
                .body("valid", equalTo(true)).extract().jsonPath().getLong("entries");
        assertThat(text("#chain-result .checked")).isEqualTo(String.valueOf(entries));

        browser.driver.findElement(By.id("verify")).click();
        browser.waitFor(By.cssSelector(".notice"));
        assertThat(text(".notice")).isEqualTo("Verifying the chain again.");
        browser.waitFor(By.cssSelector("#chain.valid"));
        assertThat(text("#chain-result .checked")).isEqualTo(String.valueOf(entries + 1)); // its own entry too

        browser.open("/admin/audit?action=admin.audit.verify");
        browser.waitFor(By.id("entries"));
        assertThat(texts("#entries .action")).containsExactly("admin.audit.verify");
        assertThat(texts("#entries .actor")).containsExactly("admin:" + boss);
        browser.open("/admin/audit?action=agent.created");
        browser.waitFor(By.id("entries"));
        assertThat(texts("#entries .action")).containsExactly("agent.created");
        browser.open("/admin/audit?actor=" + "admin:" + boss + "&action=agent.created");
        browser.waitFor(By.id("none"));
        browser.open("/admin/audit?from=not-a-date");
        browser.waitFor(By.cssSelector(".filter-error"));
        browser.open("/admin/audit");
        browser.waitFor(By.id("entries"));
        browser.screenshot("admin-audit");
        Api.as(tenant.key()).get("/api/v1/audit?action=admin.audit.verify").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].actor", equalTo("admin:" + boss));
    }

    @Test
    void longListsComeAPageAtATimeAndAChangedEntryBreaksTheChainWhereItIs() throws Exception {
        Api.TestTenant tenant = Api.newTenant("act-paging");
        String agent = agent(tenant, "busy");
        for (int i = 0; i < 55; i++) {
            startSession(tenant, agent);
        }
        browser.signIn(newAccount("tenant-admin", tenant.id()), PASSWORD);
        browser.open("/admin/sessions?state=active");
        browser.waitFor(By.id("sessions"));
        assertThat(browser.driver.findElements(By.cssSelector("#sessions tbody tr"))).hasSize(50);
        assertThat(browser.driver.findElements(By.id("previous-page"))).isEmpty();
        browser.driver.findElement(By.id("next-page")).click();
        browser.waitFor(By.id("previous-page"));
        assertThat(browser.driver.getCurrentUrl()).contains("state=active").contains("page=2");
        assertThat(browser.driver.findElements(By.cssSelector("#sessions tbody tr"))).hasSize(5);
        assertThat(browser.driver.findElements(By.id("next-page"))).isEmpty();
        browser.open("/admin/sessions?state=ended");
        browser.waitFor(By.id("none"));
        browser.open("/admin/sessions?agent=nobody");
        browser.waitFor(By.id("none"));
        String tomorrow = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
        browser.open("/admin/sessions?agent=busy&from=" + tomorrow);
        browser.waitFor(By.id("none"));
        browser.open("/admin/sessions?agent=busy&to=" + tomorrow + "&state=bogus");
        browser.waitFor(By.id("sessions"));
        assertThat(texts(".filter-error")).singleElement().asString().startsWith("state: not one of");
        assertThat(browser.driver.findElements(By.cssSelector("#sessions tbody tr"))).hasSize(50);

        // The agent's creation and the 55 sessions' starts: more than a page, and more than two stretches of 25.
        long entries = Api.as(tenant.key()).get("/api/v1/audit/verify").then().body("valid", equalTo(true))
                .extract().jsonPath().getLong("entries");
        assertThat(entries).isGreaterThanOrEqualTo(56);
        browser.open("/admin/audit");
        browser.waitFor(By.cssSelector("#chain.valid"));
        assertThat(text("#chain-result .checked")).isEqualTo(String.valueOf(entries));
        assertThat(browser.driver.findElements(By.cssSelector("#entries tbody tr"))).hasSize(50);
        assertThat(text("#entries tbody tr:first-child td")).isEqualTo(String.valueOf(entries));
        browser.driver.findElement(By.id("next-page")).click();
        browser.waitFor(By.id("previous-page"));
        List<String> rest = texts("#entries tbody tr td:first-child");
        assertThat(rest).hasSize((int) entries - 50).endsWith("2", "1");

        try (Connection owner = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             Statement sql = owner.createStatement()) {
            sql.execute("UPDATE audit.entries SET details = '{\"forged\":true}' WHERE tenant_id = '" + tenant.id()
                    + "' AND seq = 40");
        }
        browser.open("/admin/audit");
        browser.waitFor(By.id("verify"));
        browser.driver.findElement(By.id("verify")).click();
        browser.waitFor(By.cssSelector("#chain.broken"));
        assertThat(text("#chain-result .broken-at")).isEqualTo("40");
        assertThat(text("#chain-result .problem")).isEqualTo("content");
        Api.as(tenant.key()).get("/api/v1/audit/verify").then().body("valid", equalTo(false))
                .body("brokenAt", equalTo(40)).body("problem", equalTo("content"));
    }

    @Test
    void aTenantAdminNeverSeesAnotherTenantsActivityAndTheOperatorChoosesTheTenant() {
        Api.TestTenant own = Api.newTenant("act-own");
        Api.TestTenant other = Api.newTenant("act-other");
        String ownSession = startSession(own, agent(own, "mine"));
        String otherSession = startSession(other, agent(other, "theirs"));
        post(own, "/api/v1/workflows", BRANCHY);
        post(other, "/api/v1/workflows", BRANCHY);
        String ownRun = post(own, "/api/v1/runs", "{\"workflow\":\"branchy\",\"input\":{\"amount\":1}}");
        String otherRun = post(other, "/api/v1/runs", "{\"workflow\":\"branchy\",\"input\":{\"amount\":1}}");

        Map<String, String> admin = signedIn(newAccount("tenant-admin", own.id()));
        assertThat(page(admin, "/admin/sessions")).contains(ownSession).doesNotContain(otherSession);
        assertThat(page(admin, "/admin/sessions?tenant=" + other.id())).contains(ownSession)
                .doesNotContain(otherSession);
        assertThat(page(admin, "/admin/runs")).contains(ownRun).doesNotContain(otherRun);
        assertThat(page(admin, "/admin/audit")).contains(ownSession).doesNotContain(otherSession);
        web().cookies(admin).get("/admin/sessions/" + ownSession).then().statusCode(200);
        web().cookies(admin).get("/admin/runs/" + ownRun).then().statusCode(200);
        for (String foreign : List.of("/admin/sessions/" + otherSession, "/admin/runs/" + otherRun,
                "/admin/sessions/" + otherSession + "?tenant=" + other.id(),
                "/admin/runs/" + otherRun + "?tenant=" + other.id(), "/admin/sessions/not-an-id",
                "/admin/runs/" + ownSession)) {
            web().cookies(admin).redirects().follow(false).get(foreign).then().statusCode(404);
        }

        Map<String, String> operator = signedIn(StewardServer.rig().adminEmail(),
                StewardServer.rig().adminPassword());
        assertThat(page(operator, "/admin/sessions")).contains("id=\"tenant-choice\"").contains(other.slug());
        assertThat(page(operator, "/admin/sessions?tenant=" + other.id())).contains(otherSession)
                .doesNotContain(ownSession);
        assertThat(page(operator, "/admin/runs?tenant=" + other.id())).contains(otherRun).doesNotContain(ownRun);
        web().cookies(operator).get("/admin/sessions/" + otherSession + "?tenant=" + other.id()).then()
                .statusCode(200);
        web().cookies(operator).get("/admin/runs/" + otherRun + "?tenant=" + other.id()).then().statusCode(200);
        web().cookies(operator).get("/admin/sessions/" + otherSession + "?tenant=" + own.id()).then()
                .statusCode(404);
        web().cookies(operator).get("/admin/runs/" + otherRun + "?tenant=" + own.id()).then().statusCode(404);
    }

    @Test
    void anAnalystLooksAtEveryActivityPageWithNothingToPressAndCannotVerify() {
        Api.TestTenant tenant = Api.newTenant("act-analyst");
        String session = startSession(tenant, agent(tenant, "watched"));
        post(tenant, "/api/v1/workflows", BRANCHY);
        String run = post(tenant, "/api/v1/runs", "{\"workflow\":\"branchy\",\"input\":{\"amount\":1}}");
        Map<String, String> analyst = signedIn(newAccount("analyst", tenant.id()));
        for (String path : List.of("/admin/sessions", "/admin/sessions/" + session, "/admin/runs",
                "/admin/runs/" + run, "/admin/audit")) {
            String html = page(analyst, path);
            assertThat(main(html)).as(path).doesNotContain("method=\"post\"").doesNotContain("name=\"csrf\"");
        }
        assertThat(page(analyst, "/admin/audit")).doesNotContain("id=\"verify\"");
        web().cookies(analyst).formParams(Map.of("csrf", token(page(analyst, "/admin/audit")), "action", "verify"))
                .post("/admin/audit").then().statusCode(400);
        Api.as(tenant.key()).get("/api/v1/audit?action=admin.audit.verify").then().body("size()", equalTo(0));
        Map<String, String> boss = signedIn(newAccount("tenant-admin", tenant.id()));
        assertThat(page(boss, "/admin/audit")).contains("id=\"verify\"");
    }

    // --- helpers

    private static String text(String css) {
        return browser.driver.findElement(By.cssSelector(css)).getText();
    }

    private static List<String> texts(String css) {
        return browser.driver.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    private static String nodeClass(String node) {
        return browser.driver.findElement(By.cssSelector("#dag g.node[data-node='" + node + "']"))
                .getAttribute("class");
    }

    /** Signs in over plain HTTP; the signed-in session's cookies. */
    private static Map<String, String> signedIn(String email) {
        return signedIn(email, PASSWORD);
    }

    private static Map<String, String> signedIn(String email, String password) {
        Response form = web().get("/admin/signin");
        Response signedIn = web().cookies(form.getCookies()).formParams(Map.of("csrf", token(form.asString()),
                "email", email, "password", password)).redirects().follow(false).post("/admin/signin");
        signedIn.then().statusCode(302);
        return signedIn.getCookies();
    }

    private static String page(Map<String, String> cookies, String path) {
        return web().cookies(cookies).redirects().follow(false).get(path).then().statusCode(200).extract().asString();
    }

    /** The page without its header (whose sign-out form every page has). */
    private static String main(String html) {
        return html.substring(html.indexOf("<main>"));
    }

    private static String agent(Api.TestTenant tenant, String name) {
        return post(tenant, "/api/v1/agents", "{\"name\":\"" + name + "\",\"kind\":\"llm\",\"model\":"
                + "\"steward-scripted\",\"instructions\":\"Be brief.\"}");
    }

    private static String startSession(Api.TestTenant tenant, String agentId) {
        return post(tenant, "/api/v1/sessions", "{\"agentId\":\"" + agentId + "\"}");
    }

    private static void send(Api.TestTenant tenant, String session, String input) {
        Api.as(tenant.key()).body(jakarta.json.Json.createObjectBuilder().add("input", input).build().toString())
                .post("/api/v1/sessions/" + session + "/turns").then().statusCode(202);
    }

    /** Waits until the session has {@code turns} turns, all done; its view then. */
    private static JsonPath awaitTurns(Api.TestTenant tenant, String session, int turns) {
        Instant deadline = Instant.now().plus(WAIT);
        JsonPath view = null;
        while (Instant.now().isBefore(deadline)) {
            view = Api.as(tenant.key()).get("/api/v1/sessions/" + session).then().statusCode(200).extract()
                    .jsonPath();
            List<String> states = view.getList("turns.state");
            if (states.size() == turns && states.stream().allMatch("done"::equals)) {
                return view;
            }
            Tasks.pause(100);
        }
        throw new AssertionError("The turns did not finish: " + (view == null ? "" : view.prettify()));
    }
}
