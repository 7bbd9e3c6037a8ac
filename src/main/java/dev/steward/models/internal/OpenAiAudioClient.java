package dev.steward.models.internal;

import dev.langchain4j.exception.HttpException;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * OpenAI's audio wire, over the JDK's HTTP client (LangChain4j has no speech calls at the version we use):
 * {@code POST /audio/transcriptions} as multipart form data ({@code file}, {@code model}, {@code response_format}
 * json) answering {@code {"text", "usage"}}, and {@code POST /audio/speech} with JSON ({@code model}, {@code input},
 * {@code voice}, {@code response_format}) answering the audio itself, read in chunks as it arrives. A status other
 * than 200 is a {@link HttpException}, so the gateway's retry and error rules treat it as any provider's. Redirects
 * are not followed: the account's base URL is the one address that was checked.
 */
final class OpenAiAudioClient {

    /** The provider types whose API has the audio endpoints. */
    static final Set<String> TYPES = Set.of("openai", "openai-compatible", "azure-openai");
    /** The size of the pieces speech is passed on in. */
    static final int CHUNK_BYTES = 32 * 1024;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** What a transcription answered: the text and, when the provider counts them, tokens in and out. */
    record Heard(String text, int inputTokens, int outputTokens) {
    }

    Heard transcribe(ModelStore.Binding binding, byte[] audio, String mediaType, Duration timeout) {
        String boundary = "steward-" + UUID.randomUUID();
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        field(form, boundary, "model", binding.providerModel());
        field(form, boundary, "response_format", "json");
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"audio."
                + extension(mediaType) + "\"\r\nContent-Type: " + mediaType + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        form.writeBytes(audio);
        form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = request(binding, "/audio/transcriptions", timeout)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())).build();
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new HttpException(response.statusCode(), "the provider answered " + response.statusCode());
        }
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            JsonObject answer = reader.readObject();
            JsonObject usage = answer.get("usage") instanceof JsonObject object ? object : null;
            return new Heard(answer.getString("text"), count(usage, "input_tokens"), count(usage, "output_tokens"));
        } catch (RuntimeException e) {
            throw new IllegalStateException("the provider's transcription is not the JSON expected", e);
        }
    }

    /** The speech as a whole; each piece also goes to {@code onChunk} as soon as it is read. */
    byte[] speak(ModelStore.Binding binding, String text, String voice, String format, Duration timeout,
                 Consumer<byte[]> onChunk) {
        String body = Json.createObjectBuilder().add("model", binding.providerModel()).add("input", text)
                .add("voice", voice).add("response_format", format).build().toString();
        HttpRequest request = request(binding, "/audio/speech", timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new HttpException(response.statusCode(), "the provider answered " + response.statusCode());
            }
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            byte[] buffer = new byte[CHUNK_BYTES];
            for (int read; (read = in.readNBytes(buffer, 0, buffer.length)) > 0; ) {
                byte[] chunk = Arrays.copyOf(buffer, read);
                whole.writeBytes(chunk);
                if (onChunk != null) {
                    onChunk.accept(chunk);
                }
            }
            return whole.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpRequest.Builder request(ModelStore.Binding binding, String path, Duration timeout) {
        String base = OpenAiCompatibleClient.baseUrl(binding).replaceAll("/+$", "");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Authorization", "Bearer " + OpenAiCompatibleClient.apiKey(binding));
        for (Map.Entry<String, String> header : OpenAiCompatibleClient.headers(binding).entrySet()) {
            request.header(header.getKey(), header.getValue());
        }
        return request;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the provider answered", e);
        }
    }

    private static void field(ByteArrayOutputStream form, String boundary, String name, String value) {
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n"
                + value + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The file name's extension, which OpenAI reads the format from. */
    static String extension(String mediaType) {
        String subtype = mediaType.substring(mediaType.indexOf('/') + 1);
        return switch (subtype) {
            case "mpeg", "mp3", "mpga" -> "mp3";
            case "x-wav", "wave", "vnd.wave", "wav" -> "wav";
            case "x-m4a", "m4a" -> "m4a";
            case "x-flac", "flac" -> "flac";
            default -> subtype; // mp4, ogg, webm
        };
    }

    private static int count(JsonObject usage, String key) {
        return usage != null && usage.get(key) instanceof JsonNumber number ? number.intValue() : 0;
    }
}
