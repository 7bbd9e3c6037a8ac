package dev.steward.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import dev.steward.testing.Api;
import dev.steward.testing.FakeProvider;
import dev.steward.testing.SseClient;
import dev.steward.testing.StewardServer;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Voice turns over real HTTP: audio in, a transcript, the turn, the answer spoken back in chunks over SSE and whole
 * from the binary endpoint; on the built-in model (its tone codec, no network) and on OpenAI-wire accounts (a local
 * fake provider speaking /audio/transcriptions and /audio/speech). Also: another tenant cannot reach a voice turn or
 * its audio, oversized audio is 413, other types 415, a failed transcription fails the turn and leaves nothing
 * half-done, and audio calls are metered.
 */
@ExtendWith(StewardServer.class)
class VoiceIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static FakeProvider healthy;
    private static FakeProvider broken;

    @BeforeAll
    static void startProviders() {
        healthy = FakeProvider.start();
        broken = FakeProvider.start();
        broken.failWith(500);
    }

    @AfterAll
    static void stopProviders() {
        healthy.close();
        broken.close();
    }

    @Test
    void theBuiltInModelHearsItsOwnSpeechAndAnswersInTextAndAudio() {
        Api.TestTenant tenant = Api.newTenant("voice-builtin");
        byte[] question = speech(tenant, "steward-scripted", "hello over there");
        String agent = SessionsIT.agent(tenant, "speaker", ",\"voice\":{\"transcriptionModel\":\"steward-scripted\","
                + "\"speechModel\":\"steward-scripted\"}");
        String session = SessionsIT.startSession(tenant, agent);
        try (SseClient stream = SseClient.open(SessionsIT.events(session), tenant.key(), null)) {
            String turn = sendAudio(tenant, session, "audio/wav", question);
            List<SseClient.Event> events = stream.until("turn.completed", WAIT);
            assertThat(states(events)).containsSubsequence("transcribing", "planning", "calling_model", "responding",
                    "speaking", "done");
            assertThat(first(events, "turn.received").getJsonObject("audio").getInt("bytes"))
                    .isEqualTo(question.length);
            assertThat(first(events, "turn.transcribed").getString("transcript")).isEqualTo("hello over there");
            JsonObject completed = SessionsIT.last(events).data();
            assertThat(completed.getString("answer")).isEqualTo("You said: hello over there");
            assertThat(completed.getJsonObject("audio").getString("type")).isEqualTo("audio/wav");

            byte[] streamed = chunks(events);
            byte[] stored = Api.as(tenant.key()).get("/api/v1/sessions/" + session + "/turns/" + turn + "/audio")
                    .then().statusCode(200).contentType("audio/wav").extract().asByteArray();
            assertThat(streamed).isEqualTo(stored);
            assertThat(completed.getJsonObject("audio").getInt("bytes")).isEqualTo(stored.length);
            // The spoken answer is honest audio: the built-in model hears in it exactly the answer.
            Api.as(tenant.key()).contentType("audio/wav").body(stored)
                    .post("/api/v1/models/steward-scripted/transcriptions").then().statusCode(200)
                    .body("text", equalTo("You said: hello over there"));
        }
        Api.as(tenant.key()).get("/api/v1/sessions/" + session).then()
                .body("turns[0].input", equalTo("hello over there"))
                .body("turns[0].answer", equalTo("You said: hello over there"))
                .body("turns[0].state", equalTo("done"));
    }

    @Test
    void aProviderTranscribesAndSpeaksOverOpenAisAudioWireAndTheCallsAreMetered() {
        Api.TestTenant tenant = Api.newTenant("voice-provider");
        provider(tenant, "fake", healthy);
        model(tenant, "ears", "fake", "whisper-fake");
        model(tenant, "mouth", "fake", "tts-fake");
        model(tenant, "brain", "fake", "gpt-fake");
        String agent = Api.as(tenant.key()).body("{\"name\":\"caller\",\"kind\":\"llm\",\"model\":\"brain\","
                        + "\"voice\":{\"transcriptionModel\":\"ears\",\"speechModel\":\"mouth\",\"voice\":\"nova\","
                        + "\"format\":\"mp3\"}}").post("/api/v1/agents").then().statusCode(201)
                .body("config.voice.voice", equalTo("nova")).extract().path("id");
        String session = SessionsIT.startSession(tenant, agent);
        byte[] audio = new byte[5000];
        new java.util.Random(7).nextBytes(audio);
        try (SseClient stream = SseClient.open(SessionsIT.events(session), tenant.key(), null)) {
            String turn = sendAudio(tenant, session, "audio/mpeg", audio);
            List<SseClient.Event> events = stream.until("turn.completed", WAIT);
            String answer = "Echo: Heard 5000 bytes of audio/mpeg";
            assertThat(SessionsIT.last(events).data().getString("answer")).isEqualTo(answer);
            byte[] expected = FakeProvider.speech(answer, "nova", "mp3");
            // 40,000 bytes arrive as pieces of at most 32 KiB, in order.
            assertThat(events.stream().filter(e -> e.type().equals("audio.chunk")).count()).isEqualTo(2);
            assertThat(chunks(events)).isEqualTo(expected);
            assertThat(Api.as(tenant.key()).get("/api/v1/sessions/" + session + "/turns/" + turn + "/audio")
                    .then().statusCode(200).contentType("audio/mpeg").extract().asByteArray()).isEqualTo(expected);
        }
        List<FakeProvider.Request> sent = healthy.requests();
        JsonObject transcription = sent.stream().filter(r -> r.body().containsKey("fileBytes")).findFirst()
                .orElseThrow().body();
        assertThat(transcription.getString("model")).isEqualTo("whisper-fake");
        assertThat(transcription.getInt("fileBytes")).isEqualTo(5000);
        assertThat(transcription.getString("fileType")).isEqualTo("audio/mpeg");
        assertThat(transcription.getString("fileName")).isEqualTo("audio.mp3");
        JsonObject speech = sent.stream().filter(r -> r.body().containsKey("voice")).findFirst().orElseThrow()
                .body();
        assertThat(speech.getString("model")).isEqualTo("tts-fake");
        assertThat(speech.getString("input")).isEqualTo("Echo: Heard 5000 bytes of audio/mpeg");
        assertThat(speech.getString("response_format")).isEqualTo("mp3");
        // Every call is a usage event: the transcription with the tokens the provider counted, speech by characters.
        Api.as(tenant.key()).get("/api/v1/usage?session=" + session).then().statusCode(200)
                .body("events.model", hasItems("ears", "brain", "mouth"))
                .body("events.find { it.model == 'ears' }.inputTokens", equalTo(20))
                .body("events.find { it.model == 'ears' }.outputTokens", equalTo(4))
                .body("events.find { it.model == 'mouth' }.inputTokens", equalTo(36));
    }

    @Test
    void anotherTenantCannotReachAVoiceTurnOrItsAudio() {
        Api.TestTenant owner = Api.newTenant("voice-owner");
        Api.TestTenant other = Api.newTenant("voice-other");
        String session = SessionsIT.startSession(owner, builtInVoiceAgent(owner, "private"));
        String turn;
        try (SseClient stream = SseClient.open(SessionsIT.events(session), owner.key(), null)) {
            turn = sendAudio(owner, session, "audio/wav", speech(owner, "steward-scripted", "secret"));
            stream.until("turn.completed", WAIT);
        }
        String audio = "/api/v1/sessions/" + session + "/turns/" + turn + "/audio";
        Api.as(owner.key()).get(audio).then().statusCode(200);
        Api.as(other.key()).get(audio).then().statusCode(404).contentType("application/problem+json");
        Api.as(other.key()).get("/api/v1/sessions/" + session + "/turns/" + turn).then().statusCode(404);
        Api.as(other.key()).contentType("audio/wav").body(speech(other, "steward-scripted", "mine"))
                .post("/api/v1/sessions/" + session + "/voice-turns").then().statusCode(404)
                .contentType("application/problem+json");
        Api.as(owner.key()).get("/api/v1/sessions/" + session).then().body("turns.size()", equalTo(1));
    }

    @Test
    void oversizedAudioIs413AndOtherTypesAre415() {
        Api.TestTenant tenant = Api.newTenant("voice-limits");
        String session = SessionsIT.startSession(tenant, builtInVoiceAgent(tenant, "picky"));
        String voiceTurns = "/api/v1/sessions/" + session + "/voice-turns";
        Api.as(tenant.key()).contentType("audio/wav").body(new byte[262_145]).post(voiceTurns).then()
                .statusCode(413).contentType("application/problem+json");
        Api.as(tenant.key()).body("{\"input\":\"hello\"}").post(voiceTurns).then()
                .statusCode(415).contentType("application/problem+json");
        Api.as(tenant.key()).contentType("audio/x-unheard-of").body(new byte[100]).post(voiceTurns).then()
                .statusCode(415).contentType("application/problem+json").body("errors.field", hasItem("Content-Type"));
        Api.as(tenant.key()).contentType("audio/wav").body(new byte[0]).post(voiceTurns).then()
                .statusCode(400).body("errors.field", hasItem("body"));
        Api.as(tenant.key()).get("/api/v1/sessions/" + session).then().body("turns.size()", equalTo(0));
        // An agent without voice settings takes no voice turns.
        String textOnly = SessionsIT.startSession(tenant, SessionsIT.agent(tenant, "mute", ""));
        Api.as(tenant.key()).contentType("audio/wav").body(speech(tenant, "steward-scripted", "hi"))
                .post("/api/v1/sessions/" + textOnly + "/voice-turns").then().statusCode(409);
    }

    @Test
    void voiceSettingsAreCheckedFieldByField() {
        Api.TestTenant tenant = Api.newTenant("voice-settings");
        Api.as(tenant.key()).body("{\"name\":\"bad\",\"kind\":\"llm\",\"model\":\"steward-scripted\",\"voice\":"
                        + "{\"transcriptionModel\":\"nope\",\"speechModel\":\"steward-scripted\",\"format\":\"mp3\"}}")
                .post("/api/v1/agents").then().statusCode(400)
                .body("errors.field", hasItems("voice.transcriptionModel", "voice.format"));
        Api.as(tenant.key()).body("{\"name\":\"bad\",\"kind\":\"llm\",\"model\":\"steward-scripted\",\"voice\":"
                        + "{\"speechModel\":\"steward-scripted\",\"format\":\"ogg\",\"voice\":\"a b\"}}")
                .post("/api/v1/agents").then().statusCode(400)
                .body("errors.field", hasItems("voice.transcriptionModel", "voice.format", "voice.voice"));
    }

    @Test
    void aFailedTranscriptionFailsTheTurnAndLeavesNothingHalfDone() {
        Api.TestTenant tenant = Api.newTenant("voice-broken");
        provider(tenant, "down", broken);
        model(tenant, "deaf", "down", "whisper-fake");
        String agent = Api.as(tenant.key()).body("{\"name\":\"deafened\",\"kind\":\"llm\",\"model\":"
                + "\"steward-scripted\",\"voice\":{\"transcriptionModel\":\"deaf\",\"speechModel\":"
                + "\"steward-scripted\"}}").post("/api/v1/agents").then().statusCode(201).extract().path("id");
        String session = SessionsIT.startSession(tenant, agent);
        try (SseClient stream = SseClient.open(SessionsIT.events(session), tenant.key(), null)) {
            String turn = sendAudio(tenant, session, "audio/webm", new byte[2000]);
            List<SseClient.Event> events = stream.until("turn.failed", WAIT);
            assertThat(SessionsIT.last(events).data().getString("error"))
                    .isEqualTo("Transcription failed: The provider of 'deaf' failed (HTTP 500)");
            assertThat(events).noneMatch(e -> e.type().equals("token") || e.type().startsWith("audio."));
            Api.as(tenant.key()).get("/api/v1/sessions/" + session + "/turns/" + turn).then()
                    .body("state", equalTo("failed")).body("input", equalTo("")).body("answer", equalTo(null));
            Api.as(tenant.key()).get("/api/v1/sessions/" + session + "/turns/" + turn + "/audio").then()
                    .statusCode(404);
            // The session is not stuck: the next turn runs.
            SessionsIT.send(tenant, session, "still there?");
            assertThat(SessionsIT.last(stream.until("turn.completed", WAIT)).data().getString("answer"))
                    .isEqualTo("You said: still there?");
        }
        Api.as(tenant.key()).get("/api/v1/usage?session=" + session).then()
                .body("events.find { it.model == 'deaf' }.outcome", equalTo("failed"));
    }

    @Test
    void theBuiltInModelSaysPlainlyWhatItCannotTranscribe() {
        Api.TestTenant tenant = Api.newTenant("voice-honest");
        String session = SessionsIT.startSession(tenant, builtInVoiceAgent(tenant, "literal"));
        try (SseClient stream = SseClient.open(SessionsIT.events(session), tenant.key(), null)) {
            sendAudio(tenant, session, "audio/mpeg", "ID3 an mp3 of someone talking".getBytes());
            assertThat(SessionsIT.last(stream.until("turn.failed", WAIT)).data().getString("error"))
                    .startsWith("Transcription failed: steward-scripted cannot transcribe this audio: it is not a"
                            + " WAV file");
        }
        Api.as(tenant.key()).contentType("audio/wav").body("RIFF....WAVE".getBytes())
                .post("/api/v1/models/steward-scripted/transcriptions").then().statusCode(409)
                .body("detail", startsWith("steward-scripted cannot transcribe this audio"));
    }

    @Test
    void theDemoTenantHasAVoiceAgentOnTheBuiltInModel() {
        Api.as(StewardServer.rig().demoKey()).get("/api/v1/agents").then().statusCode(200)
                .body("find { it.name == 'voice-assistant' }.config.voice.speechModel", equalTo("steward-scripted"));
    }

    private static String builtInVoiceAgent(Api.TestTenant tenant, String name) {
        return SessionsIT.agent(tenant, name, ",\"voice\":{\"transcriptionModel\":\"steward-scripted\","
                + "\"speechModel\":\"steward-scripted\"}");
    }

    private static byte[] speech(Api.TestTenant tenant, String model, String text) {
        return Api.as(tenant.key()).body("{\"input\":\"" + text + "\"}").post("/api/v1/models/" + model + "/speech")
                .then().statusCode(200).contentType("audio/wav").extract().asByteArray();
    }

    private static String sendAudio(Api.TestTenant tenant, String session, String type, byte[] audio) {
        return Api.as(tenant.key()).contentType(type).body(audio).post("/api/v1/sessions/" + session
                + "/voice-turns").then().statusCode(202).body("state", equalTo("received")).extract().path("id");
    }

    /** The audio.chunk events' bytes, placed by their offsets. */
    private static byte[] chunks(List<SseClient.Event> events) {
        ByteArrayOutputStream audio = new ByteArrayOutputStream();
        for (SseClient.Event event : events) {
            if (event.type().equals("audio.chunk")) {
                assertThat(event.data().getJsonNumber("offset").longValue()).isEqualTo(audio.size());
                audio.writeBytes(Base64.getDecoder().decode(event.data().getString("data")));
            }
        }
        return audio.toByteArray();
    }

    private static List<String> states(List<SseClient.Event> events) {
        return events.stream().filter(e -> e.type().equals("turn.state")).map(e -> e.data().getString("to"))
                .toList();
    }

    private static JsonObject first(List<SseClient.Event> events, String type) {
        return events.stream().filter(e -> e.type().equals(type)).findFirst().orElseThrow().data();
    }

    private static void provider(Api.TestTenant tenant, String name, FakeProvider fake) {
        Api.as(tenant.key()).body("{\"name\":\"" + name + "\",\"type\":\"openai-compatible\",\"baseUrl\":\""
                + fake.baseUrl() + "\"}").post("/api/v1/providers").then().statusCode(201);
    }

    private static void model(Api.TestTenant tenant, String name, String provider, String providerModel) {
        Api.as(tenant.key()).body("{\"name\":\"" + name + "\",\"provider\":\"" + provider + "\",\"providerModel\":\""
                + providerModel + "\",\"inputPrice\":15,\"outputPrice\":2}").post("/api/v1/models").then()
                .statusCode(201);
    }
}
