package dev.steward.admin;

import static dev.steward.admin.AdminBrowser.PASSWORD;
import static dev.steward.admin.AdminBrowser.newAccount;
import static dev.steward.admin.AdminBrowser.token;
import static dev.steward.admin.AdminBrowser.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.steward.testing.Api;
import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.StewardServer;
import io.restassured.response.Response;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/**
 * The costs page and the reports' CSV downloads, against model usage seeded with known figures: in March 2020 (a
 * period no other test touches) for the page's tables, chart and the CSVs, and in the current month for the
 * budget. Tenant A spends, tenant B spends much more; A's people never see B's figures, whatever they put in the
 * URL. An analyst looks and downloads; downloads are audited.
 */
@ExtendWith(StewardServer.class)
class AdminCostsIT {

    private static final String MARCH = "from=2020-03-01&to=2020-03-08";
    private static final String RUN = UUID.randomUUID().toString();
    @RegisterExtension
    static final AdminBrowser browser = new AdminBrowser();
    private static Api.TestTenant a;
    private static Api.TestTenant b;
    private static String adminOfA;
    private static String adminOfB;
    private static String analystOfA;

    @BeforeAll
    static void seed() throws SQLException {
        a = Api.newTenant("costs-a");
        b = Api.newTenant("costs-b");
        adminOfA = newAccount("tenant-admin", a.id());
        adminOfB = newAccount("tenant-admin", b.id());
        analystOfA = newAccount("analyst", a.id());
        String agent = UUID.randomUUID().toString();
        String workflow = UUID.randomUUID().toString();
        try (Connection db = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             Statement sql = db.createStatement()) {
            sql.execute("INSERT INTO agents.agents (tenant_id, id, name, kind, current_version) VALUES ('" + a.id()
                    + "', '" + agent + "', 'writer', 'llm', 2)");
            for (int version : new int[]{1, 2}) {
                sql.execute("INSERT INTO agents.agent_versions (tenant_id, agent_id, version, config, sha256,"
                        + " created_by) VALUES ('" + a.id() + "', '" + agent + "', " + version + ", '{\"kind\":\"llm\","
                        + "\"model\":\"m1\"}', repeat('" + version + "', 64), 'test')");
            }
            sql.execute("INSERT INTO orchestration.definitions (tenant_id, id, kind, name, current_version) VALUES ('"
                    + a.id() + "', '" + workflow + "', 'workflow', 'wf', 1)");
            sql.execute("INSERT INTO orchestration.definition_versions (tenant_id, definition_id, version, body,"
                    + " created_by) VALUES ('" + a.id() + "', '" + workflow + "', 1, '{}', 'test')");
            sql.execute("INSERT INTO orchestration.runs (tenant_id, id, workflow_id, workflow_version, on_locked,"
                    + " trigger, state, created_at) VALUES ('" + a.id() + "', '" + RUN + "', '" + workflow
                    + "', 1, 'wait', '{}', 'succeeded', '2020-03-03 08:00Z')");
            String writer1 = "'" + agent + "', 1";
            String writer2 = "'" + agent + "', 2";
            // A in March 2020: a session of two calls on the 2nd (versions 1 and 2), a workflow run's call on the 3rd,
            // and on the 5th a call for no agent in a session whose id a spreadsheet would run as a formula.
            usage(sql, a, "'2020-03-02 10:00Z'", writer1, "m1", "p1", "s-a1", 100, 50, 10, 100, "1.25");
            usage(sql, a, "'2020-03-02 11:00Z'", writer2, "m2", "p1", "s-a1", 200, 100, 0, 300, "0.80");
            usage(sql, a, "'2020-03-03 09:00Z'", writer2, "m1", "p2", "run:" + RUN, 300, 150, 30, 200, "0.50");
            usage(sql, a, "'2020-03-05 08:00Z'", "NULL, NULL", "m1", "p1", "=cmd", 10, 5, 0, 400, "0.10");
            usage(sql, b, "'2020-03-02 12:00Z'", "NULL, NULL", "model-of-b", "provider-of-b", "s-b1", 1000, 500, 0,
                    50, "9.99");
            // This month: A spends 2.50 of a 2.00 budget (over, whatever the day); B has no budget.
            usage(sql, a, "date_trunc('month', now()) + interval '1 second'", "NULL, NULL", "m1", "p1", "s-now", 1,
                    1, 0, 10, "1.50");
            usage(sql, a, "date_trunc('month', now()) + interval '2 seconds'", "NULL, NULL", "m1", "p1", "s-now", 1,
                    1, 0, 10, "1.00");
            usage(sql, b, "date_trunc('month', now()) + interval '1 second'", "NULL, NULL", "model-of-b",
                    "provider-of-b", "s-b2", 1, 1, 0, 10, "0.40");
            sql.execute("INSERT INTO quota.limits (tenant_id, subject, monthly_budget) VALUES ('" + a.id()
                    + "', 'tenant', 2.00)");
        }
    }

