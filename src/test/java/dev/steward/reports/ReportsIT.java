package dev.steward.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.testing.Api;
import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.StewardServer;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The analysts' reports, each run with psql exactly as its header says, against usage, queue, approval, budget and
 * channel data seeded with known numbers (in January 2020, which no other test touches): every figure is checked.
 * A platform analyst sees both tenants; a tenant analyst sees its own even when it sets another tenant in the
 * session, and neither can write.
 */
@ExtendWith(StewardServer.class)
class ReportsIT {

    private static final String FROM = "from=2020-01-01";
    private static final String TO = "to=2020-02-01";
    private static Api.TestTenant a;
    private static Api.TestTenant b;
    private static String platformAnalyst;
    private static String analystOfA;
    private static final String RUN = UUID.randomUUID().toString();

    @BeforeAll
    static void seed() throws SQLException {
        a = Api.newTenant("reports-a");
        b = Api.newTenant("reports-b");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        platformAnalyst = "platform_" + suffix;
        analystOfA = "analyst_" + suffix;
        String agent = UUID.randomUUID().toString();
        String workflow = UUID.randomUUID().toString();
        try (Connection db = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             Statement sql = db.createStatement()) {
            sql.execute("CREATE ROLE " + platformAnalyst + " LOGIN IN ROLE steward_platform_analyst");
            sql.execute("CREATE ROLE " + analystOfA + " LOGIN IN ROLE steward_analyst");
            sql.execute("INSERT INTO reporting.analysts (tenant_id, role_name) VALUES ('" + a.id() + "', '"
                    + analystOfA + "')");
            sql.execute("INSERT INTO agents.agents (tenant_id, id, name, kind, current_version) VALUES ('" + a.id()
                    + "', '" + agent + "', 'writer', 'llm', 2)");
            version(sql, agent, 1, "{\"kind\":\"llm\",\"model\":\"m1\"}");
            version(sql, agent, 2, "{\"kind\":\"llm\",\"model\":\"m1\",\"fallbackModels\":[\"m2\"]}");
            // A: two calls on day 1 in one session (the second answered by version 2's fallback model), on day 2
            // one for a workflow run and one that failed. B: one call on day 1.
            usage(sql, a, "2020-01-01 10:00Z", "'" + agent + "', 1", "m1", "p1", "s-1", 100, 50, 10, 100, "0.10",
                    "ok");
            usage(sql, a, "2020-01-01 11:00Z", "'" + agent + "', 2", "m2", "p1", "s-1", 200, 100, 0, 300, "0.20",
                    "ok");
            usage(sql, a, "2020-01-02 09:00Z", "'" + agent + "', 2", "m1", "p2", "run:" + RUN, 300, 150, 30, 200,
                    "0.30", "ok");
            usage(sql, a, "2020-01-02 10:00Z", "'" + agent + "', 1", "m1", "p1", "s-3", 10, 5, 0, 400, "0.00",
                    "failed");
            usage(sql, b, "2020-01-01 12:00Z", "NULL, NULL", "m1", "p1", "s-2", 1000, 500, 0, 50, "5.00", "ok");

            sql.execute("INSERT INTO orchestration.definitions (tenant_id, id, kind, name, current_version) VALUES ('"
                    + a.id() + "', '" + workflow + "', 'workflow', 'wf', 1)");
            sql.execute("INSERT INTO orchestration.definition_versions (tenant_id, definition_id, version, body,"
                    + " created_by) VALUES ('" + a.id() + "', '" + workflow + "', 1, '{}', 'test')");
            sql.execute("INSERT INTO orchestration.runs (tenant_id, id, workflow_id, workflow_version, on_locked,"
                    + " trigger, state, created_at) VALUES ('" + a.id() + "', '" + RUN + "', '" + workflow
                    + "', 1, 'wait', '{}', 'succeeded', '2020-01-02 08:00Z')");
            approval(sql, "risky", "approved", "'2020-01-02 08:11Z'");
            approval(sql, "risky", "denied", "'2020-01-02 08:13Z'");
            approval(sql, "outbound", "pending", "NULL");
            approval(sql, "risky", "expired", "'2020-01-09 08:10Z'"); // no one decided: not a turnaround

            // Queue waits: A's four P1 jobs waited 100 to 400 ms, B's P2 job 1 s. Dead letters, which are kept.
            for (int millis : new int[]{100, 200, 300, 400}) {
                job(sql, a, 1, millis);
            }
            job(sql, a, 1, -5000); // retried: its due time moved past its first start, so its wait is unknown
            // Held back: one ran after two deferrals by a limit (and one by its handler); two wait on limits now.
            sql.execute("UPDATE dispatch.jobs SET deferrals = 3, dependency_deferrals = 1 WHERE id = (SELECT max(id)"
                    + " FROM dispatch.jobs WHERE tenant_id = '" + a.id() + "')");
            waiting(sql, "tenant-concurrency");
            waiting(sql, "channel-daily-cap");
            job(sql, b, 2, 1000);

            sql.execute("INSERT INTO quota.limits (tenant_id, subject, monthly_budget) VALUES ('" + a.id()
                    + "', 'tenant', 10.00)");
            channel(sql, "news", "100", "'smtp'", 25);
            channel(sql, "promo", "NULL", "'gmail'", 500);
            channel(sql, "plain", "NULL", "NULL", 10);
        }
    }

