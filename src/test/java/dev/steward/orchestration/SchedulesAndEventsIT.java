package dev.steward.orchestration;

import static dev.steward.orchestration.RunsApi.await;
import static dev.steward.orchestration.RunsApi.awaitRun;
import static dev.steward.orchestration.RunsApi.node;
import static dev.steward.orchestration.RunsApi.post;
import static dev.steward.orchestration.RunsApi.startRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.steward.testing.Api;
import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.StewardServer;
import dev.steward.testing.Tasks;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Triggers written as cron (a routing rule on a schedule fires its workflow once per fire time) and workflow nodes
 * that wait for an event (an API trigger or a record change wakes them when their condition holds, or their timeout
 * does), each within its tenant.
 */
@ExtendWith(StewardServer.class)
class SchedulesAndEventsIT {

    private static final String DONE = "{\"id\":\"done\",\"kind\":\"wait\",\"seconds\":0}";

    @Test
    void aRuleOnAScheduleStartsItsWorkflowOncePerFireTime() throws SQLException {
        Api.TestTenant tenant = Api.newTenant("wf-cron");
        String workflow = post(tenant, "/api/v1/workflows", "{\"name\":\"nightly\",\"nodes\":[" + DONE + "]}");
        String rule = post(tenant, "/api/v1/routing-rules", "{\"name\":\"nightly\",\"on\":{\"schedule\":"
                + "\"0 2 * * *\",\"timezone\":\"Europe/Berlin\"},\"workflow\":\"nightly\"}");
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        Instant nextTwoAm = nextTwoAm(berlin);
        Api.as(tenant.key()).get("/api/v1/routing-rules/" + rule).then().statusCode(200)
                .body("on.schedule", equalTo("0 2 * * *")).body("nextFireAt", equalTo(nextTwoAm.toString()));
        Api.as(tenant.key()).get("/api/v1/routing-rules").then().body("nextFireAt", hasItem(nextTwoAm.toString()));

        // 02:00 comes (the clock is moved, not waited for): one run, however many ticks of the clock look.
        setNextFire(rule, "now() - interval '1 minute'");
        String run = await(() -> Api.as(tenant.key()).get("/api/v1/runs?workflow=" + workflow).then().extract()
                .path("[0].id"));
        JsonPath done = awaitRun(tenant, run, r -> "succeeded".equals(r.getString("state")));
        assertThat(done.getString("trigger.event")).isEqualTo("schedule");
        assertThat(done.getString("trigger.data.rule")).isEqualTo("nightly");
        assertThat(done.getString("record")).isNull();
        Tasks.pause(2500);
        Api.as(tenant.key()).get("/api/v1/runs?workflow=" + workflow).then().body("size()", equalTo(1));
        Api.as(tenant.key()).get("/api/v1/routing-rules/" + rule).then()
                .body("nextFireAt", equalTo(nextTwoAm(berlin).toString()));
        Api.as(tenant.key()).get("/api/v1/audit?run=" + run).then().body("action", hasItem("run.succeeded"));

        // Another tenant neither sees the rule nor fires it.
        Api.TestTenant other = Api.newTenant("wf-cron-other");
        Api.as(other.key()).get("/api/v1/routing-rules/" + rule).then().statusCode(404);
        Api.as(other.key()).get("/api/v1/runs").then().body("size()", equalTo(0));

        // A deleted rule's schedule goes with it.
        Api.as(tenant.key()).delete("/api/v1/routing-rules/" + rule).then().statusCode(204);
        assertThat(scheduleRows(rule)).isZero();
    }

    @Test
    void badSchedulesAreRefusedNamingTheField() {
        Api.TestTenant tenant = Api.newTenant("wf-cron-bad");
        post(tenant, "/api/v1/workflows", "{\"name\":\"nightly\",\"nodes\":[" + DONE + "]}");
        refused(tenant, "{\"schedule\":\"61 * * * *\"}", "on.schedule", "minute: 61 is outside 0-59");
        refused(tenant, "{\"schedule\":\"0 0 31 2 *\"}", "on.schedule", "never fires");
        refused(tenant, "{\"schedule\":\"@daily\",\"timezone\":\"Mars/Olympus\"}", "on.timezone",
                "must be a time zone such as Europe/Berlin or UTC");
        refused(tenant, "{\"schedule\":\"@daily\",\"event\":\"record.created\"}", "on.schedule",
                "a rule fires on an event or on a schedule, not both");
        Api.as(tenant.key()).get("/api/v1/routing-rules").then().body("size()", equalTo(0));
    }

