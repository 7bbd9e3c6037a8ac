package dev.steward.models.internal;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST /api/v1/models/{name}/speech}: a text to speak, in a voice (default alloy), as a format (wav). */
public record SpeechTryRequest(
        @NotBlank @Size(max = 4096) String input,
        @Pattern(regexp = VOICE, message = "must be a voice name: letters, digits, dashes, underscores") String voice,
        @Pattern(regexp = "wav|mp3|opus|aac|flac|pcm", message = "must be wav, mp3, opus, aac, flac or pcm")
        String format) {

    static final String VOICE = "[A-Za-z0-9_-]{1,40}";

    String voiceOrDefault() {
        return voice == null ? "alloy" : voice;
    }

    String formatOrDefault() {
        return format == null ? "wav" : format;
    }
}
