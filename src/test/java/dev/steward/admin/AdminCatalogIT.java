package dev.steward.admin;

import static dev.steward.admin.AdminBrowser.PASSWORD;
import static dev.steward.admin.AdminBrowser.newAccount;
import static dev.steward.admin.AdminBrowser.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

import dev.steward.testing.Api;
import dev.steward.testing.FakeProvider;
import dev.steward.testing.StewardServer;
import dev.steward.testing.Tasks;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The admin UI's configuration pages in a real browser: a tenant's API keys, its agents with their versions and the
 * diff between two, its providers and priced models, its limits with their use and its mail accounts with today's
 * sends against their caps. Every figure is checked against what the REST API says of data made through it; a tenant
 * admin never sees another tenant's rows (nor reaches them by id); an operator chooses; an analyst only looks.
 */
@ExtendWith(StewardServer.class)
class AdminCatalogIT {

    @RegisterExtension
    static final AdminBrowser browser = new AdminBrowser();

    private static FakeProvider provider;

    @BeforeAll
    static void start() {
        provider = FakeProvider.start();
    }

    @AfterAll
    static void stop() {
        if (provider != null) {
            provider.close();
        }
    }

    @Test
    void agentsListTheirVersionsAndWhatChangedBetweenTwo() throws IOException {
        Api.TestTenant tenant = Api.newTenant("catalog-agents");
        String triage = createAgent(tenant, "triage", "Sort the mail.");
        createAgent(tenant, "reporter", "Write the weekly report.");
        Api.as(tenant.key()).body("{\"kind\":\"llm\",\"model\":\"steward-scripted\",\"instructions\":\"Sort the"
                + " mail, then answer.\",\"fallbackModels\":[\"steward-scripted\"]}").put("/api/v1/agents/" + triage)
                .then().statusCode(200).body("version", equalTo(2));
        JsonPath versions = Api.as(tenant.key()).get("/api/v1/agents/" + triage + "/versions").then().statusCode(200)
                .extract().jsonPath();

        browser.signIn(newAccount("tenant-admin", tenant.id()), PASSWORD);
        browser.open("/admin/agents");
        browser.waitFor(By.id("agents"));
        assertThat(texts("#agents td.name")).containsExactly("reporter", "triage");
        WebElement row = browser.driver.findElement(By.cssSelector("tr[data-agent='" + triage + "']"));
        assertThat(row.findElement(By.cssSelector("td.kind")).getText()).isEqualTo("llm");
        assertThat(row.findElement(By.cssSelector("td.version")).getText()).isEqualTo("2");
        assertThat(row.findElement(By.cssSelector("td.model")).getText())
                .isEqualTo("steward-scripted then steward-scripted");
        browser.screenshot("admin-agents");

        browser.driver.findElement(By.id("name-filter")).sendKeys("TRI");
        browser.driver.findElement(By.id("filter")).click();
        browser.waitFor(By.cssSelector("#name-filter[value='TRI']"));
        assertThat(texts("#agents td.name")).containsExactly("triage");

        browser.driver.findElement(By.linkText("triage")).click();
        browser.waitFor(By.id("versions"));
        assertThat(texts("#versions td.number")).containsExactly("2", "1");
        assertThat(texts("#versions td.by")).containsExactly(versions.getString("[1].createdBy"),
                versions.getString("[0].createdBy"));
        // By default: the version before the current one against the current one, as the REST diff compares them.
        assertThat(browser.driver.findElement(By.id("diff-from")).getText()).isEqualTo("1");
        assertThat(browser.driver.findElement(By.id("diff-to")).getText()).isEqualTo("2");
        List<String> restPaths = Api.as(tenant.key()).get("/api/v1/agents/" + triage + "/diff").then()
                .statusCode(200).extract().jsonPath().getList("changes.path");
        assertThat(diffRows()).containsOnlyKeys(restPaths.toArray(String[]::new)).containsExactlyInAnyOrderEntriesOf(
                Map.of("/instructions", List.of("changed", "Sort the mail.", "Sort the mail, then answer."),
                        "/fallbackModels", List.of("added", "", "[\"steward-scripted\"]")));
        browser.screenshot("admin-agent-diff");

        new Select(browser.driver.findElement(By.id("from"))).selectByValue("2");
        new Select(browser.driver.findElement(By.id("to"))).selectByValue("1");
        browser.driver.findElement(By.id("compare-versions")).click();
        browser.waitFor(By.cssSelector("#diff-from"));
        assertThat(browser.driver.findElement(By.id("diff-from")).getText()).isEqualTo("2");
        assertThat(diffRows()).containsExactlyInAnyOrderEntriesOf(
                Map.of("/instructions", List.of("changed", "Sort the mail, then answer.", "Sort the mail."),
                        "/fallbackModels", List.of("removed", "[\"steward-scripted\"]", "")));

        browser.open("/admin/agents/" + triage + "?from=7&to=2");
        browser.waitFor(By.id("no-such-version"));
    }