    @Test
    void aWaitingNodeWakesForItsEventOnItsRecordWhenItsConditionHolds() {
        Api.TestTenant tenant = Api.newTenant("wf-await");
        post(tenant, "/api/v1/workflows", "{\"name\":\"collect\",\"nodes\":[{\"id\":\"paid\",\"kind\":\"wait\","
                + "\"event\":\"payment.received\",\"when\":{\"path\":\"event.data.amount\",\"op\":\"gte\","
                + "\"value\":100},\"timeoutSeconds\":3600},{\"id\":\"thank\",\"kind\":\"wait\",\"seconds\":0},"
                + "{\"id\":\"chase\",\"kind\":\"wait\",\"seconds\":0}],\"edges\":[{\"from\":\"paid\",\"to\":\"thank\","
                + "\"when\":{\"path\":\"outputs.paid.timedOut\",\"op\":\"ne\",\"value\":true}},{\"from\":\"paid\","
                + "\"to\":\"chase\",\"when\":{\"path\":\"outputs.paid.timedOut\",\"op\":\"eq\",\"value\":true}}]}");
        String first = post(tenant, "/api/v1/records", "{\"type\":\"account\",\"fields\":{\"name\":\"First\"}}");
        String second = post(tenant, "/api/v1/records", "{\"type\":\"account\",\"fields\":{\"name\":\"Second\"}}");
        String one = startRun(tenant, "{\"workflow\":\"collect\",\"record\":\"" + first + "\"}", null).then()
                .statusCode(201).extract().path("id");
        String two = startRun(tenant, "{\"workflow\":\"collect\",\"record\":\"" + second + "\"}", null).then()
                .statusCode(201).extract().path("id");
        JsonPath waiting = awaitRun(tenant, one, r -> "waiting".equals(node(r, "paid", "state")));
        assertThat(node(waiting, "paid", "output.awaiting")).isEqualTo("payment.received");
        awaitRun(tenant, two, r -> "waiting".equals(node(r, "paid", "state")));

        // Too little: the condition does not hold and nothing wakes.
        trigger(tenant, "{\"event\":\"payment.received\",\"record\":\"" + first + "\",\"data\":{\"amount\":50}}")
                .statusCode(200).body("routed", equalTo(false)).body("woke.size()", equalTo(0));
        // Another tenant's event of the same name, about no record, reaches none of this tenant's runs.
        Api.TestTenant other = Api.newTenant("wf-await-other");
        trigger(other, "{\"event\":\"payment.received\",\"data\":{\"amount\":500}}").statusCode(200)
                .body("woke.size()", equalTo(0));
        // Enough, on the first record: only the first run wakes, and takes the paid branch.
        trigger(tenant, "{\"event\":\"payment.received\",\"record\":\"" + first + "\",\"data\":{\"amount\":150}}")
                .statusCode(202).body("woke.run", equalTo(List.of(one))).body("woke.node", equalTo(List.of("paid")));
        JsonPath paid = awaitRun(tenant, one, r -> "succeeded".equals(r.getString("state")));
        assertThat(node(paid, "paid", "output.data.amount")).isEqualTo("150");
        assertThat(node(paid, "thank", "state")).isEqualTo("succeeded");
        assertThat(node(paid, "chase", "state")).isEqualTo("skipped");
        Api.as(tenant.key()).get("/api/v1/runs/" + two).then().body("state", equalTo("running"));
        Api.as(tenant.key()).get("/api/v1/audit?run=" + one).then().body("action", hasItem("run.event"));

        // Cancelled, the second run waits for nothing more: a later event wakes no node of it.
        Api.as(tenant.key()).post("/api/v1/runs/" + two + "/cancel").then().statusCode(200);
        trigger(tenant, "{\"event\":\"payment.received\",\"record\":\"" + second + "\",\"data\":{\"amount\":900}}")
                .statusCode(200).body("woke.size()", equalTo(0));
    }