    @Test
    void costPerTenantPerDay() throws Exception {
        assertThat(ours(report(platformAnalyst, "cost_by_tenant_day.sql", FROM, TO))).containsExactly(
                "tenant,day,calls,input_tokens,output_tokens,cached_tokens,cost",
                a.slug() + ",2020-01-01,2,300,150,10,0.300000",
                b.slug() + ",2020-01-01,1,1000,500,0,5.000000",
                a.slug() + ",2020-01-02,2,310,155,30,0.300000");
    }

    @Test
    void aTenantAnalystSeesItsTenantOnlyWhateverTenantItSets() throws Exception {
        List<String> own = List.of("tenant,day,calls,input_tokens,output_tokens,cached_tokens,cost",
                a.slug() + ",2020-01-01,2,300,150,10,0.300000", a.slug() + ",2020-01-02,2,310,155,30,0.300000");
        assertThat(report(analystOfA, "cost_by_tenant_day.sql", FROM, TO)).isEqualTo(own);
        assertThat(report(analystOfA, "SET app.tenant_id = '" + b.id() + "'", "cost_by_tenant_day.sql", FROM, TO))
                .isEqualTo(own);
        assertThat(report(analystOfA, "queue_wait_percentiles.sql", FROM, TO)).doesNotContain(
                "P2," + b.slug() + ",1,1000.0,1000.0,1000.0");
    }

    @Test
    void costPerAgentVersionAndPerModelAndProvider() throws Exception {
        assertThat(report(analystOfA, "cost_by_agent_version.sql", FROM, TO)).containsExactly(
                "tenant,agent,agent_version,calls,tokens,cost",
                a.slug() + ",writer,2,2,750,0.500000",
                a.slug() + ",writer,1,2,165,0.100000");
        assertThat(report(analystOfA, "cost_by_model_provider.sql", FROM, TO)).containsExactly(
                "tenant,provider,model,calls,tokens,cost,mean_latency_ms",
                a.slug() + ",p2,m1,1,450,0.300000,200",
                a.slug() + ",p1,m2,1,300,0.200000,300",
                a.slug() + ",p1,m1,2,165,0.100000,250");
    }

    @Test
    void tokenUsageSplitsInputOutputAndCached() throws Exception {
        assertThat(report(analystOfA, "token_usage.sql", FROM, TO)).containsExactly(
                "tenant,model,input_tokens,output_tokens,cached_tokens,cached_share",
                a.slug() + ",m1,410,205,40,0.0976",
                a.slug() + ",m2,200,100,0,0.0000");
    }

    @Test
    void theMostExpensiveSessionsAndRuns() throws Exception {
        assertThat(report(analystOfA, "top_sessions.sql", FROM, TO)).containsExactly(
                "tenant,session_id,agent,calls,tokens,cost", a.slug() + ",s-1,writer,2,450,0.300000",
                a.slug() + ",s-3,writer,1,15,0.000000");
        assertThat(report(analystOfA, "top_workflow_runs.sql", FROM, TO)).containsExactly(
                "tenant,run_id,workflow,state,calls,tokens,cost",
                a.slug() + "," + RUN + ",wf,succeeded,1,450,0.300000");
    }

    @Test
    void budgetBurnDownAndForecast() throws Exception {
        // Half of January gone (15.5 of 31 days), 0.60 of 10.00 spent: 1.20 by the month's end at this pace.
        assertThat(ours(report(platformAnalyst, "budget_burn.sql", "as_of=2020-01-16T12:00:00Z"))).containsExactly(
                "tenant,monthly_budget,spent,used_share,forecast,status",
                a.slug() + ",10.00,0.60,0.0600,1.20,ok",
                b.slug() + ",,5.00,,10.00,no budget");
        // Past 5% used is past an alert line set at 5%.
        assertThat(ours(report(platformAnalyst, "budget_burn.sql", "as_of=2020-01-16T12:00:00Z", "alert_percent=5")))
                .contains(a.slug() + ",10.00,0.60,0.0600,1.20,alert");
    }

    @Test
    void queueWaitPercentilesByTierAndTenant() throws Exception {
        assertThat(ours(report(platformAnalyst, "queue_wait_percentiles.sql", FROM, TO))).containsExactly(
                "tier,tenant,jobs,p50_ms,p95_ms,p99_ms",
                "P1," + a.slug() + ",4,250.0,385.0,397.0",
                "P2," + b.slug() + ",1,1000.0,1000.0,1000.0");
    }

