package dev.steward.models.api;

import dev.steward.models.api.ChatGateway.CallContext;
import dev.steward.models.api.ChatGateway.ModelCallFailed;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Speech to text and text to speech with the tenant's models: the built-in {@link ModelCatalog#SCRIPTED} (a tone
 * codec: it transcribes only audio its own speech produced, and says so for anything else) or a model on an
 * OpenAI-wire account ({@code /audio/transcriptions}, {@code /audio/speech}). Metered like chat calls. Neither the
 * audio nor the text to speak is masked: audio cannot be, and the text is what the listener is to hear. Must be
 * called outside a transaction.
 */
public interface VoiceGateway {

    /** Audio formats speech may be asked for, as OpenAI names them. */
    List<String> SPEECH_FORMATS = List.of("wav", "mp3", "opus", "aac", "flac", "pcm");

    /** Media types of audio that may be sent for transcription (those OpenAI's endpoint reads). */
    Set<String> TRANSCRIBABLE = Set.of("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave", "audio/mpeg",
            "audio/mp3", "audio/mpga", "audio/mp4", "audio/m4a", "audio/x-m4a", "audio/ogg", "audio/webm",
            "audio/flac", "audio/x-flac");

    Transcript transcribe(TranscriptionRequest request) throws ModelCallFailed;

    /** The speech; with {@code onChunk}, the audio arrives there in pieces as the provider sends it. */
    Speech speak(SpeechRequest request, Consumer<byte[]> onChunk) throws ModelCallFailed;

    /** Audio to transcribe: its bytes and media type ({@code audio/wav}, ...). */
    record TranscriptionRequest(String model, byte[] audio, String mediaType, CallContext context) {
    }

    /** What was heard; the tokens the provider counted (zero when it does not say), the cost and time. */
    record Transcript(String model, String text, int inputTokens, int outputTokens, BigDecimal cost,
                      long latencyMillis) {
    }

    /** Text to speak, in a voice (the provider's name for it), as a format of {@link #SPEECH_FORMATS}. */
    record SpeechRequest(String model, String text, String voice, String format, CallContext context) {
    }

    /** The audio as a whole, its media type, and the cost (input priced per character) and time. */
    record Speech(String model, byte[] audio, String mediaType, int characters, BigDecimal cost,
                  long latencyMillis) {
    }

    /** The media type of a {@code Content-Type} without its parameters, if audio of that type can be transcribed. */
    static Optional<String> transcribable(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return TRANSCRIBABLE.contains(type) ? Optional.of(type) : Optional.empty();
    }

    /** The media type of a speech format. */
    static String mediaType(String format) {
        return switch (format) {
            case "mp3" -> "audio/mpeg";
            case "opus" -> "audio/ogg";
            case "aac" -> "audio/aac";
            case "flac" -> "audio/flac";
            case "pcm" -> "audio/pcm";
            default -> "audio/wav";
        };
    }
}