    @Test
    void modelsShowTheirProvidersAndPricesButNeverACredential() throws IOException {
        Api.TestTenant tenant = Api.newTenant("catalog-models");
        String secret = "sk-" + UUID.randomUUID();
        createProvider(tenant, secret);
        Api.as(tenant.key()).body("{\"name\":\"echo\",\"provider\":\"fake\",\"providerModel\":\"fake-gpt\","
                + "\"inputPrice\":2.5,\"outputPrice\":10,\"cachedInputPrice\":1.25}").post("/api/v1/models").then()
                .statusCode(201);
        Api.as(tenant.key()).body("{\"name\":\"plain\",\"provider\":\"fake\",\"providerModel\":\"fake-mini\","
                + "\"inputPrice\":0.15,\"outputPrice\":0.6}").post("/api/v1/models").then().statusCode(201);

        browser.signIn(newAccount("tenant-admin", tenant.id()), PASSWORD);
        browser.open("/admin/models");
        browser.waitFor(By.id("models"));
        WebElement account = browser.driver.findElement(By.cssSelector("tr[data-provider='fake']"));
        assertThat(account.findElement(By.cssSelector("td.type")).getText()).isEqualTo("openai-compatible");
        assertThat(account.findElement(By.cssSelector("td.base-url")).getText()).isEqualTo(provider.baseUrl());
        assertThat(account.findElement(By.cssSelector("td.credential")).getText()).isEqualTo("set (apiKey)");
        assertThat(browser.driver.getPageSource()).doesNotContain(secret);

        assertThat(texts("#models td.provider")).containsExactly("steward", "fake", "fake");
        JsonPath rest = Api.as(tenant.key()).get("/api/v1/models").then().statusCode(200).extract().jsonPath();
        assertThat(rest.getList("name")).containsExactly("steward-scripted", "echo", "plain");
        assertThat(prices("steward-scripted")).containsExactly("0", "0", "0");
        assertThat(prices("echo")).containsExactly("2.5", "10", "1.25");
        assertThat(prices("plain")).containsExactly("0.15", "0.6", "as input");
        assertThat(browser.driver.findElement(By.cssSelector("tr[data-model='steward-scripted'] td.name")).getText())
                .isEqualTo("steward-scripted built in");
        browser.screenshot("admin-models");
    }