    @Test
    void channelCapUtilizationAndApprovalTurnaround() throws Exception {
        assertThat(report(analystOfA, "channel_cap_utilization.sql", "day=2020-01-16", "smtp_per_day=40"))
                .containsExactly("tenant,channel,per_day,sent,used_share", a.slug() + ",news,100,25,0.2500",
                        a.slug() + ",plain,40,10,0.2500", a.slug() + ",promo,2000,500,0.2500");
        assertThat(report(analystOfA, "approval_turnaround.sql", FROM, TO)).containsExactly(
                "tenant,reason,asked,approved,denied,expired,cancelled,pending,p50_seconds,p95_seconds",
                a.slug() + ",outbound,1,0,0,0,0,1,,",
                a.slug() + ",risky,3,1,1,1,0,0,120.0,174.0");
    }

    @Test
    void quotaPressureCountsWhatLimitsHeldBack() throws Exception {
        assertThat(report(analystOfA, "quota_pressure.sql", FROM, TO)).containsExactly(
                "tenant,tier,jobs,held_back,deferrals,waiting_now,waiting_on",
                a.slug() + ",P1,5,1,2,0,",
                a.slug() + ",P2,2,2,2,2,channel-daily-cap tenant-concurrency");
    }

    @Test
    void modelErrorAndFallbackRates() throws Exception {
        assertThat(ours(report(platformAnalyst, "model_error_rates.sql", FROM, TO))).containsExactly(
                "tenant,provider,model,calls,failed,error_rate,fallbacks,fallback_rate",
                a.slug() + ",p1,m1,2,1,0.5000,0,0.0000",
                a.slug() + ",p1,m2,1,0,0.0000,1,1.0000",
                a.slug() + ",p2,m1,1,0,0.0000,0,0.0000",
                b.slug() + ",p1,m1,1,0,0.0000,0,0.0000");
    }