    @Test
    void aTenantAdminSeesTheCostsOfAPeriodChartedAndItsBudget() throws IOException {
        browser.signIn(adminOfA, PASSWORD);
        browser.driver.findElement(By.linkText("Costs")).click();
        browser.waitFor(By.id("budget"));
        // The budget is this month's, whatever the period.
        assertThat(text("#budget-amount")).isEqualTo("2.00");
        assertThat(text("#budget-spent")).isEqualTo("2.50");
        assertThat(text("#budget-used")).isEqualTo("125 %");
        assertThat(text("#budget-status")).isEqualTo("over");
        assertThat(text("#budget-forecast")).matches("\\d+\\.\\d{2}");
        assertThat(browser.driver.findElements(By.cssSelector("#budget-bar rect.used"))).hasSize(1);

        setDate("from", "2020-03-01");
        setDate("to", "2020-03-08");
        browser.driver.findElement(By.id("show")).click();
        browser.waitFor(By.cssSelector("#daily table"));
        assertThat(browser.driver.getCurrentUrl()).contains(MARCH);
        assertThat(text("#total-cost")).isEqualTo("2.650000");
        assertThat(text("#total-calls")).isEqualTo("4");
        assertThat(text("#total-input")).isEqualTo("610");
        assertThat(text("#total-output")).isEqualTo("305");
        assertThat(text("#total-cached")).isEqualTo("40");
        List<WebElement> bars = browser.driver.findElements(By.cssSelector("svg#cost-chart rect.bar"));
        assertThat(bars.stream().map(bar -> bar.getAttribute("data-day")).toList())
                .containsExactly("2020-03-02", "2020-03-03", "2020-03-05");
        // The highest day fills the plot; the others in proportion (2.05, 0.50, 0.10).
        double tallest = Double.parseDouble(bars.get(0).getAttribute("height"));
        assertThat(Double.parseDouble(bars.get(1).getAttribute("height"))).isCloseTo(tallest * 0.50 / 2.05,
                offset(0.02));
        // Tokens per day (input and output): 450, 450, 15; the two first days fill the plot.
        List<WebElement> tokenBars = browser.driver.findElements(By.cssSelector("svg#token-chart rect.bar"));
        assertThat(tokenBars).hasSize(3);
        assertThat(tokenBars.get(1).getAttribute("height")).isEqualTo(tokenBars.get(0).getAttribute("height"));
        assertThat(Double.parseDouble(tokenBars.get(2).getAttribute("height")))
                .isCloseTo(Double.parseDouble(tokenBars.get(0).getAttribute("height")) * 15 / 450, offset(0.02));
        assertThat(rows("#daily")).containsExactly("2020-03-02,2,300,150,10,2.050000",
                "2020-03-03,1,300,150,30,0.500000", "2020-03-05,1,10,5,0,0.100000");
        assertThat(rows("#by-agent")).containsExactly("writer,2,2,750,1.300000", "writer,1,1,150,1.250000",
                ",,1,15,0.100000");
        assertThat(rows("#by-model")).containsExactly("p1,m1,2,165,1.350000,250", "p1,m2,1,300,0.800000,300",
                "p2,m1,1,450,0.500000,200");
        assertThat(rows("#tokens")).containsExactly("m1,410,205,40,0.0976", "m2,200,100,0,0.0000");
        assertThat(rows("#top-sessions")).containsExactly("s-a1,writer,2,450,2.050000", "=cmd,,1,15,0.100000");
        assertThat(rows("#top-runs")).containsExactly(RUN + ",wf,succeeded,1,450,0.500000");
        assertThat(browser.driver.findElement(By.linkText("s-a1")).getAttribute("href"))
                .endsWith("/admin/sessions/s-a1");
        assertThat(browser.driver.findElement(By.linkText("=cmd")).getAttribute("href"))
                .endsWith("/admin/sessions/%3Dcmd");
        assertThat(browser.driver.findElement(By.linkText(RUN)).getAttribute("href")).endsWith("/admin/runs/" + RUN);
        browser.screenshot("admin-costs");
    }

