package dev.steward.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.testing.Api;
import dev.steward.testing.FakeProvider;
import dev.steward.testing.SseClient;
import dev.steward.testing.StewardServer;
import dev.steward.testing.Tasks;
import io.restassured.path.json.JsonPath;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Turns on a tenant's own models, over real HTTP to local fake providers speaking OpenAI's wire protocol: the
 * agent's fallback answers when its model's provider fails, personal data never reaches a provider but is back in
 * the answer, the model is offered the agent's granted tools and no others, its tool calls running in the loop;
 * tokens stream from the provider, an Anthropic account answers over Anthropic's wire, a provider that hangs times
 * out with bounded retries, and a 429 is retried.
 */
@ExtendWith(StewardServer.class)
class SessionsOnProvidersIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static FakeProvider broken;
    private static FakeProvider healthy;
    private static FakeProvider hanging;
    private static FakeProvider flaky;
    private static FakeProvider caching;
    private static FakeProvider slow;

    @BeforeAll
    static void startProviders() {
        broken = FakeProvider.start();
        broken.failWith(500);
        healthy = FakeProvider.start();
        hanging = FakeProvider.start();
        hanging.delay(Duration.ofSeconds(10)); // past the gateway's timeout (2 s in tests)
        flaky = FakeProvider.start();
        caching = FakeProvider.start();
        caching.cachedTokens(4);
        slow = FakeProvider.start();
        slow.chunkDelay(Duration.ofMillis(150));
    }

    @AfterAll
    static void stopProviders() {
        broken.close();
        healthy.close();
        hanging.close();
        flaky.close();
        caching.close();
        slow.close();
    }

    @Test
    void tokensStreamFromTheProviderAsItSendsThem() {
        Api.TestTenant tenant = tenantWithModels("sessions-stream");
        String session = SessionsIT.startSession(tenant, agent(tenant, "streamer", "backup", ""));
        try (SseClient stream = SseClient.open(SessionsIT.events(session), tenant.key(), null)) {
            SessionsIT.send(tenant, session, "one two three four");
            List<SseClient.Event> events = stream.until("turn.completed", WAIT);
            List<String> deltas = events.stream().filter(e -> e.type().equals("token"))
                    .map(e -> e.data().getString("delta")).toList();
            assertThat(deltas).containsExactly("Echo: ", "one ", "two ", "three ", "four");
            assertThat(SessionsIT.last(events).data().getString("answer")).isEqualTo(String.join("", deltas));
        }
        assertThat(healthy.requests().get(healthy.requests().size() - 1).body().getBoolean("stream")).isTrue();
    }

    @Test
    void tokensReachTheClientWhileTheModelIsStillWriting() {
        Api.TestTenant tenant = Api.newTenant("sessions-live");
        provider(tenant, "slowpoke", slow);
        model(tenant, "thinker", "slowpoke");
        String session = SessionsIT.startSession(tenant, agent(tenant, "live", "thinker", ""));
        try (SseClient stream = SseClient.open(SessionsIT.events(session), tenant.key(), null)) {
            SessionsIT.send(tenant, session, "one two three four five six");
            stream.until("token", WAIT);
            // The provider sends a word every 150 ms: when the first token arrives, the model is still at it.
            Api.as(tenant.key()).get("/api/v1/sessions/" + session).then()
                    .body("turns[0].state", org.hamcrest.Matchers.equalTo("calling_model"));
            List<SseClient.Event> rest = stream.until("turn.completed", WAIT);
            assertThat(SessionsIT.last(rest).data().getString("answer"))
                    .isEqualTo("Echo: one two three four five six");
        }
    }

    @Test
    void anAnthropicAccountAnswersOverItsOwnWireAndStreams() {
        Api.TestTenant tenant = Api.newTenant("sessions-anthropic");
        Api.as(tenant.key()).body("{\"name\":\"claude\",\"type\":\"anthropic\",\"baseUrl\":\"" + healthy.baseUrl()
                + "\",\"credentials\":{\"apiKey\":\"sk-ant-test\"}}").post("/api/v1/providers").then().statusCode(201);
        model(tenant, "sonnet", "claude");
        String session = SessionsIT.startSession(tenant, agent(tenant, "poet", "sonnet", ""));
        try (SseClient stream = SseClient.open(SessionsIT.events(session), tenant.key(), null)) {
            SessionsIT.send(tenant, session, "hello over there");
            List<SseClient.Event> events = stream.until("turn.completed", WAIT);
            assertThat(SessionsIT.last(events).data().getString("answer")).isEqualTo("Echo: hello over there");
            assertThat(events.stream().filter(e -> e.type().equals("token")).count()).isEqualTo(4);
        }
        FakeProvider.Request sent = healthy.requests().get(healthy.requests().size() - 1);
        assertThat(sent.authorization()).isEqualTo("sk-ant-test");
        assertThat(sent.body().getString("model")).isEqualTo("fake-gpt");
        Api.as(tenant.key()).get("/api/v1/usage?session=" + session).then().statusCode(200)
                .body("events[0].provider", org.hamcrest.Matchers.equalTo("anthropic"))
                .body("totals.inputTokens", org.hamcrest.Matchers.equalTo(12))
                .body("totals.outputTokens", org.hamcrest.Matchers.equalTo(5));
    }

    @Test
    void azureGeminiAndBedrockAccountsAnswerOverTheOpenAiWireWithTheirOwnCredentials() {
        Api.TestTenant tenant = Api.newTenant("sessions-azure-gemini");
        Api.as(tenant.key()).body("{\"name\":\"azure\",\"type\":\"azure-openai\",\"baseUrl\":\"" + flaky.baseUrl()
                + "\",\"credentials\":{\"apiKey\":\"az-key\"}}").post("/api/v1/providers").then().statusCode(201);
        Api.as(tenant.key()).body("{\"name\":\"google\",\"type\":\"gemini\",\"baseUrl\":\"" + flaky.baseUrl()
                + "\",\"credentials\":{\"apiKey\":\"gm-key\"}}").post("/api/v1/providers").then().statusCode(201);
        Api.as(tenant.key()).body("{\"name\":\"aws\",\"type\":\"bedrock\",\"baseUrl\":\"" + flaky.baseUrl()
                + "\",\"credentials\":{\"apiKey\":\"br-key\"}}").post("/api/v1/providers").then().statusCode(201);
        model(tenant, "gpt-on-azure", "azure");
        model(tenant, "flash", "google");
        model(tenant, "oss", "aws");
        for (String model : List.of("gpt-on-azure", "flash", "oss")) {
            String session = SessionsIT.startSession(tenant, agent(tenant, "on-" + model, model, ""));
            try (SseClient stream = SseClient.open(SessionsIT.events(session), tenant.key(), null)) {
                SessionsIT.send(tenant, session, "hi " + model);
                assertThat(SessionsIT.last(stream.until("turn.completed", WAIT)).data().getString("answer"))
                        .isEqualTo("Echo: hi " + model);
            }
        }
        List<FakeProvider.Request> sent = flaky.requests();
        FakeProvider.Request azure = sent.get(sent.size() - 3);
        FakeProvider.Request gemini = sent.get(sent.size() - 2);
        assertThat(sent.get(sent.size() - 1).authorization()).isEqualTo("Bearer br-key");
        assertThat(azure.apiKey()).isEqualTo("az-key");
        assertThat(gemini.authorization()).isEqualTo("Bearer gm-key");
        assertThat(gemini.apiKey()).isNull();
    }

    @Test
    void cachedInputTokensAreMeteredAtTheCachedPrice() {
        Api.TestTenant tenant = Api.newTenant("sessions-cached");
        provider(tenant, "caching", caching);
        Api.as(tenant.key()).body("{\"name\":\"cheap\",\"provider\":\"caching\",\"providerModel\":\"fake-gpt\","
                + "\"inputPrice\":1,\"outputPrice\":2,\"cachedInputPrice\":0.5}").post("/api/v1/models").then()
                .statusCode(201);
        String session = SessionsIT.startSession(tenant, agent(tenant, "thrifty", "cheap", ""));
        try (SseClient stream = SseClient.open(SessionsIT.events(session), tenant.key(), null)) {
            SessionsIT.send(tenant, session, "again");
            stream.until("turn.completed", WAIT);
        }
        JsonPath usage = Api.as(tenant.key()).get("/api/v1/usage?session=" + session).then().statusCode(200)
                .extract().jsonPath();
        assertThat(usage.getInt("events[0].cachedTokens")).isEqualTo(4);
        // 8 input tokens at 1, 4 cached at 0.5 and 5 output at 2, per million.
        assertThat(new java.math.BigDecimal(usage.getString("events[0].cost"))).isEqualByComparingTo("0.00002");
    }

    @Test
    void aProvidersRequestLimitHoldsTurnsBackUntilItIsRaised() {
        Api.TestTenant tenant = tenantWithModels("sessions-provider-limit");
        Api.as(tenant.key()).body("{\"perMinute\":1}").put("/api/v1/quotas/provider:healthy").then().statusCode(200);
        String agent = agent(tenant, "limited", "backup", "");
        String first = SessionsIT.startSession(tenant, agent);
        String second = SessionsIT.startSession(tenant, agent);
        SessionsIT.send(tenant, first, "one");
        SessionsIT.awaitTurnState(tenant, first, 0, "done");
        SessionsIT.send(tenant, second, "two");
        Instant deadline = Instant.now().plus(WAIT);
        String deferredBy = null;
        while (Instant.now().isBefore(deadline) && !"provider-requests".equals(deferredBy)) {
            deferredBy = Api.as(tenant.key()).get("/api/v1/tasks?kind=session.turn").then().statusCode(200)
                    .extract().path("find { it.state != 'completed' }.deferredBy");
            Tasks.pause(100);
        }
        assertThat(deferredBy).isEqualTo("provider-requests");
        Api.as(tenant.key()).get("/api/v1/sessions/" + second).then().body("turns[0].state",
                org.hamcrest.Matchers.equalTo("received"));

        Api.as(tenant.key()).body("{\"perMinute\":600}").put("/api/v1/quotas/provider:healthy").then().statusCode(200);
        SessionsIT.awaitTurnState(tenant, second, 0, "done");
    }

    @Test
    void aHangingProviderTimesOutWithBoundedRetriesAndTheFallbackAnswers() {
        Api.TestTenant tenant = tenantWithModels("sessions-hang");
        provider(tenant, "stuck", hanging);
        model(tenant, "slow", "stuck");
        String session = SessionsIT.startSession(tenant, agent(tenant, "patient", "slow",
                ",\"fallbackModels\":[\"backup\"]"));
        int before = hanging.requests().size();
        try (SseClient stream = SseClient.open(SessionsIT.events(session), tenant.key(), null)) {
            SessionsIT.send(tenant, session, "anyone?");
            JsonObject completed = SessionsIT.last(stream.until("turn.completed", WAIT)).data();
            assertThat(completed.getString("model")).isEqualTo("backup");
        }
        assertThat(hanging.requests().size() - before).as("one call and two retries, no more").isEqualTo(3);
    }

    @Test
    void aProviderThatAnswers429OnceIsRetriedAndAnswers() {
        Api.TestTenant tenant = Api.newTenant("sessions-429");
        provider(tenant, "flaky", flaky);
        model(tenant, "busy", "flaky");
        String session = SessionsIT.startSession(tenant, agent(tenant, "retrier", "busy", ""));
        int before = flaky.requests().size();
        flaky.failNext(1, 429);
        try (SseClient stream = SseClient.open(SessionsIT.events(session), tenant.key(), null)) {
            SessionsIT.send(tenant, session, "please");
            assertThat(SessionsIT.last(stream.until("turn.completed", WAIT)).data().getString("answer"))
                    .isEqualTo("Echo: please");
        }
        assertThat(flaky.requests().size() - before).isEqualTo(2);
    }

    @Test
    void theFallbackModelAnswersWhenTheAgentsModelFails() {
        Api.TestTenant tenant = tenantWithModels("sessions-fallback");
        String agent = agent(tenant, "resilient", "primary", ",\"fallbackModels\":[\"backup\"]");
        String session = SessionsIT.startSession(tenant, agent);
        try (SseClient stream = SseClient.open(SessionsIT.events(session), tenant.key(), null)) {
            SessionsIT.send(tenant, session, "are you there?");
            JsonObject completed = SessionsIT.last(stream.until("turn.completed", WAIT)).data();
            assertThat(completed.getString("answer")).isEqualTo("Echo: are you there?");
            assertThat(completed.getString("model")).isEqualTo("backup");
        }
        JsonPath usage = Api.as(tenant.key()).get("/api/v1/usage?session=" + session).then().statusCode(200)
                .extract().jsonPath();
        assertThat(usage.getList("events.model")).containsExactlyInAnyOrder("primary", "backup");
        assertThat(usage.getList("events.outcome")).containsExactlyInAnyOrder("failed", "ok");
        assertThat(usage.getList("events.agentId")).containsOnly(agent);
    }

    @Test
    void aCardNumberNeverReachesTheProviderButIsInTheAnswer() {
        Api.TestTenant tenant = tenantWithModels("sessions-masking");
        String session = SessionsIT.startSession(tenant, agent(tenant, "careful", "backup", ""));
        int before = healthy.requests().size();
        try (SseClient stream = SseClient.open(SessionsIT.events(session), tenant.key(), null)) {
            SessionsIT.send(tenant, session, "charge 4111 1111 1111 1111 please");
            JsonObject completed = SessionsIT.last(stream.until("turn.completed", WAIT)).data();
            assertThat(completed.getString("answer")).isEqualTo("Echo: charge 4111 1111 1111 1111 please");
            assertThat(completed.getJsonObject("masked").getInt("CARD")).isEqualTo(1);
        }
        String discreet = SessionsIT.startSession(tenant, agent(tenant, "discreet", "backup",
                ",\"restorePersonalData\":false"));
        try (SseClient stream = SseClient.open(SessionsIT.events(discreet), tenant.key(), null)) {
            SessionsIT.send(tenant, discreet, "charge 4111 1111 1111 1111 please");
            assertThat(SessionsIT.last(stream.until("turn.completed", WAIT)).data().getString("answer"))
                    .isEqualTo("Echo: charge [CARD_1] please");
        }
        List<FakeProvider.Request> sent = healthy.requests().subList(before, healthy.requests().size());
        assertThat(sent).isNotEmpty();
        assertThat(sent).allSatisfy(request -> assertThat(request.body().toString().replace(" ", ""))
                .doesNotContain("4111111111111111"));
    }

    @Test
    void theModelIsOfferedOnlyGrantedToolsAndItsCallsRun() {
        Api.TestTenant tenant = tenantWithModels("sessions-tools");
        String session = SessionsIT.startSession(tenant, agent(tenant, "timekeeper", "backup",
                ",\"tools\":[\"current_time\",\"no_such_tool\"]"));
        int before = healthy.requests().size();
        try (SseClient stream = SseClient.open(SessionsIT.events(session), tenant.key(), null)) {
            SessionsIT.send(tenant, session, "call current_time");
            List<SseClient.Event> events = stream.until("turn.completed", WAIT);
            assertThat(events.stream().filter(e -> e.type().equals("tool.result")).findFirst().orElseThrow()
                    .data().getString("result")).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
            assertThat(SessionsIT.last(events).data().getString("answer")).startsWith("Echo: 20");
        }
        List<FakeProvider.Request> sent = healthy.requests().subList(before, healthy.requests().size());
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).body().getJsonArray("tools").getValuesAs(JsonObject.class).stream()
                .map(tool -> tool.getJsonObject("function").getString("name")).toList())
                .containsExactly("current_time");
        JsonObject toolMessage = sent.get(1).body().getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                .filter(message -> message.getString("role").equals("tool")).findFirst().orElseThrow();
        // Steward names the calls itself (round 1, call 1), and the conversation it sends back agrees.
        assertThat(((JsonString) toolMessage.get("tool_call_id")).getString()).isEqualTo("c1-1");
    }

    private static Api.TestTenant tenantWithModels(String slug) {
        Api.TestTenant tenant = Api.newTenant(slug);
        provider(tenant, "broken", broken);
        provider(tenant, "healthy", healthy);
        model(tenant, "primary", "broken");
        model(tenant, "backup", "healthy");
        return tenant;
    }

    private static void provider(Api.TestTenant tenant, String name, FakeProvider fake) {
        Api.as(tenant.key()).body("{\"name\":\"" + name + "\",\"type\":\"openai-compatible\",\"baseUrl\":\""
                + fake.baseUrl() + "\"}").post("/api/v1/providers").then().statusCode(201);
    }

    private static void model(Api.TestTenant tenant, String name, String provider) {
        Api.as(tenant.key()).body("{\"name\":\"" + name + "\",\"provider\":\"" + provider + "\",\"providerModel\":"
                + "\"fake-gpt\",\"inputPrice\":1,\"outputPrice\":2}").post("/api/v1/models").then().statusCode(201);
    }

    private static String agent(Api.TestTenant tenant, String name, String model, String extra) {
        return Api.as(tenant.key()).body("{\"name\":\"" + name + "\",\"kind\":\"llm\",\"model\":\"" + model + "\""
                + extra + "}").post("/api/v1/agents").then().statusCode(201).extract().path("id");
    }
}
