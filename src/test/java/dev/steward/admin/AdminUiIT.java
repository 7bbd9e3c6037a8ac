package dev.steward.admin;

import static dev.steward.admin.AdminBrowser.account;
import static dev.steward.admin.AdminBrowser.token;
import static dev.steward.admin.AdminBrowser.web;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

import dev.steward.testing.Api;
import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.StewardServer;
import dev.steward.testing.Tasks;
import io.restassured.response.Response;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The admin UI in a real browser (Debian's Chromium, headless) and over plain HTTP: signing in and out, the tenants
 * an operator and a tenant admin each see, security headers, CSRF on every form, and accounts locking after
 * repeated failures. Screenshots of the pages land in target/screenshots.
 */
@ExtendWith(StewardServer.class)
class AdminUiIT {

    @RegisterExtension
    static final AdminBrowser browser = new AdminBrowser();

    @Test
    void anOperatorSignsInSeesEveryTenantAndSignsOut() throws IOException {
        Api.TestTenant tenant = Api.newTenant("admin-ui-seen");
        signIn(StewardServer.rig().adminEmail(), StewardServer.rig().adminPassword());
        assertThat(browser.driver.getCurrentUrl()).endsWith("/admin/tenants");
        List<String> slugs = browser.driver.findElements(By.cssSelector("#tenants td.slug")).stream()
                .map(WebElement::getText).toList();
        assertThat(slugs).contains("demo", tenant.slug());
        screenshot("admin-tenants");
        browser.driver.findElement(By.id("signout")).click();
        waitFor(By.id("email"));
        assertThat(browser.driver.getCurrentUrl()).endsWith("/admin/signin");
        browser.driver.get(StewardServer.rig().baseUri() + "/admin/tenants");
        waitFor(By.id("email"));
        assertThat(browser.driver.getCurrentUrl()).endsWith("/admin/signin");
    }

    @Test
    void aTenantAdminSeesOnlyItsOwnTenant() throws IOException {
        Api.TestTenant own = Api.newTenant("admin-ui-own");
        Api.newTenant("admin-ui-other");
        String email = "boss-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        account(email, "a long enough password", "tenant-admin", own.id()).then().statusCode(200)
                .body("role", equalTo("tenant-admin"));
        signIn(email, "a long enough password");
        assertThat(browser.driver.findElements(By.cssSelector("#tenants td.slug")).stream().map(WebElement::getText)
                .toList()).containsExactly(own.slug());
        screenshot("admin-tenant-admin");
        browser.driver.findElement(By.id("signout")).click();
        waitFor(By.id("email"));
    }

    @Test
    void aTenantAdminApprovesWhatWaitsAndAnAnalystOnlyLooks() throws IOException {
        Api.TestTenant tenant = Api.newTenant("admin-ui-approvals");
        Api.as(tenant.key()).body("{\"name\":\"hold\",\"nodes\":[{\"id\":\"review\",\"kind\":\"approval\","
                + "\"label\":\"being reviewed\"}]}").post("/api/v1/workflows").then().statusCode(201);
        Api.as(tenant.key()).body("{\"workflow\":\"hold\"}").post("/api/v1/runs").then().statusCode(201);
        String approval = awaitPendingApproval(tenant);

        String analyst = "looker-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        account(analyst, "an analyst's password", "analyst", tenant.id()).then().statusCode(200);
        signIn(analyst, "an analyst's password");
        browser.driver.get(StewardServer.rig().baseUri() + "/admin/approvals");
        waitFor(By.id("approvals"));
        assertThat(browser.driver.findElements(By.cssSelector("#approvals button"))).isEmpty();

        String boss = "decider-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        account(boss, "a decider's password", "tenant-admin", tenant.id()).then().statusCode(200);
        signIn(boss, "a decider's password");
        browser.driver.get(StewardServer.rig().baseUri() + "/admin/approvals");
        WebElement row = browser.driver.findElement(By.cssSelector("tr[data-approval='" + approval + "']"));
        screenshot("admin-approvals");
        row.findElement(By.name("comment")).sendKeys("Fine by me");
        row.findElement(By.cssSelector("button[value='approve']")).click();
        waitFor(By.cssSelector(".notice"));
        assertThat(browser.driver.findElement(By.cssSelector(".notice")).getText()).isEqualTo("Approved.");
        Api.as(tenant.key()).get("/api/v1/approvals/" + approval).then().statusCode(200)
                .body("state", equalTo("approved")).body("comment", equalTo("Fine by me"))
                .body("decidedBy", equalTo("admin:" + boss));
    }

    @Test
    void anOperatorRetriesADeadLetterOfTheTenantItChooses() throws Exception {
        Api.TestTenant tenant = Api.newTenant("admin-ui-dead");
        long job = deadLetter(tenant);
        signIn(StewardServer.rig().adminEmail(), StewardServer.rig().adminPassword());
        browser.driver.get(StewardServer.rig().baseUri() + "/admin/queue");
        browser.driver.findElement(By.linkText(tenant.slug())).click();
        waitFor(By.cssSelector("tr[data-job='" + job + "']"));
        screenshot("admin-dead-letters");
        browser.driver.findElement(By.cssSelector("tr[data-job='" + job + "'] button[value='retry']")).click();
        waitFor(By.cssSelector(".notice"));
        assertThat(browser.driver.findElement(By.cssSelector(".notice")).getText()).isEqualTo("Retried: back in the queue.");
        assertThat(Tasks.awaitState(tenant.key(), String.valueOf(job), "completed")).isEqualTo("completed");
        Api.as(tenant.key()).get("/api/v1/audit?action=admin.dead-letter.retried").then().statusCode(200)
                .body("actor", equalTo(List.of("operator:ui:" + StewardServer.rig().adminEmail())))
                .body("details.job", equalTo(List.of((int) job)));
    }

    @Test
    void theLiveQueueShowsEachTiersLoadAndATenantAdminOnlyItsOwn() throws Exception {
        Api.TestTenant busy = Api.newTenant("admin-ui-busy");
        Api.TestTenant other = Api.newTenant("admin-ui-calm");
        // A kind no worker handles stays where it is put, so the figures hold while the page is read.
        try (Connection db = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             Statement sql = db.createStatement()) {
            sql.executeUpdate("INSERT INTO dispatch.jobs (tenant_id, kind, priority, state, run_at) SELECT '"
                    + busy.id() + "', 'admin-ui-unhandled', 1, 'available', now() - interval '90 seconds'"
                    + " FROM generate_series(1, 3)");
            sql.executeUpdate("INSERT INTO dispatch.jobs (tenant_id, kind, priority, state, run_at) VALUES ('"
                    + busy.id() + "', 'admin-ui-unhandled', 1, 'scheduled', now() + interval '1 hour')");
            sql.executeUpdate("INSERT INTO dispatch.jobs (tenant_id, kind, priority, state, attempt, started_at,"
                    + " lease_owner, lease_expires_at) VALUES ('" + busy.id() + "', 'admin-ui-unhandled', 1,"
                    + " 'running', 1, now(), 'elsewhere', now() + interval '1 hour')");
            sql.executeUpdate("INSERT INTO dispatch.jobs (tenant_id, kind, priority, state, attempt, started_at,"
                    + " finished_at) SELECT '" + busy.id() + "', 'admin-ui-unhandled', 1, 'completed', 1,"
                    + " now() - interval '1 minute', now() - interval '30 seconds' FROM generate_series(1, 2)");
            sql.executeUpdate("INSERT INTO dispatch.jobs (tenant_id, kind, priority, state, attempt, max_attempts,"
                    + " last_error, finished_at) VALUES ('" + busy.id() + "', 'admin-ui-unhandled', 1, 'failed', 5,"
                    + " 5, 'gave up', now())");
            sql.executeUpdate("INSERT INTO dispatch.jobs (tenant_id, kind, priority, state) VALUES ('" + other.id()
                    + "', 'admin-ui-unhandled', 3, 'available')");
        }
        browser.signInAsOperator();
        browser.open("/admin/queue");
        String row = "#queue-tenants tr[data-tenant='" + busy.slug() + "'][data-tier='P1'] ";
        waitFor(By.cssSelector(row));
        assertThat(cell(row + ".waiting")).isEqualTo("3");
        assertThat(Long.parseLong(cell(row + ".oldest").replace(" s", ""))).isBetween(90L, 600L);
        assertThat(cell(row + ".scheduled")).isEqualTo("1");
        assertThat(cell(row + ".running")).isEqualTo("1");
        assertThat(cell(row + ".per-minute")).isEqualTo("0.4");
        assertThat(cell(row + ".dead")).isEqualTo("1");
        assertThat(browser.driver.findElements(By.cssSelector("#queue-tenants tr[data-tenant='" + other.slug()
                + "'][data-tier='P3']"))).hasSize(1);
        assertThat(browser.driver.findElements(By.cssSelector("#queue-tiers tr[data-tier='P1']"))).hasSize(1);
        screenshot("admin-queue");

        browser.signIn(AdminBrowser.newAccount("tenant-admin", other.id()), AdminBrowser.PASSWORD);
        browser.open("/admin/queue");
        waitFor(By.id("queue-tenants"));
        assertThat(browser.driver.findElements(By.cssSelector("#queue-tenants tbody tr"))
                .stream().map(tr -> tr.getAttribute("data-tenant")).distinct().toList())
                .containsExactly(other.slug());
        assertThat(cell("#queue-tiers tr[data-tier='P3'] .waiting")).isEqualTo("1");
        assertThat(browser.driver.findElements(By.cssSelector("#queue-tiers tr[data-tier='P1']"))).isEmpty();
    }

    @Test
    void anAnalystsFormsAreRefusedAndChangeNothing() throws Exception {
        Api.TestTenant tenant = Api.newTenant("admin-ui-readonly");
        long job = deadLetter(tenant);
        String analyst = AdminBrowser.newAccount("analyst", tenant.id());
        Map<String, String> session = AdminBrowser.httpSignIn(analyst, AdminBrowser.PASSWORD);
        Response queue = web().cookies(session).get("/admin/queue");
        queue.then().statusCode(200).body(containsString("data-job=\"" + job + "\""));
        assertThat(queue.asString()).doesNotContain("value=\"retry\"");
        String csrf = token(queue.asString());
        web().cookies(session).formParams(Map.of("csrf", csrf, "tenant", tenant.id(), "job",
                String.valueOf(job), "action", "retry")).post("/admin/queue").then().statusCode(400);
        web().cookies(session).formParams(Map.of("csrf", csrf, "tenant", tenant.id(), "approval",
                UUID.randomUUID().toString(), "decision", "approve")).post("/admin/approvals").then().statusCode(400);
        Api.as(tenant.key()).get("/api/v1/tasks/" + job).then().statusCode(200).body("state", equalTo("failed"));
    }

    @Test
    void aTenantAdminsFormsNamingAnotherTenantsJobOrApprovalFindNothing() throws Exception {
        Api.TestTenant own = Api.newTenant("admin-ui-mine");
        Api.TestTenant other = Api.newTenant("admin-ui-theirs");
        long theirJob = deadLetter(other);
        Api.as(other.key()).body("{\"name\":\"hold\",\"nodes\":[{\"id\":\"review\",\"kind\":\"approval\","
                + "\"label\":\"being reviewed\"}]}").post("/api/v1/workflows").then().statusCode(201);
        Api.as(other.key()).body("{\"workflow\":\"hold\"}").post("/api/v1/runs").then().statusCode(201);
        String theirApproval = awaitPendingApproval(other);

        Map<String, String> session = AdminBrowser.httpSignIn(AdminBrowser.newAccount("tenant-admin", own.id()),
                AdminBrowser.PASSWORD);
        String csrf = token(web().cookies(session).get("/admin/queue").asString());
        web().cookies(session).redirects().follow(false).formParams(Map.of("csrf", csrf, "tenant", other.id(),
                "job", String.valueOf(theirJob), "action", "retry")).post("/admin/queue").then().statusCode(302)
                .header("Location", endsWith("?tenant=" + own.id() + "&done=unknown"));
        web().cookies(session).redirects().follow(false).formParams(Map.of("csrf", csrf, "tenant", other.id(),
                "approval", theirApproval, "decision", "approve", "comment", "not mine")).post("/admin/approvals")
                .then().statusCode(302).header("Location", endsWith("?tenant=" + own.id() + "&done=unknown"));

        Api.as(other.key()).get("/api/v1/tasks/" + theirJob).then().statusCode(200).body("state", equalTo("failed"));
        Api.as(other.key()).get("/api/v1/approvals/" + theirApproval).then().statusCode(200)
                .body("state", equalTo("pending"));
        Api.as(own.key()).get("/api/v1/audit?action=admin.dead-letter.retried").then().statusCode(200)
                .body("$", hasSize(0));
    }

    @Test
    void signingInAndOutIsAudited() throws Exception {
        Api.TestTenant tenant = Api.newTenant("admin-ui-audited");
        String boss = AdminBrowser.newAccount("tenant-admin", tenant.id());
        browser.signIn(boss, AdminBrowser.PASSWORD);
        browser.driver.findElement(By.id("signout")).click();
        waitFor(By.id("email"));
        Api.as(tenant.key()).get("/api/v1/audit?actor=admin:" + boss).then().statusCode(200)
                .body("action", equalTo(List.of("admin.signed-out", "admin.signed-in")));

        browser.signInAsOperator();
        try (Connection db = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             Statement sql = db.createStatement();
             ResultSet logged = sql.executeQuery("SELECT principal FROM tenancy.platform_access_log"
                     + " WHERE operation = 'admin.signed-in' AND target = '" + StewardServer.rig().adminEmail()
                     + "' ORDER BY id DESC LIMIT 1")) {
            assertThat(logged.next()).isTrue();
            assertThat(logged.getString(1)).isEqualTo("operator:ui:" + StewardServer.rig().adminEmail());
        }
    }

    @Test
    void pagesCarrySecurityHeadersAndSignedOutVisitorsAreSentToSignIn() {
        web().redirects().follow(false).get("/admin/tenants").then().statusCode(302)
                .header("Location", endsWith("/admin/signin"));
        web().get("/admin/signin").then().statusCode(200)
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Frame-Options", "DENY").header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", containsString("no-store")).body(containsString("name=\"csrf\""));
        String cookie = web().get("/admin/signin").getHeader("Set-Cookie");
        assertThat(cookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
        web().get("/admin/static/admin.css").then().statusCode(200).contentType(containsString("text/css"));
        web().get("/admin/static/..%2Fsignin.jsp").then().statusCode(404);
    }

    @Test
    void aFormWithoutItsTokenIsRefused() {
        web().formParams(Map.of("email", StewardServer.rig().adminEmail(), "password",
                StewardServer.rig().adminPassword())).post("/admin/signin").then().statusCode(403);
        Response page = web().get("/admin/signin");
        web().cookies(page.getCookies()).formParams(Map.of("csrf", "forged", "email",
                StewardServer.rig().adminEmail(), "password", StewardServer.rig().adminPassword()))
                .post("/admin/signin").then().statusCode(403);
        web().post("/admin/signout").then().statusCode(403);
    }

    @Test
    void repeatedFailuresLockTheAccount() {
        Api.TestTenant tenant = Api.newTenant("admin-ui-lock");
        String email = "target-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        account(email, "the right password", "tenant-admin", tenant.id()).then().statusCode(200);
        Response page = web().get("/admin/signin");
        String token = token(page.asString());
        for (int i = 0; i < 5; i++) {
            web().cookies(page.getCookies()).formParams(Map.of("csrf", token, "email", email,
                    "password", "a wrong password " + i)).post("/admin/signin").then().statusCode(401)
                    .body(containsString("The email or the password is wrong."));
        }
        web().cookies(page.getCookies()).formParams(Map.of("csrf", token, "email", email,
                "password", "the right password")).post("/admin/signin").then().statusCode(401)
                .body(containsString("locked"));
        // The operator resets it: a new password unlocks it.
        account(email, "another right password", "tenant-admin", tenant.id()).then().statusCode(200);
        web().cookies(page.getCookies()).formParams(Map.of("csrf", token, "email", email,
                "password", "another right password")).redirects().follow(false).post("/admin/signin").then()
                .statusCode(302).header("Location", endsWith("/admin/tenants"));
    }

    @Test
    void accountsAreTheOperatorsAndCheckedFieldByField() {
        Api.TestTenant tenant = Api.newTenant("admin-ui-accounts");
        Api.asOperator().body("{\"password\":\"short\",\"role\":\"boss\"}").put("/api/v1/admin/accounts/x@y.example")
                .then().statusCode(400).body("errors.field", hasItems("password", "role"));
        Api.asOperator().body("{\"password\":\"long enough password\",\"role\":\"tenant-admin\"}")
                .put("/api/v1/admin/accounts/x@y.example").then().statusCode(400)
                .body("errors.field", equalTo(List.of("tenantId")));
        Api.asOperator().body("{\"password\":\"long enough password\",\"role\":\"operator\",\"tenantId\":\""
                + tenant.id() + "\"}").put("/api/v1/admin/accounts/x@y.example").then().statusCode(400)
                .body("errors.field", equalTo(List.of("tenantId")));
        Api.as(tenant.key()).body("{\"password\":\"long enough password\",\"role\":\"operator\"}")
                .put("/api/v1/admin/accounts/x@y.example").then().statusCode(401);
    }

    /** A noop job that failed for good in {@code tenant}: a dead letter. */
    private static long deadLetter(Api.TestTenant tenant) throws Exception {
        try (Connection db = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             Statement sql = db.createStatement();
             ResultSet row = sql.executeQuery("INSERT INTO dispatch.jobs (tenant_id, kind, state, attempt,"
                     + " max_attempts, last_error, finished_at) VALUES ('" + tenant.id() + "', 'noop', 'failed', 5, 5,"
                     + " 'gave up for the test', now()) RETURNING id")) {
            row.next();
            return row.getLong(1);
        }
    }

    private static String cell(String css) {
        return browser.driver.findElement(By.cssSelector(css)).getText();
    }

    private static void signIn(String email, String password) {
        browser.signIn(email, password);
    }

    private static String awaitPendingApproval(Api.TestTenant tenant) {
        for (int i = 0; i < 100; i++) {
            List<String> ids = Api.as(tenant.key()).get("/api/v1/approvals?status=pending").then().extract()
                    .jsonPath().getList("id");
            if (!ids.isEmpty()) {
                return ids.get(0);
            }
            Tasks.pause(100);
        }
        throw new AssertionError("no approval came to wait");
    }

    private static void waitFor(By what) {
        browser.waitFor(what);
    }

    private static void screenshot(String name) throws IOException {
        browser.screenshot(name);
    }
}