    @Test
    void aRecordChangeWakesANodeWaitingForItAndATimeoutTakesTheOtherBranch() {
        Api.TestTenant tenant = Api.newTenant("wf-await-record");
        // No routing rules: the tenant's record changes become triggers because a node waits for one.
        post(tenant, "/api/v1/workflows", "{\"name\":\"signature\",\"nodes\":[{\"id\":\"signed\",\"kind\":\"wait\","
                + "\"event\":\"record.updated\",\"when\":{\"path\":\"event.record.fields.status\",\"op\":\"eq\","
                + "\"value\":\"signed\"}}," + DONE + "],\"edges\":[{\"from\":\"signed\",\"to\":\"done\"}]}");
        post(tenant, "/api/v1/workflows", "{\"name\":\"reminder\",\"nodes\":[{\"id\":\"reply\",\"kind\":\"wait\","
                + "\"event\":\"customer.replied\",\"timeoutSeconds\":1},{\"id\":\"chase\",\"kind\":\"wait\","
                + "\"seconds\":0}],\"edges\":[{\"from\":\"reply\",\"to\":\"chase\",\"when\":{\"path\":"
                + "\"outputs.reply.timedOut\",\"op\":\"eq\",\"value\":true}}]}");
        String deal = post(tenant, "/api/v1/records", "{\"type\":\"opportunity\",\"fields\":{\"status\":\"sent\"}}");
        String run = startRun(tenant, "{\"workflow\":\"signature\",\"record\":\"" + deal + "\"}", null).then()
                .statusCode(201).extract().path("id");
        awaitRun(tenant, run, r -> "waiting".equals(node(r, "signed", "state")));

        update(tenant, deal, "{\"fields\":{\"status\":\"viewed\"},\"version\":1}");
        Tasks.pause(1500);
        Api.as(tenant.key()).get("/api/v1/runs/" + run).then().body("state", equalTo("running"));
        update(tenant, deal, "{\"fields\":{\"status\":\"signed\"},\"version\":2}");
        JsonPath signed = awaitRun(tenant, run, r -> "succeeded".equals(r.getString("state")));
        assertThat(node(signed, "signed", "output.event")).isEqualTo("record.updated");
        assertThat(node(signed, "signed", "output.record")).isEqualTo(deal);

        String reminder = startRun(tenant, "{\"workflow\":\"reminder\"}", null).then().statusCode(201).extract()
                .path("id");
        JsonPath timedOut = awaitRun(tenant, reminder, r -> "succeeded".equals(r.getString("state")));
        assertThat(node(timedOut, "reply", "output.timedOut")).isEqualTo("true");
        assertThat(node(timedOut, "chase", "state")).isEqualTo("succeeded");
    }

    @Test
    void badWaitNodesAreRefusedNamingTheField() {
        Api.TestTenant tenant = Api.newTenant("wf-await-bad");
        Api.as(tenant.key()).body("{\"name\":\"w\",\"nodes\":[{\"id\":\"a\",\"kind\":\"wait\",\"seconds\":5,"
                + "\"event\":\"x.y\"},{\"id\":\"b\",\"kind\":\"wait\",\"event\":\"Not An Event\"},{\"id\":\"c\","
                + "\"kind\":\"wait\",\"event\":\"ok\",\"timeoutSeconds\":0,\"when\":{\"op\":\"eq\"}}]}")
                .post("/api/v1/workflows").then().statusCode(400)
                .body("errors.field", hasItem("nodes[0].seconds")).body("errors.field", hasItem("nodes[1].event"))
                .body("errors.field", hasItem("nodes[2].timeoutSeconds"))
                .body("errors.field", hasItem("nodes[2].when.path"));
    }

    private static io.restassured.response.ValidatableResponse trigger(Api.TestTenant tenant, String body) {
        return Api.as(tenant.key()).body(body).post("/api/v1/triggers").then();
    }

    private static void update(Api.TestTenant tenant, String record, String body) {
        Api.as(tenant.key()).body(body).put("/api/v1/records/" + record).then().statusCode(200);
    }

    private static void refused(Api.TestTenant tenant, String on, String field, String detail) {
        Api.as(tenant.key()).body("{\"name\":\"r\",\"on\":" + on + ",\"workflow\":\"nightly\"}")
                .post("/api/v1/routing-rules").then().statusCode(400)
                .body("errors.find { it.field == '" + field + "' }.message", equalTo(detail));
    }

    /** The next 02:00 in {@code zone} after now, as the rule's cron reads it. */
    private static Instant nextTwoAm(ZoneId zone) {
        ZonedDateTime now = ZonedDateTime.now(zone);
        LocalDate day = now.getHour() < 2 ? now.toLocalDate() : now.toLocalDate().plusDays(1);
        return day.atTime(2, 0).atZone(zone).toInstant();
    }

    private static void setNextFire(String rule, String sqlTime) throws SQLException {
        try (Connection owner = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             PreparedStatement move = owner.prepareStatement("UPDATE orchestration.schedules SET next_fire_at = "
                     + sqlTime + " WHERE rule_id = ?")) {
            move.setObject(1, UUID.fromString(rule));
            assertThat(move.executeUpdate()).isEqualTo(1);
        }
    }

    private static int scheduleRows(String rule) throws SQLException {
        try (Connection owner = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             PreparedStatement count = owner.prepareStatement("SELECT count(*) FROM orchestration.schedules"
                     + " WHERE rule_id = ?")) {
            count.setObject(1, UUID.fromString(rule));
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}
