package dev.steward.sessions.internal;

import dev.steward.models.api.VoiceGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A voice turn's writes, each one transaction under the session's lock like the rest of the loop's
 * ({@link TurnProgress#locked}): the transcript becomes the turn's input, the speech goes out in chunks as events,
 * and the turn is done once its audio is stored (or its speech failed: the text answer stands).
 */
@ApplicationScoped
class VoiceProgress {

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Inject
    TurnProgress progress;

    @Inject
    TurnJobs jobs;

    /** Audio and its media type. */
    record Audio(byte[] audio, String mediaType) {
    }

    /** The audio a turn was asked with, if it is still there. */
    @Transactional
    Optional<Audio> input(UUID turnId) {
        return Optional.ofNullable(em.find(VoiceTurn.class, turnId)).filter(voice -> voice.inputAudio() != null)
                .map(voice -> new Audio(voice.inputAudio(), voice.inputType()));
    }

    /** What the audio said is the turn's input (the audio itself is dropped); the model is next. */
    @Transactional
    boolean transcribed(TurnProgress.Work work, VoiceGateway.Transcript transcript) {
        return progress.locked(work, (session, turn, out) -> {
            em.find(VoiceTurn.class, turn.id()).transcribed(transcript.model());
            turn.heard(transcript.text());
            session.addUsage(transcript.inputTokens(), transcript.outputTokens(), transcript.cost());
            turn.addModelTime(transcript.latencyMillis());
            out.add(SessionEvent.New.of("turn.transcribed", turn.id(), SessionEvent.New.fields()
                    .add("transcript", transcript.text()).add("model", transcript.model())));
            TurnProgress.move(turn, TurnState.PLANNING, out);
            TurnProgress.move(turn, TurnState.CALLING_MODEL, out);
        });
    }

    /** The answer to speak, when the turn is at that step. */
    @Transactional
    Optional<String> speaking(UUID turnId) {
        return Optional.ofNullable(em.find(Turn.class, turnId)).filter(turn -> turn.state() == TurnState.SPEAKING)
                .map(Turn::answer);
    }

    /**
     * A piece of the speech, as it arrives: {@code index} counts from 0, {@code offset} is where its bytes start in
     * the audio. A chunk with index 0 starts the audio over (a retried synthesis sends it again).
     */
    @Transactional
    boolean chunk(TurnProgress.Work work, int index, long offset, byte[] bytes, String mediaType) {
        return progress.locked(work, (session, turn, out) -> out.add(SessionEvent.New.of("audio.chunk", turn.id(),
                SessionEvent.New.fields().add("index", index).add("offset", offset).add("type", mediaType)
                        .add("data", Base64.getEncoder().encodeToString(bytes)))));
    }

    /** The speech stored and announced; the turn is done. */
    @Transactional
    boolean spoken(TurnProgress.Work work, VoiceGateway.Speech speech, int chunks) {
        return progress.locked(work, (session, turn, out) -> {
            em.find(VoiceTurn.class, turn.id()).spoken(speech.model(), speech.audio(), speech.mediaType(),
                    Instant.now());
            session.addUsage(0, 0, speech.cost());
            turn.addModelTime(speech.latencyMillis());
            // Built once: a builder is emptied by building, and both events carry it.
            JsonObject audio = SessionEvent.New.fields().add("type", speech.mediaType())
                    .add("bytes", speech.audio().length).add("chunks", chunks).add("model", speech.model())
                    .add("url", audioUrl(work)).build();
            out.add(SessionEvent.New.of("audio.completed", turn.id(), Json.createObjectBuilder(audio)));
            done(session, turn, completed -> completed.add("audio", audio), out);
        });
    }

    /** No audio (the answer stays): why, announced; the turn is done. */
    @Transactional
    boolean speechFailed(TurnProgress.Work work, String model, String reason) {
        return progress.locked(work, (session, turn, out) -> {
            em.find(VoiceTurn.class, turn.id()).speechFailed(model, reason, Instant.now());
            out.add(SessionEvent.New.of("audio.failed", turn.id(), SessionEvent.New.fields().add("error", reason)));
            done(session, turn, completed -> completed.add("speechError", reason), out);
        });
    }

    /** The audio of a turn of the session, if it was spoken. */
    @Transactional
    Optional<Audio> output(UUID sessionId, UUID turnId) {
        List<Object[]> rows = em.createQuery("SELECT v.outputAudio, v.outputType FROM VoiceTurn v"
                        + " WHERE v.turnId = :turn AND v.sessionId = :session AND v.outputAudio IS NOT NULL",
                        Object[].class)
                .setParameter("turn", turnId).setParameter("session", sessionId).getResultList();
        return rows.stream().findFirst().map(row -> new Audio((byte[]) row[0], (String) row[1]));
    }

    static String audioUrl(TurnProgress.Work work) {
        return "/api/v1/sessions/" + work.sessionId() + "/turns/" + work.turnId() + "/audio";
    }

    /** Speaking to done: turn.completed as the answer step left it, with what became of the audio. */
    private void done(AgentSession session, Turn turn, Consumer<JsonObjectBuilder> audio,
                      List<SessionEvent.New> out) {
        JsonObject kept = turn.waitingFor() == null ? null : TurnProgress.parse(turn.waitingFor());
        JsonObjectBuilder completed = kept != null && kept.containsKey("completed")
                ? Json.createObjectBuilder(kept.getJsonObject("completed"))
                : SessionEvent.New.fields().add("answer", turn.answer());
        audio.accept(completed);
        turn.complete(turn.answer(), Instant.now());
        session.touch(Instant.now());
        out.add(TurnProgress.stateEvent(turn.id(), TurnState.SPEAKING, TurnState.DONE));
        out.add(SessionEvent.New.of("turn.completed", turn.id(), completed));
        jobs.startNext(session);
    }
}