    @Test
    void aTenantAdminNeverSeesAnotherTenantsCostsEvenByNamingIt() {
        browser.signIn(adminOfA, PASSWORD);
        browser.open("/admin/costs?tenant=" + b.id() + "&" + MARCH);
        browser.waitFor(By.id("budget"));
        assertThat(text("#total-cost")).isEqualTo("2.650000");
        assertThat(text("#budget-status")).isEqualTo("over");
        assertThat(browser.driver.getPageSource()).doesNotContain("s-b1", "9.99", "model-of-b", "provider-of-b",
                b.slug());

        browser.signIn(adminOfB, PASSWORD);
        browser.open("/admin/costs?tenant=" + a.id() + "&" + MARCH);
        browser.waitFor(By.id("budget"));
        assertThat(text("#total-cost")).isEqualTo("9.990000");
        assertThat(text("#budget-status")).isEqualTo("no budget");
        assertThat(text("#budget-spent")).isEqualTo("0.40");
        assertThat(browser.driver.findElements(By.cssSelector("svg#cost-chart rect.bar"))).hasSize(1);
        assertThat(browser.driver.getPageSource()).doesNotContain("s-a1", "writer", a.slug());
    }

    @Test
    void anOperatorChoosesTheTenantAndBadDatesAreSaidSo() {
        browser.signInAsOperator();
        browser.open("/admin/costs?" + MARCH);
        browser.driver.findElement(By.linkText(b.slug())).click();
        browser.waitFor(By.id("budget"));
        assertThat(browser.driver.getCurrentUrl()).contains("tenant=" + b.id());
        setDate("from", "2020-03-01");
        setDate("to", "2020-03-08");
        browser.driver.findElement(By.id("show")).click();
        browser.waitFor(By.cssSelector("#daily table"));
        assertThat(browser.driver.getCurrentUrl()).contains("tenant=" + b.id() + "&" + MARCH);
        assertThat(text("#total-cost")).isEqualTo("9.990000");
        browser.open("/admin/costs?tenant=" + b.id() + "&from=2020-03-40&to=2020-03-08");
        browser.waitFor(By.cssSelector(".error"));
        assertThat(text(".error")).isEqualTo("from must be a date such as 2026-11-01 (YYYY-MM-DD)");
        browser.open("/admin/costs?tenant=" + b.id() + "&from=2020-03-08&to=2020-03-01");
        browser.waitFor(By.cssSelector(".error"));
        assertThat(text(".error")).startsWith("from must be before to");
    }

    @Test
    void theReportsPageListsEveryReportWithItsDownload() throws IOException {
        browser.signIn(analystOfA, PASSWORD);
        browser.driver.findElement(By.linkText("Reports")).click();
        browser.waitFor(By.id("reports"));
        List<WebElement> reports = browser.driver.findElements(By.cssSelector("#reports tbody tr"));
        assertThat(reports).hasSize(12);
        assertThat(reports.stream().map(row -> row.getAttribute("data-report")).toList()).contains(
                "cost_by_tenant_day", "top_sessions", "budget_burn", "queue_wait_percentiles");
        WebElement burn = browser.driver.findElement(By.cssSelector("tr[data-report='budget_burn']"));
        assertThat(burn.findElement(By.cssSelector("td:nth-child(2)")).getText())
                .startsWith("Budget burn-down and forecast:");
        assertThat(burn.findElement(By.cssSelector("td:nth-child(3)")).getText()).isEqualTo("as_of, alert_percent");
        assertThat(browser.driver.findElements(By.cssSelector("#report-form input[name]")).stream()
                .map(input -> input.getAttribute("name")).toList())
                .containsExactly("from", "to", "as_of", "alert_percent", "smtp_per_day", "day");
        browser.open("/admin/reports?" + MARCH + "&as_of=2020-03-16T12:00:00Z");
        browser.waitFor(By.id("reports"));
        String href = browser.driver.findElement(By.cssSelector("tr[data-report='cost_by_tenant_day'] a.csv"))
                .getAttribute("href");
        assertThat(href).endsWith("/admin/reports/cost_by_tenant_day.csv?from=2020-03-01&to=2020-03-08");
        assertThat(browser.driver.findElement(By.cssSelector("tr[data-report='budget_burn'] a.csv"))
                .getAttribute("href")).endsWith("/admin/reports/budget_burn.csv?as_of=2020-03-16T12%3A00%3A00Z"
                + "&alert_percent=80");
        browser.screenshot("admin-reports");
    }