    @Test
    void quotasShowEachLimitWithItsUseAndEachMailAccountWithTodaysSends() throws IOException {
        Api.TestTenant tenant = Api.newTenant("catalog-quotas");
        createProvider(tenant, "sk-" + UUID.randomUUID());
        Api.as(tenant.key()).body("{\"name\":\"echo\",\"provider\":\"fake\",\"providerModel\":\"fake-gpt\","
                + "\"inputPrice\":1000000,\"outputPrice\":2000000}").post("/api/v1/models").then().statusCode(201);
        Api.as(tenant.key()).body("{\"monthlyBudget\":100}").put("/api/v1/quotas/tenant").then().statusCode(200);
        // The fake provider answers 12 tokens in and 5 out: 12 * 1 + 5 * 2 at these prices per million tokens.
        Api.as(tenant.key()).body("{\"prompt\":\"hello\"}").post("/api/v1/models/echo/try").then().statusCode(200);
        int tenantConcurrency = Api.as(tenant.key()).get("/api/v1/quotas/tenant").then().statusCode(200)
                .body("usage.spentThisMonth", equalTo(22.0f)).extract().path("limits.concurrency");

        String agent = createAgent(tenant, "sender", "Send what is asked.");
        Api.as(tenant.key()).body("{\"concurrency\":2,\"perMinute\":1}").put("/api/v1/quotas/agent:" + agent).then()
                .statusCode(200);
        run(tenant, "{\"kind\":\"noop\",\"agentId\":\"" + agent + "\"}");
        Api.as(tenant.key()).get("/api/v1/quotas/agent:" + agent).then().statusCode(200)
                .body("usage.requestsLeft", equalTo(0));

        createMailAccount(tenant, "sales", "smtp", "\"smtp\":{\"host\":\"127.0.0.1\",\"port\":2525,"
                + "\"security\":\"none\"}");
        createMailAccount(tenant, "outreach", "gmail", null);
        Api.as(tenant.key()).body("{\"perDay\":5,\"channelType\":\"smtp\"}").put("/api/v1/quotas/channel:sales")
                .then().statusCode(200);
        run(tenant, "{\"kind\":\"noop\",\"resources\":[\"channel:sales\"]}");
        run(tenant, "{\"kind\":\"noop\",\"resources\":[\"channel:sales\"]}");
        JsonPath accounts = Api.as(tenant.key()).get("/api/v1/email/accounts").then().statusCode(200).extract()
                .jsonPath();
        assertThat(accounts.getList("today.sent", Integer.class)).containsExactly(0, 2); // outreach, sales
        assertThat(accounts.getList("today.cap", Integer.class)).containsExactly(2000, 5);

        browser.signIn(newAccount("tenant-admin", tenant.id()), PASSWORD);
        browser.open("/admin/quotas");
        browser.waitFor(By.id("quotas"));
        assertThat(texts("#quotas td.subject").get(0)).isEqualTo("the tenant");
        WebElement own = browser.driver.findElement(By.cssSelector("tr[data-subject='tenant']"));
        assertThat(own.findElement(By.cssSelector("td.budget")).getText()).isEqualTo("22.00 of 100.00 spent");
        assertThat(own.findElement(By.cssSelector("td.concurrency")).getText()).isEqualTo(tenantConcurrency + " at once (default)");
        WebElement sender = browser.driver.findElement(By.cssSelector("tr[data-subject='agent:" + agent + "']"));
        assertThat(sender.findElement(By.cssSelector("td.subject")).getText()).isEqualTo("agent sender");
        assertThat(sender.findElement(By.cssSelector("td.concurrency")).getText()).isEqualTo("2 at once");
        assertThat(sender.findElement(By.cssSelector("td.per-minute")).getText()).isEqualTo("0 of 1 left");
        assertThat(browser.driver.findElements(By.cssSelector("#quotas tr[data-subject^='channel:']"))).isEmpty();

        assertThat(texts("#channels td.name")).containsExactly("outreach", "sales");
        WebElement sales = browser.driver.findElement(By.cssSelector("tr[data-account='sales']"));
        assertThat(sales.findElement(By.cssSelector("td.type")).getText()).isEqualTo("smtp");
        assertThat(sales.findElement(By.cssSelector("td.sent")).getText()).isEqualTo("2 of 5");
        assertThat(sales.findElement(By.cssSelector("td.cap")).getText()).isEqualTo("5 (the tenant’s own)");
        assertThat(Double.parseDouble(sales.findElement(By.cssSelector("td.sent svg rect.used"))
                .getAttribute("width"))).isCloseTo(64.0, within(0.001)); // 2 of 5 of the bar's 160
        WebElement outreach = browser.driver.findElement(By.cssSelector("tr[data-account='outreach']"));
        assertThat(outreach.findElement(By.cssSelector("td.type")).getText()).isEqualTo("gmail");
        assertThat(outreach.findElement(By.cssSelector("td.sent")).getText()).isEqualTo("0 of 2000");
        assertThat(outreach.findElement(By.cssSelector("td.cap")).getText()).isEqualTo("2000 (the default for gmail)");
        browser.screenshot("admin-quotas");
    }

