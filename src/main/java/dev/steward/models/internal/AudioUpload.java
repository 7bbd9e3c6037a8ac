package dev.steward.models.internal;

import dev.steward.models.api.VoiceGateway;
import dev.steward.shared.FieldError;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import java.util.List;

/** An uploaded audio body: a type the transcription endpoints read (415 otherwise), and not empty (400). */
final class AudioUpload {

    private AudioUpload() {
    }

    /** The media type without parameters, if transcribable. */
    static String mediaType(String contentType) {
        return VoiceGateway.transcribable(contentType).orElseThrow(() -> new ProblemException(
                ProblemType.UNSUPPORTED_MEDIA_TYPE, "Audio must be one of "
                + String.join(", ", VoiceGateway.TRANSCRIBABLE.stream().sorted().toList()),
                List.of(new FieldError("Content-Type", "is not a transcribable audio type"))));
    }

    static byte[] nonEmpty(byte[] audio) {
        if (audio == null || audio.length == 0) {
            throw ProblemException.invalid("body", "must be the audio; it is empty");
        }
        return audio;
    }
}