    @Test
    void reportsDownloadAsCsvFromTheSameFilesWithTheSameFigures() {
        Map<String, String> session = signedIn(adminOfA);
        Response day = web().cookies(session).get("/admin/reports/cost_by_tenant_day.csv?" + MARCH);
        day.then().statusCode(200).contentType(containsString("text/csv"))
                .contentType(containsString("charset=UTF-8")).header("Content-Disposition",
                        "attachment; filename=\"cost_by_tenant_day_2020-03-01_2020-03-08.csv\"");
        assertThat(day.asString()).isEqualTo("tenant,day,calls,input_tokens,output_tokens,cached_tokens,cost\r\n"
                + a.slug() + ",2020-03-02,2,300,150,10,2.050000\r\n"
                + a.slug() + ",2020-03-03,1,300,150,30,0.500000\r\n"
                + a.slug() + ",2020-03-05,1,10,5,0,0.100000\r\n");
        // The same however often it runs: the driver reads results in binary after five runs of a statement.
        for (int i = 0; i < 6; i++) {
            assertThat(csv(session, "cost_by_tenant_day.csv?" + MARCH)).as("run " + i)
                    .isEqualTo(day.asString().lines().toList());
        }
        // The session id a spreadsheet would run is written as text.
        assertThat(csv(session, "top_sessions.csv?" + MARCH)).containsExactly(
                "tenant,session_id,agent,calls,tokens,cost", a.slug() + ",s-a1,writer,2,450,2.050000",
                a.slug() + ",'=cmd,,1,15,0.100000");
        // Half of March gone (15.5 of 31 days), 2.65 of 2.00 spent: 5.30 by the month's end at this pace.
        assertThat(csv(session, "budget_burn.csv?as_of=2020-03-16T12:00:00Z")).containsExactly(
                "tenant,monthly_budget,spent,used_share,forecast,status", a.slug() + ",2.00,2.65,1.3250,5.30,over");
        assertThat(csv(session, "top_workflow_runs.csv?" + MARCH)).containsExactly(
                "tenant,run_id,workflow,state,calls,tokens,cost",
                a.slug() + "," + RUN + ",wf,succeeded,1,450,0.500000");
        // Each download is in A's audit trail, with the period, the person as the actor.
        List<Map<String, Object>> audited = Api.as(a.key()).get("/api/v1/audit?action=admin.report.downloaded")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(audited).anySatisfy(entry -> {
            assertThat(entry.get("actor")).isEqualTo("admin:" + adminOfA);
            assertThat(entry.get("details")).isEqualTo(Map.of("report", "cost_by_tenant_day",
                    "from", "2020-03-01", "to", "2020-03-08"));
        });
    }