    /**
     * The admin UI's CSV of every report, downloaded by tenant A's admin (A's scope), is line for line what psql gives
     * A's analyst (bound to A by row-level security) from the same file with the same variables.
     */
    @Test
    void theAdminUisCsvOfEveryReportIsWhatPsqlGives() throws Exception {
        String email = "reports-admin-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Api.asOperator().body("{\"password\":\"a long enough password\",\"role\":\"tenant-admin\",\"tenantId\":\""
                + a.id() + "\"}").put("/api/v1/admin/accounts/" + email).then().statusCode(200);
        Map<String, String> session = adminSession(email, "a long enough password");
        String[] variables = {FROM, TO, "as_of=2020-01-16T12:00:00Z", "alert_percent=80", "day=2020-01-16",
                "smtp_per_day=40"};
        List<String> files;
        try (Stream<Path> listed = Files.list(Path.of("reports"))) {
            files = listed.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".sql")).sorted()
                    .toList();
        }
        assertThat(files).hasSize(12);
        for (String file : files) {
            List<String> arguments = new ArrayList<>(List.of(file));
            arguments.addAll(List.of(variables));
            List<String> psql = report(analystOfA, arguments.toArray(String[]::new));
            String csv = RestAssured.given().baseUri(StewardServer.rig().baseUri()).cookies(session)
                    .get("/admin/reports/" + file.replace(".sql", ".csv") + "?" + String.join("&", variables))
                    .then().statusCode(200).extract().asString();
            assertThat(csv.lines().toList()).as(file).isEqualTo(psql).hasSizeGreaterThan(1);
        }
    }

    /** A signed-in admin UI session's cookies (the sign-in form with its CSRF token, as a browser sends it). */
    private static Map<String, String> adminSession(String email, String password) {
        Response page = RestAssured.given().baseUri(StewardServer.rig().baseUri()).get("/admin/signin");
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.asString());
        assertThat(csrf.find()).isTrue();
        Response signedIn = RestAssured.given().baseUri(StewardServer.rig().baseUri()).cookies(page.getCookies())
                .formParams(Map.of("csrf", csrf.group(1), "email", email, "password", password))
                .redirects().follow(false).post("/admin/signin");
        signedIn.then().statusCode(302);
        return signedIn.getCookies();
    }

    @Test
    void analystsCannotWrite() throws SQLException {
        for (String role : List.of(analystOfA, platformAnalyst)) {
            try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:"
                    + StewardServer.rig().databasePort() + "/" + StewardServer.DATABASE, role, "");
                 Statement sql = db.createStatement()) {
                assertThatThrownBy(() -> sql.executeUpdate("UPDATE billing.usage_events SET cost = 0"))
                        .hasMessageContaining("permission denied");
                assertThatThrownBy(() -> sql.executeUpdate("INSERT INTO reporting.analysts (tenant_id, role_name)"
                        + " VALUES ('" + b.id() + "', current_user)")).hasMessageContaining("permission denied");
                assertThatThrownBy(() -> sql.executeUpdate("DELETE FROM quota.limits"))
                        .hasMessageContaining("permission denied");
            }
        }
    }

    /** The report's CSV lines: run by psql as {@code role}, after the statements given before the file, if any. */
    private static List<String> report(String role, String... commandsFileAndVariables)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("psql", "-X", "-q", "--csv", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", String.valueOf(StewardServer.rig().databasePort()), "-U", role,
                "-d", StewardServer.DATABASE));
        int file = 0;
        while (!commandsFileAndVariables[file].endsWith(".sql")) {
            command.addAll(List.of("-c", commandsFileAndVariables[file++]));
        }
        for (String variable : Arrays.copyOfRange(commandsFileAndVariables, file + 1,
                commandsFileAndVariables.length)) {
            command.addAll(List.of("-v", variable));
        }
        command.addAll(List.of("-f", "reports/" + commandsFileAndVariables[file]));
        Process psql = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(psql.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(psql.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    /** The header and this test's tenants' rows: a platform analyst sees every tenant the other tests made too. */
    private static List<String> ours(List<String> lines) {
        List<String> kept = new ArrayList<>(List.of(lines.get(0)));
        lines.stream().skip(1).filter(line -> {
            List<String> fields = List.of(line.split(",", -1));
            return fields.contains(a.slug()) || fields.contains(b.slug());
        }).forEach(kept::add);
        return kept;
    }

    private static void usage(Statement sql, Api.TestTenant tenant, String at, String agent, String model,
                              String provider, String session, int input, int output, int cached, int latency,
                              String cost, String outcome) throws SQLException {
        sql.execute("INSERT INTO billing.usage_events (tenant_id, occurred_at, agent_id, agent_version, model,"
                + " provider, session_id, input_tokens, output_tokens, cached_tokens, latency_ms, cost, outcome)"
                + " VALUES ('" + tenant.id() + "', '" + at + "', " + agent + ", '" + model + "', '" + provider
                + "', '" + session + "', " + input + ", " + output + ", " + cached + ", " + latency + ", " + cost
                + ", '" + outcome + "')");
    }

    private static void version(Statement sql, String agent, int version, String config) throws SQLException {
        sql.execute("INSERT INTO agents.agent_versions (tenant_id, agent_id, version, config, sha256, created_by)"
                + " VALUES ('" + a.id() + "', '" + agent + "', " + version + ", '" + config + "', repeat('" + version
                + "', 64), 'test')");
    }

    private static void channel(Statement sql, String name, String perDay, String type, int sentOnTheDay)
            throws SQLException {
        sql.execute("INSERT INTO quota.limits (tenant_id, subject, per_day, channel_type) VALUES ('" + a.id()
                + "', 'channel:" + name + "', " + perDay + ", " + type + ")");
        sql.execute("INSERT INTO quota.usage (tenant_id, subject, day, day_used) VALUES ('" + a.id() + "', 'channel:"
                + name + "', '2020-01-16', " + sentOnTheDay + ")");
    }

    private static void approval(Statement sql, String reason, String state, String decidedAt) throws SQLException {
        sql.execute("INSERT INTO orchestration.approvals (tenant_id, id, run_id, node, action, reason, state,"
                + " expires_at, created_at, decided_at) VALUES ('" + a.id() + "', '" + UUID.randomUUID() + "', '"
                + RUN + "', 'n', '{}', '" + reason + "', '" + state + "', '2020-01-09Z', '2020-01-02 08:10Z', "
                + decidedAt + ")");
    }

    /** A P2 job of A's, created in the window, not due until far ahead, held back once by {@code constraint}. */
    private static void waiting(Statement sql, String constraint) throws SQLException {
        sql.execute("INSERT INTO dispatch.jobs (tenant_id, kind, priority, state, run_at, created_at, deferrals,"
                + " deferred_by) VALUES ('" + a.id() + "', 'noop', 2, 'scheduled', '2100-01-01Z', '2020-01-01 00:00Z',"
                + " 1, '" + constraint + "')");
    }

    private static void job(Statement sql, Api.TestTenant tenant, int priority, int waitMillis) throws SQLException {
        sql.execute("INSERT INTO dispatch.jobs (tenant_id, kind, priority, state, run_at, created_at, started_at,"
                + " finished_at, last_error) VALUES ('" + tenant.id() + "', 'noop', " + priority + ", 'failed',"
                + " '2020-01-01 00:00Z', '2020-01-01 00:00Z', '2020-01-01 00:00Z'::timestamptz + interval '"
                + waitMillis + " milliseconds', '2020-01-01 00:01Z', 'seeded for the reports')");
    }
}
