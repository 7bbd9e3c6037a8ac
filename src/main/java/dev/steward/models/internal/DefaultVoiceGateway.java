package dev.steward.models.internal;

import dev.steward.billing.api.UsageEvent;
import dev.steward.models.api.ChatGateway.CallContext;
import dev.steward.models.api.ChatGateway.Failure;
import dev.steward.models.api.ChatGateway.ModelCallFailed;
import dev.steward.models.api.ModelCatalog;
import dev.steward.models.api.VoiceGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The voice side of the gateway: the built-in model's tone codec ({@link ToneCodec}), or an account speaking
 * OpenAI's audio wire, behind the same checks as chat (the tenant's model, budget, private addresses, the account's
 * circuit, bounded retries) and metered the same way: a transcription by the tokens the provider counts (none when
 * it does not say), speech by the characters spoken, priced as input at the model's input price per million.
 */
@ApplicationScoped
class DefaultVoiceGateway implements VoiceGateway {

    private static final String BUILT_IN_PROVIDER = "steward";

    @Inject
    DefaultChatGateway chat;

    @Inject
    ProviderCalls calls;

    @Inject
    Circuits circuits;

    @Inject
    Metering metering;

    @Override
    public Transcript transcribe(TranscriptionRequest request) throws ModelCallFailed {
        long started = System.nanoTime();
        if (ModelCatalog.SCRIPTED.equals(request.model())) {
            String text;
            try {
                text = ToneCodec.decode(request.audio());
            } catch (ToneCodec.NotToneAudio e) {
                throw new ModelCallFailed(ModelCatalog.SCRIPTED + " cannot transcribe this audio: " + e.getMessage()
                        + ". It is not a speech recognizer: it transcribes only the tone WAVs its own speech makes",
                        Failure.REFUSED, e);
            }
            Transcript transcript = new Transcript(request.model(), text, 0, words(text), BigDecimal.ZERO,
                    millisSince(started));
            meter(request.model(), BUILT_IN_PROVIDER, request.context(), 0, transcript.outputTokens(),
                    BigDecimal.ZERO, transcript.latencyMillis(), true);
            return transcript;
        }
        ModelStore.Binding binding = audioBinding(request.model(), "transcribe");
        OpenAiAudioClient.Heard heard;
        try {
            heard = calls.transcribe(binding, request.audio(), request.mediaType());
            circuits.succeeded(binding.account());
        } catch (ProviderCalls.Retryable | RuntimeException e) {
            throw failed(binding, request.model(), request.context(), started, e);
        }
        BigDecimal cost = Metering.cost(binding, heard.inputTokens(), heard.outputTokens(), 0);
        Transcript transcript = new Transcript(request.model(), heard.text(), heard.inputTokens(),
                heard.outputTokens(), cost, millisSince(started));
        meter(request.model(), binding.providerType(), request.context(), heard.inputTokens(), heard.outputTokens(),
                cost, transcript.latencyMillis(), true);
        return transcript;
    }

    @Override
    public Speech speak(SpeechRequest request, Consumer<byte[]> onChunk) throws ModelCallFailed {
        long started = System.nanoTime();
        int characters = request.text().codePointCount(0, request.text().length());
        if (ModelCatalog.SCRIPTED.equals(request.model())) {
            if (!"wav".equals(request.format())) {
                throw new ModelCallFailed(ModelCatalog.SCRIPTED + " speaks wav only", Failure.REFUSED, null);
            }
            if (request.text().getBytes(StandardCharsets.UTF_8).length > ToneCodec.MAX_TEXT_BYTES) {
                throw new ModelCallFailed(ModelCatalog.SCRIPTED + " speaks at most " + ToneCodec.MAX_TEXT_BYTES
                        + " bytes of text at once", Failure.REFUSED, null);
            }
            byte[] audio = ToneCodec.encode(request.text());
            if (onChunk != null) {
                for (int from = 0; from < audio.length; from += OpenAiAudioClient.CHUNK_BYTES) {
                    onChunk.accept(Arrays.copyOfRange(audio, from,
                            Math.min(audio.length, from + OpenAiAudioClient.CHUNK_BYTES)));
                }
            }
            Speech speech = new Speech(request.model(), audio, VoiceGateway.mediaType("wav"), characters,
                    BigDecimal.ZERO, millisSince(started));
            meter(request.model(), BUILT_IN_PROVIDER, request.context(), characters, 0, BigDecimal.ZERO,
                    speech.latencyMillis(), true);
            return speech;
        }
        ModelStore.Binding binding = audioBinding(request.model(), "speak");
        byte[] audio;
        try {
            audio = calls.speak(binding, request.text(), request.voice(), request.format(), onChunk);
            circuits.succeeded(binding.account());
        } catch (ProviderCalls.Retryable | RuntimeException e) {
            throw failed(binding, request.model(), request.context(), started, e);
        }
        BigDecimal cost = Metering.cost(binding, characters, 0, 0);
        Speech speech = new Speech(request.model(), audio, VoiceGateway.mediaType(request.format()), characters,
                cost, millisSince(started));
        meter(request.model(), binding.providerType(), request.context(), characters, 0, cost,
                speech.latencyMillis(), true);
        return speech;
    }

    /** The model's account, if it may be called now and its wire has the audio endpoints. */
    private ModelStore.Binding audioBinding(String model, String what) throws ModelCallFailed {
        ModelStore.Binding binding = chat.binding(model);
        if (!OpenAiAudioClient.TYPES.contains(binding.providerType())) {
            throw new ModelCallFailed("'" + model + "' cannot " + what + ": " + binding.providerType()
                    + " accounts have no audio API here (openai, openai-compatible and azure-openai do)",
                    Failure.REFUSED, null);
        }
        if (!circuits.allows(binding.account())) {
            throw new ModelCallFailed("The provider account of '" + model + "' failed repeatedly; its circuit is"
                    + " open for now", Failure.PROVIDER_FAILED, null);
        }
        return binding;
    }

    /** A failed provider call: counted against the account's circuit, metered, and told without its answer. */
    private ModelCallFailed failed(ModelStore.Binding binding, String model, CallContext context, long started,
                                   Exception error) {
        circuits.failed(binding.account());
        meter(model, binding.providerType(), context, 0, 0, BigDecimal.ZERO, millisSince(started), false);
        return new ModelCallFailed("The provider of '" + model + "' failed (" + DefaultChatGateway.describe(error)
                + ")", Failure.PROVIDER_FAILED, error);
    }

    private void meter(String model, String provider, CallContext context, int input, int output, BigDecimal cost,
                       long latency, boolean succeeded) {
        metering.record(new UsageEvent(model, provider, context.agentId(), context.agentVersion(),
                context.sessionId(), input, output, 0, latency, cost, succeeded));
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static int words(String text) {
        String trimmed = text.trim();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }
}