    @Test
    void aTenantsKeysShowPrefixScopesAndStateButNeverTheSecret() throws IOException {
        Api.TestTenant tenant = Api.newTenant("catalog-keys");
        String reader = Api.issueKey(tenant.id(), "[\"agents:read\"]");
        String readerId = Api.as(tenant.key()).get("/api/v1/api-keys").then().statusCode(200).extract().jsonPath()
                .getString("find { it.scopes == ['agents:read'] }.id");
        Api.as(tenant.key()).delete("/api/v1/api-keys/" + readerId).then().statusCode(204);
        JsonPath keys = Api.as(tenant.key()).get("/api/v1/api-keys").then().statusCode(200).extract().jsonPath();

        browser.signInAsOperator();
        browser.driver.findElement(By.cssSelector("a.keys[href$='tenant=" + tenant.id() + "']")).click();
        browser.waitFor(By.id("keys"));
        assertThat(texts("#keys td.prefix")).containsExactly("stw_" + keys.getString("[0].prefix") + "_…",
                "stw_" + keys.getString("[1].prefix") + "_…");
        WebElement revoked = browser.driver.findElement(By.cssSelector("tr[data-key='" + readerId + "']"));
        assertThat(revoked.findElement(By.cssSelector("td.scopes")).getText()).isEqualTo("agents:read");
        assertThat(revoked.findElement(By.cssSelector("td.state")).getText())
                .isEqualTo("revoked " + keys.getString("[1].revokedAt"));
        assertThat(revoked.findElement(By.cssSelector("td.last-used")).getText()).isEqualTo("never");
        WebElement used = browser.driver.findElement(By.cssSelector("tr[data-key='" + keys.getString("[0].id")
                + "']"));
        assertThat(used.findElement(By.cssSelector("td.scopes")).getText()).isEqualTo("*");
        assertThat(used.findElement(By.cssSelector("td.state")).getText()).isEqualTo("active");
        assertThat(used.findElement(By.cssSelector("td.last-used")).getText())
                .isEqualTo(keys.getString("[0].lastUsedAt"));
        String page = browser.driver.getPageSource();
        assertThat(page).doesNotContain(secretOf(tenant.key())).doesNotContain(secretOf(reader));
        browser.screenshot("admin-tenant-keys");
    }

    @Test
    void aTenantAdminSeesOnlyItsOwnTenantsConfigurationAndAnOperatorChooses() {
        Api.TestTenant a = Api.newTenant("catalog-a");
        Api.TestTenant b = Api.newTenant("catalog-b");
        createAgent(a, "alpha-agent", "A's.");
        String bAgent = createAgent(b, "beta-agent", "B's.");
        createProvider(b, "sk-" + UUID.randomUUID());
        Api.as(b.key()).body("{\"name\":\"beta-model\",\"provider\":\"fake\",\"providerModel\":\"m\","
                + "\"inputPrice\":1,\"outputPrice\":1}").post("/api/v1/models").then().statusCode(201);
        createMailAccount(b, "beta-mail", "gmail", null);
        Api.as(b.key()).body("{\"concurrency\":3}").put("/api/v1/quotas/agent:" + bAgent).then().statusCode(200);
        String bPrefix = Api.as(b.key()).get("/api/v1/api-keys").then().extract().path("[0].prefix");

        browser.signIn(newAccount("tenant-admin", a.id()), PASSWORD);
        String other = "?tenant=" + b.id();
        for (String page : List.of("/admin/agents", "/admin/models", "/admin/quotas", "/admin/tenants/keys")) {
            browser.open(page + other); // naming B changes nothing: a tenant admin's tenant is its own
            browser.waitFor(By.cssSelector("main h1"));
            assertThat(browser.driver.findElement(By.cssSelector("main h1")).getText()).endsWith(" of " + a.slug());
            assertThat(browser.driver.getPageSource()).doesNotContain("beta-agent", "beta-model", "beta-mail",
                    bAgent, bPrefix, b.slug());
        }
        assertThat(texts("#keys td.prefix")).hasSize(1);
        assertThat(status("/admin/agents/" + bAgent)).isEqualTo(404);
        assertThat(status("/admin/agents/" + bAgent + other)).isEqualTo(404);
        assertThat(status("/admin/agents/not-an-id")).isEqualTo(404);

        browser.signInAsOperator();
        browser.open("/admin/agents");
        browser.waitFor(By.id("tenant-choice"));
        browser.driver.findElement(By.linkText(b.slug())).click();
        browser.waitFor(By.id("agents"));
        assertThat(texts("#agents td.name")).containsExactly("beta-agent");
        assertThat(status("/admin/agents/" + bAgent + "?tenant=" + a.id())).isEqualTo(404);
        assertThat(status("/admin/agents/" + bAgent + other)).isEqualTo(200);
        browser.open("/admin/models" + other);
        browser.waitFor(By.id("models"));
        assertThat(texts("#models td.name")).contains("beta-model");
        browser.open("/admin/quotas" + other);
        browser.waitFor(By.id("channels"));
        assertThat(texts("#channels td.name")).containsExactly("beta-mail");
    }

