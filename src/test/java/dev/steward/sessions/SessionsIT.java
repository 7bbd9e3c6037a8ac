package dev.steward.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.steward.testing.Api;
import dev.steward.testing.SseClient;
import dev.steward.testing.StewardServer;
import dev.steward.testing.Tasks;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sessions end to end on the built-in model: multi-turn memory, the stream's order and resumption with
 * Last-Event-ID, confirmations of writes (approve, deny, expiry), long jobs polled to the end, double texting, TTL
 * eviction, bad input, and another tenant seeing none of it.
 */
@ExtendWith(StewardServer.class)
class SessionsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aSessionRemembersEarlierTurnsAndStreamsEachInOrder() {
        Api.TestTenant tenant = Api.newTenant("sessions-memory");
        String session = startSession(tenant, agent(tenant, "memory", ""));
        try (SseClient stream = SseClient.open(events(session), tenant.key(), null)) {
            String first = send(tenant, session, "hello there");
            List<SseClient.Event> events = stream.until("turn.completed", WAIT);
            SseClient.Event completed = events.get(events.size() - 1);
            assertThat(completed.data().getString("answer")).isEqualTo("You said: hello there");
            assertThat(completed.data().getString("turnId")).isEqualTo(first);
            assertThat(events.stream().filter(e -> e.type().equals("token"))
                    .map(e -> e.data().getString("delta")).collect(Collectors.joining()))
                    .isEqualTo("You said: hello there");
            assertThat(events.stream().filter(e -> e.type().equals("turn.state"))
                    .map(e -> e.data().getString("to")).toList())
                    .containsExactly("planning", "calling_model", "responding", "done");
            assertThat(events.stream().map(SseClient.Event::id).toList()).isSorted().doesNotHaveDuplicates();
            assertThat(events.get(0).type()).isEqualTo("session.started");

            send(tenant, session, "what was my first message?");
            String answer = stream.until("turn.completed", WAIT).stream().reduce((a, b) -> b).orElseThrow()
                    .data().getString("answer");
            assertThat(answer).contains("Your first message was: hello there");
        }
        JsonPath view = Api.as(tenant.key()).get("/api/v1/sessions/" + session).then().statusCode(200)
                .extract().jsonPath();
        assertThat(view.getList("turns.state")).containsExactly("done", "done");
        assertThat(view.getInt("usage.turns")).isEqualTo(2);
        assertThat(view.getInt("usage.outputTokens")).isGreaterThan(0);
        Api.as(tenant.key()).get("/api/v1/usage?session=" + session).then().statusCode(200)
                .body("totals.calls", equalTo(2)).body("events[0].model", equalTo("steward-scripted"));
    }

    @Test
    void aClientThatReconnectsWithLastEventIdGetsExactlyWhatItMissed() {
        Api.TestTenant tenant = Api.newTenant("sessions-resume");
        String session = startSession(tenant, agent(tenant, "resume", ""));
        List<SseClient.Event> all;
        try (SseClient stream = SseClient.open(events(session), tenant.key(), null)) {
            send(tenant, session, "one two three");
            all = stream.until("turn.completed", WAIT);
        }
        long cut = all.get(3).id();
        try (SseClient resumed = SseClient.open(events(session), tenant.key(), Long.toString(cut));
             SseClient second = SseClient.open(events(session), tenant.key(), Long.toString(cut))) {
            List<SseClient.Event> rest = resumed.until("turn.completed", WAIT);
            assertThat(rest).isEqualTo(all.subList(4, all.size()));
            assertThat(second.until("turn.completed", WAIT)).isEqualTo(rest);
        }
        List<Integer> page = Api.as(tenant.key()).accept("application/json").get(events(session) + "?after=" + cut).then().statusCode(200)
                .extract().jsonPath().getList("id");
        assertThat(page.stream().map(Integer::longValue).toList())
                .isEqualTo(all.subList(4, all.size()).stream().map(SseClient.Event::id).toList());
    }

    @Test
    void aWriteWaitsForApprovalAndRunsOnceApproved() {
        Api.TestTenant tenant = Api.newTenant("sessions-approve");
        String session = startSession(tenant, agent(tenant, "writer", ",\"tools\":[\"save_note\"]"));
        try (SseClient stream = SseClient.open(events(session), tenant.key(), null)) {
            send(tenant, session, "call save_note {\"text\": \"buy milk\"}");
            SseClient.Event requested = last(stream.until("confirmation.requested", WAIT));
            assertThat(requested.data().getString("tool")).isEqualTo("save_note");
            String confirmation = requested.data().getString("confirmationId");
            Api.as(tenant.key()).get("/api/v1/sessions/" + session + "/confirmations?state=pending").then()
                    .statusCode(200).body("id", equalTo(List.of(confirmation)))
                    .body("[0].arguments.text", equalTo("buy milk"));
            Api.as(tenant.key()).get("/api/v1/sessions/" + session).then()
                    .body("turns[0].state", equalTo("awaiting_confirmation"));

            decide(tenant, session, confirmation, true).then().statusCode(200).body("state", equalTo("approved"));
            String answer = last(stream.until("turn.completed", WAIT)).data().getString("answer");
            assertThat(answer).startsWith("Tool save_note answered: Saved note ");
            decide(tenant, session, confirmation, false).then().statusCode(409)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void aDeniedOrExpiredWriteIsToldToTheModelAndNeverRuns() {
        Api.TestTenant tenant = Api.newTenant("sessions-deny");
        String session = startSession(tenant, agent(tenant, "writer", ",\"tools\":[\"save_note\"]"));
        try (SseClient stream = SseClient.open(events(session), tenant.key(), null)) {
            send(tenant, session, "call save_note {\"text\": \"no\"}");
            String confirmation = last(stream.until("confirmation.requested", WAIT)).data()
                    .getString("confirmationId");
            decide(tenant, session, confirmation, false).then().statusCode(200).body("state", equalTo("denied"));
            assertThat(last(stream.until("turn.completed", WAIT)).data().getString("answer"))
                    .isEqualTo("Tool save_note answered: The user denied this call");

            send(tenant, session, "call save_note {\"text\": \"later\"}");
            stream.until("confirmation.requested", WAIT);
            // Nobody decides: the sweep expires it (after 6 s in tests) and the turn goes on without the write.
            assertThat(last(stream.until("turn.completed", Duration.ofSeconds(30))).data().getString("answer"))
                    .isEqualTo("Tool save_note answered: Nobody approved this call in time");
        }
        Api.as(tenant.key()).get("/api/v1/sessions/" + session + "/confirmations").then().statusCode(200)
                .body("state", equalTo(List.of("denied", "expired")));
    }

    @Test
    void aLongJobIsPolledAndItsProgressStreamed() {
        Api.TestTenant tenant = Api.newTenant("sessions-poll");
        String session = startSession(tenant, agent(tenant, "waiter", ",\"tools\":[\"wait_seconds\"]"));
        try (SseClient stream = SseClient.open(events(session), tenant.key(), null)) {
            send(tenant, session, "call wait_seconds {\"seconds\": 2}");
            List<SseClient.Event> events = stream.until("turn.completed", WAIT);
            assertThat(last(events).data().getString("answer")).isEqualTo("Tool wait_seconds answered: Waited 2"
                    + " seconds");
            assertThat(events.stream().filter(e -> e.type().equals("progress")).count()).isGreaterThanOrEqualTo(2);
            assertThat(events.stream().filter(e -> e.type().equals("turn.state"))
                    .map(e -> e.data().getString("to")).toList()).contains("calling_tool", "polling");
        }
    }

    @Test
    void doubleTextingFollowsTheAgentsPolicy() {
        Api.TestTenant tenant = Api.newTenant("sessions-double");
        String tools = ",\"tools\":[\"save_note\"]";
        String rejecting = startSession(tenant, agent(tenant, "rejecting", tools + ",\"doubleTexting\":\"reject\""));
        send(tenant, rejecting, "call save_note {\"text\": \"a\"}");
        awaitTurnState(tenant, rejecting, 0, "awaiting_confirmation");
        Api.as(tenant.key()).body("{\"input\":\"another\"}").post("/api/v1/sessions/" + rejecting + "/turns").then()
                .statusCode(409).contentType("application/problem+json");

        String queueing = startSession(tenant, agent(tenant, "queueing", tools));
        send(tenant, queueing, "call save_note {\"text\": \"b\"}");
        awaitTurnState(tenant, queueing, 0, "awaiting_confirmation");
        Api.as(tenant.key()).body("{\"input\":\"next\"}").post("/api/v1/sessions/" + queueing + "/turns").then()
                .statusCode(202).body("queued", equalTo(true));
        String pending = Api.as(tenant.key()).get("/api/v1/sessions/" + queueing + "/confirmations").then()
                .extract().path("[0].id");
        decide(tenant, queueing, pending, true).then().statusCode(200);
        awaitTurnState(tenant, queueing, 1, "done");
        Api.as(tenant.key()).get("/api/v1/sessions/" + queueing).then().body("turns[0].state", equalTo("done"))
                .body("turns[1].answer", equalTo("You said: next"));

        String interrupting = startSession(tenant, agent(tenant, "interrupting",
                tools + ",\"doubleTexting\":\"interrupt\""));
        send(tenant, interrupting, "call save_note {\"text\": \"c\"}");
        awaitTurnState(tenant, interrupting, 0, "awaiting_confirmation");
        send(tenant, interrupting, "never mind");
        awaitTurnState(tenant, interrupting, 1, "done");
        Api.as(tenant.key()).get("/api/v1/sessions/" + interrupting).then()
                .body("turns[0].state", equalTo("failed"))
                .body("turns[0].error", equalTo("Interrupted by a newer message"));
    }

    @Test
    void anIdleSessionIsEvictedAndItsSummaryStays() {
        Api.TestTenant tenant = Api.newTenant("sessions-ttl");
        String session = startSession(tenant, agent(tenant, "brief", ",\"sessionTtlSeconds\":1"));
        send(tenant, session, "remember me");
        awaitTurnState(tenant, session, 0, "done");
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline) && !"evicted".equals(Api.as(tenant.key())
                .get("/api/v1/sessions/" + session).then().extract().path("state"))) {
            Tasks.pause(200);
        }
        Api.as(tenant.key()).get("/api/v1/sessions/" + session).then().statusCode(200)
                .body("state", equalTo("evicted")).body("turns.size()", equalTo(0))
                .body("usage.turns", equalTo(1)).body("usage.inputTokens", equalTo(Api.as(tenant.key())
                        .get("/api/v1/usage?session=" + session).then().extract().path("totals.inputTokens")));
        Api.as(tenant.key()).accept("application/json").get(events(session)).then().statusCode(200)
                .body("size()", equalTo(0));
        Api.as(tenant.key()).body("{\"input\":\"hello?\"}").post("/api/v1/sessions/" + session + "/turns").then()
                .statusCode(409);
    }

    @Test
    void anEndedSessionTakesNoMoreTurns() {
        Api.TestTenant tenant = Api.newTenant("sessions-end");
        String session = startSession(tenant, agent(tenant, "ender", ""));
        Api.as(tenant.key()).post("/api/v1/sessions/" + session + "/end").then().statusCode(200)
                .body("state", equalTo("ended"));
        Api.as(tenant.key()).body("{\"input\":\"hi\"}").post("/api/v1/sessions/" + session + "/turns").then()
                .statusCode(409).contentType("application/problem+json");
        Api.as(tenant.key()).delete("/api/v1/sessions/" + session).then().statusCode(204);
    }

    @Test
    void badInputIsRefusedByField() {
        Api.TestTenant tenant = Api.newTenant("sessions-input");
        Api.as(tenant.key()).body("{}").post("/api/v1/sessions").then().statusCode(400)
                .body("errors.field", hasItem("agentId"));
        Api.as(tenant.key()).body("{\"agentId\":\"00000000-0000-0000-0000-000000000000\"}")
                .post("/api/v1/sessions").then().statusCode(400).body("errors.field", hasItem("agentId"));
        Api.as(tenant.key()).body("{\"agentId\":\"nope\"}").post("/api/v1/sessions").then().statusCode(400);
        String session = startSession(tenant, agent(tenant, "strict", ""));
        Api.as(tenant.key()).body("{\"input\":\"\"}").post("/api/v1/sessions/" + session + "/turns").then()
                .statusCode(400).body("errors.field", hasItem("input"));
        Api.as(tenant.key()).accept("application/json").get(events(session) + "?after=-1").then().statusCode(400);
        Api.as(tenant.key()).get("/api/v1/sessions/not-a-session").then().statusCode(404);
        Api.as(tenant.key()).get("/api/v1/sessions?state=sleeping").then().statusCode(400)
                .body("errors.field", hasItem("state"));
        Api.as(tenant.key()).body("{\"approve\":true}")
                .post("/api/v1/sessions/" + session + "/confirmations/00000000-0000-0000-0000-000000000000").then()
                .statusCode(404);
    }

    @Test
    void anotherTenantsSessionIsNotFoundEverywhere() {
        Api.TestTenant owner = Api.newTenant("sessions-owner");
        Api.TestTenant other = Api.newTenant("sessions-other");
        String session = startSession(owner, agent(owner, "private", ",\"tools\":[\"save_note\"]"));
        send(owner, session, "call save_note {\"text\": \"secret\"}");
        awaitTurnState(owner, session, 0, "awaiting_confirmation");
        String confirmation = Api.as(owner.key()).get("/api/v1/sessions/" + session + "/confirmations").then()
                .extract().path("[0].id");
        String turn = Api.as(owner.key()).get("/api/v1/sessions/" + session).then().extract().path("turns[0].id");
        String base = "/api/v1/sessions/" + session;

        Api.as(other.key()).get(base).then().statusCode(404).contentType("application/problem+json");
        Api.as(other.key()).get(base + "/turns/" + turn).then().statusCode(404);
        Api.as(other.key()).accept("application/json").get(events(session)).then().statusCode(404);
        Api.as(other.key()).get(base + "/confirmations").then().statusCode(404);
        Api.as(other.key()).body("{\"input\":\"hi\"}").post(base + "/turns").then().statusCode(404);
        Api.as(other.key()).body("{\"approve\":true}").post(base + "/confirmations/" + confirmation).then()
                .statusCode(404);
        Api.as(other.key()).post(base + "/end").then().statusCode(404);
        Api.as(other.key()).delete(base).then().statusCode(404);
        Api.as(other.key()).get("/api/v1/sessions").then().statusCode(200).body("size()", equalTo(0));
        try (SseClient stream = SseClient.open(events(session), other.key(), null)) {
            assertThat(stream.status()).isEqualTo(404);
        }
        String ownerAgent = Api.as(owner.key()).get("/api/v1/agents").then().extract().path("[0].id");
        Api.as(other.key()).body("{\"agentId\":\"" + ownerAgent + "\"}").post("/api/v1/sessions").then()
                .statusCode(400).body("errors.field", hasItem("agentId"));
        // The owner's session is untouched by all of that.
        Api.as(owner.key()).get(base).then().statusCode(200).body("state", equalTo("active"))
                .body("turns[0].state", equalTo("awaiting_confirmation"));
    }

    static String agent(Api.TestTenant tenant, String name, String extra) {
        return Api.as(tenant.key()).body("{\"name\":\"" + name + "\",\"kind\":\"llm\",\"model\":\"steward-scripted\","
                + "\"instructions\":\"Be brief.\"" + extra + "}").post("/api/v1/agents").then().statusCode(201)
                .extract().path("id");
    }

    static String startSession(Api.TestTenant tenant, String agentId) {
        return Api.as(tenant.key()).body("{\"agentId\":\"" + agentId + "\"}").post("/api/v1/sessions").then()
                .statusCode(201).body("state", equalTo("active")).extract().path("id");
    }

    static String send(Api.TestTenant tenant, String session, String input) {
        return Api.as(tenant.key()).body(jakarta.json.Json.createObjectBuilder().add("input", input).build()
                .toString()).post("/api/v1/sessions/" + session + "/turns").then().statusCode(202)
                .extract().path("id");
    }

    static io.restassured.response.Response decide(Api.TestTenant tenant, String session, String confirmation,
                                                   boolean approve) {
        return Api.as(tenant.key()).body("{\"approve\":" + approve + ",\"comment\":\"checked\"}")
                .post("/api/v1/sessions/" + session + "/confirmations/" + confirmation);
    }

    static void awaitTurnState(Api.TestTenant tenant, String session, int index, String state) {
        Instant deadline = Instant.now().plus(WAIT);
        String current = null;
        while (Instant.now().isBefore(deadline)) {
            current = Api.as(tenant.key()).get("/api/v1/sessions/" + session).then().extract()
                    .path("turns[" + index + "].state");
            if (state.equals(current)) {
                return;
            }
            Tasks.pause(50);
        }
        throw new AssertionError("turn " + index + " of " + session + " is " + current + ", not " + state);
    }

    static String events(String session) {
        return "/api/v1/sessions/" + session + "/events";
    }

    static SseClient.Event last(List<SseClient.Event> events) {
        return events.get(events.size() - 1);
    }
}
