package dev.steward.sessions.internal;

import dev.steward.agents.api.AgentDefinition;
import dev.steward.models.api.ChatGateway.CallContext;
import dev.steward.models.api.ChatGateway.ModelCallFailed;
import dev.steward.models.api.VoiceGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * The two steps a voice turn adds to the loop, each a model call outside any transaction: before it, the audio is
 * transcribed (a failure fails the turn, which then has no input and no answer); after it, the answer is spoken,
 * each piece of audio an {@code audio.chunk} event as the provider sends it (a failure leaves the text answer and
 * says why there is no audio).
 */
@ApplicationScoped
class VoiceSteps {

    @Inject
    VoiceGateway gateway;

    @Inject
    VoiceProgress voice;

    @Inject
    TurnProgress progress;

    /** The work with the transcript as its input; empty when the turn failed or stopped. */
    Optional<TurnProgress.Work> transcribe(TurnProgress.Work work, AgentDefinition agent) {
        Optional<VoiceProgress.Audio> input = voice.input(work.turnId());
        if (agent.voice() == null || input.isEmpty()) {
            progress.fail(work, agent.voice() == null ? "The agent's version has no voice settings"
                    : "The turn's audio is gone");
            return Optional.empty();
        }
        VoiceGateway.Transcript transcript;
        try {
            transcript = gateway.transcribe(new VoiceGateway.TranscriptionRequest(
                    agent.voice().transcriptionModel(), input.get().audio(), input.get().mediaType(),
                    context(work, agent)));
        } catch (ModelCallFailed e) {
            progress.fail(work, "Transcription failed: " + e.getMessage());
            return Optional.empty();
        }
        if (transcript.text().isBlank()) {
            progress.fail(work, "Transcription found no words in the audio");
            return Optional.empty();
        }
        return voice.transcribed(work, transcript) ? Optional.of(work.heard(transcript.text())) : Optional.empty();
    }

    /** Speaks the answer of a turn that is at that step; the turn is done after it. */
    void speak(TurnProgress.Work work, AgentDefinition agent) {
        Optional<String> answer = voice.speaking(work.turnId());
        if (answer.isEmpty()) {
            return;
        }
        AgentDefinition.Voice settings = agent.voice();
        if (settings == null || answer.get().isBlank()) {
            voice.speechFailed(work, settings == null ? null : settings.speechModel(), settings == null
                    ? "The agent's version has no voice settings" : "The answer is empty: there is nothing to speak");
            return;
        }
        String mediaType = VoiceGateway.mediaType(settings.format());
        Chunks chunks = new Chunks(work, mediaType);
        try {
            VoiceGateway.Speech speech = gateway.speak(new VoiceGateway.SpeechRequest(settings.speechModel(),
                    answer.get(), settings.voice(), settings.format(), context(work, agent)), chunks::send);
            voice.spoken(work, speech, chunks.count);
        } catch (ModelCallFailed e) {
            voice.speechFailed(work, settings.speechModel(), "Speech failed: " + e.getMessage());
        }
    }

    private static CallContext context(TurnProgress.Work work, AgentDefinition agent) {
        return new CallContext(agent.id(), agent.version(), work.sessionId().toString());
    }

    /** Passes pieces of speech on as events until the turn stops (interrupted, its session ended). */
    private final class Chunks {
        private final TurnProgress.Work work;
        private final String mediaType;
        private int count;
        private long offset;
        private boolean stopped;

        Chunks(TurnProgress.Work work, String mediaType) {
            this.work = work;
            this.mediaType = mediaType;
        }

        void send(byte[] chunk) {
            if (!stopped) {
                stopped = !voice.chunk(work, count, offset, chunk, mediaType);
            }
            count++;
            offset += chunk.length;
        }
    }
}