    @Test
    void anAnalystLooksAtEveryConfigurationPageWithoutAButtonToAct() {
        Api.TestTenant tenant = Api.newTenant("catalog-analyst");
        String agent = createAgent(tenant, "looked-at", "Be looked at.");
        Api.as(tenant.key()).body("{\"kind\":\"llm\",\"model\":\"steward-scripted\",\"instructions\":\"Changed.\"}")
                .put("/api/v1/agents/" + agent).then().statusCode(200);
        createMailAccount(tenant, "watched", "o365", null);

        browser.signIn(newAccount("analyst", tenant.id()), PASSWORD);
        Map<String, String> pages = Map.of("/admin/agents", "agents", "/admin/agents/" + agent, "diff",
                "/admin/models", "models", "/admin/quotas", "channels", "/admin/tenants/keys", "keys");
        pages.forEach((page, shown) -> {
            browser.open(page);
            browser.waitFor(By.id(shown));
            assertThat(browser.driver.findElements(By.cssSelector("main form[method='post'], main button"
                    + ":not(#filter):not(#compare-versions)"))).as(page).isEmpty();
        });
        browser.open("/admin/quotas");
        browser.waitFor(By.id("channels"));
        assertThat(browser.driver.findElement(By.cssSelector("tr[data-account='watched'] td.cap")).getText())
                .isEqualTo("10000 (the default for o365)");
    }

    private static String createAgent(Api.TestTenant tenant, String name, String instructions) {
        return Api.as(tenant.key()).body("{\"name\":\"" + name + "\",\"kind\":\"llm\",\"model\":\"steward-scripted\","
                + "\"instructions\":\"" + instructions + "\"}").post("/api/v1/agents").then().statusCode(201)
                .extract().path("id");
    }

    private static void createProvider(Api.TestTenant tenant, String secret) {
        Api.as(tenant.key()).body("{\"name\":\"fake\",\"type\":\"openai-compatible\",\"baseUrl\":\""
                + provider.baseUrl() + "\",\"credentials\":{\"apiKey\":\"" + secret + "\"}}")
                .post("/api/v1/providers").then().statusCode(201);
    }

    /** A mail account of {@code type}; {@code server} the smtp account's server field, null for gmail and o365's own. */
    private static void createMailAccount(Api.TestTenant tenant, String name, String type, String server) {
        Api.as(tenant.key()).body("{\"name\":\"" + name + "\",\"provider\":\"" + type + "\",\"address\":\"" + name
                + "@example.com\",\"password\":\"app password\"" + (server == null ? "" : "," + server) + "}")
                .post("/api/v1/email/accounts").then().statusCode(201);
    }

    /** Submits a task and waits for it to complete: admitted, so its limits' counters moved. */
    private static void run(Api.TestTenant tenant, String task) {
        String id = Tasks.submit(tenant.key(), task);
        assertThat(Tasks.awaitState(tenant.key(), id, "completed")).isEqualTo("completed");
    }

    private static List<String> texts(String css) {
        return browser.driver.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    /** The diff's rows by field: change, before, after. */
    private static Map<String, List<String>> diffRows() {
        return browser.driver.findElements(By.cssSelector("#diff tbody tr")).stream().collect(Collectors.toMap(
                row -> row.getAttribute("data-path"), row -> List.of(row.findElement(By.cssSelector("td.change"))
                        .getText(), row.findElement(By.cssSelector("td.before")).getText(),
                        row.findElement(By.cssSelector("td.after")).getText())));
    }

    /** A model's input, output and cached-input prices as the page shows them. */
    private static List<String> prices(String model) {
        WebElement row = browser.driver.findElement(By.cssSelector("tr[data-model='" + model + "']"));
        return List.of(row.findElement(By.cssSelector("td.input-price")).getText(),
                row.findElement(By.cssSelector("td.output-price")).getText(),
                row.findElement(By.cssSelector("td.cached-price")).getText());
    }

    /** The secret part of a full key ({@code stw_<prefix>_<secret>}). */
    private static String secretOf(String key) {
        return key.substring(key.indexOf('_', 4) + 1);
    }

    /** The status of a page requested plainly in the browser's signed-in session. */
    private static int status(String path) {
        Map<String, String> cookies = browser.driver.manage().getCookies().stream()
                .collect(Collectors.toMap(Cookie::getName, Cookie::getValue));
        return web().cookies(cookies).redirects().follow(false).get(path).statusCode();
    }
}