    @Test
    void aTenantAdminDownloadsOnlyItsOwnTenantAndMistakesAreSaidSo() {
        Map<String, String> session = signedIn(adminOfA);
        assertThat(csv(session, "cost_by_tenant_day.csv?tenant=" + b.id() + "&" + MARCH)).hasSize(4)
                .allSatisfy(line -> assertThat(line).doesNotContain(b.slug()));
        web().cookies(session).get("/admin/reports/no_such_report.csv?" + MARCH).then().statusCode(404);
        web().cookies(session).get("/admin/reports/cost_by_tenant_day.sql").then().statusCode(404);
        web().cookies(session).get("/admin/reports/cost_by_tenant_day.csv?from=2020-02-30&to=2020-03-08").then()
                .statusCode(400).body(containsString("from must be a date such as 2026-11-01 (YYYY-MM-DD)"));
        web().cookies(session).get("/admin/reports/cost_by_tenant_day.csv?from=2020-03-01").then().statusCode(400)
                .body(equalTo("to is required\n"));
        web().cookies(session).get("/admin/reports/budget_burn.csv?alert_percent=eighty").then().statusCode(400)
                .body(containsString("alert_percent must be a number"));
        web().cookies(session).get("/admin/reports/channel_cap_utilization.csv?smtp_per_day=1;DROP").then()
                .statusCode(400);

        Map<String, String> operator = signedIn(StewardServer.rig().adminEmail(), StewardServer.rig().adminPassword());
        web().cookies(operator).get("/admin/reports/cost_by_tenant_day.csv?" + MARCH).then().statusCode(400)
                .body(containsString("tenant"));
        assertThat(csv(operator, "cost_by_tenant_day.csv?tenant=" + b.id() + "&" + MARCH)).containsExactly(
                "tenant,day,calls,input_tokens,output_tokens,cached_tokens,cost",
                b.slug() + ",2020-03-02,1,1000,500,0,9.990000");
    }

    @Test
    void anAnalystLooksAndDownloads() {
        Map<String, String> session = signedIn(analystOfA);
        String page = web().cookies(session).get("/admin/costs?" + MARCH).then().statusCode(200).extract()
                .asString();
        assertThat(page).contains("2.650000").doesNotContain("method=\"post\" action=\"/admin/costs");
        assertThat(csv(session, "token_usage.csv?" + MARCH)).containsExactly(
                "tenant,model,input_tokens,output_tokens,cached_tokens,cached_share",
                a.slug() + ",m1,410,205,40,0.0976", a.slug() + ",m2,200,100,0,0.0000");
    }

    private static List<String> csv(Map<String, String> session, String path) {
        return web().cookies(session).get("/admin/reports/" + path).then().statusCode(200).extract().asString()
                .lines().toList();
    }

    private static Map<String, String> signedIn(String email) {
        return signedIn(email, PASSWORD);
    }

    /** A signed-in session's cookies, as a browser would hold them after signing in. */
    private static Map<String, String> signedIn(String email, String password) {
        Response page = web().get("/admin/signin");
        Response signedIn = web().cookies(page.getCookies()).formParams(Map.of("csrf", token(page.asString()),
                "email", email, "password", password)).redirects().follow(false).post("/admin/signin");
        signedIn.then().statusCode(302);
        return signedIn.getCookies();
    }

    /** Sets a date field as its picker would (typing into one depends on the browser's locale). */
    private static void setDate(String id, String date) {
        ((JavascriptExecutor) browser.driver).executeScript("arguments[0].value = arguments[1]",
                browser.driver.findElement(By.id(id)), date);
    }

    private static String text(String css) {
        return browser.driver.findElement(By.cssSelector(css)).getText();
    }

    /** A table's body rows, each its cells' texts joined by commas. */
    private static List<String> rows(String css) {
        return browser.driver.findElements(By.cssSelector(css + " tbody tr")).stream()
                .map(row -> String.join(",", row.findElements(By.tagName("td")).stream().map(WebElement::getText)
                        .toList()))
                .toList();
    }

    private static void usage(Statement sql, Api.TestTenant tenant, String at, String agent, String model,
                              String provider, String session, int input, int output, int cached, int latency,
                              String cost) throws SQLException {
        sql.execute("INSERT INTO billing.usage_events (tenant_id, occurred_at, agent_id, agent_version, model,"
                + " provider, session_id, input_tokens, output_tokens, cached_tokens, latency_ms, cost, outcome)"
                + " VALUES ('" + tenant.id() + "', " + at + ", " + agent + ", '" + model + "', '" + provider
                + "', '" + session + "', " + input + ", " + output + ", " + cached + ", " + latency + ", " + cost
                + ", 'ok')");
    }
}
