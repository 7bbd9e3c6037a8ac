package dev.steward.models.internal;

import dev.langchain4j.exception.HttpException;
import dev.steward.models.api.ChatGateway.ChatMessage;
import dev.steward.models.api.ChatGateway.ToolSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * A provider call with MicroProfile Fault Tolerance around it: at most two retries, 200 ms apart with up to 150 ms
 * of jitter, and only for failures another try can fix (429, 5xx, a broken connection or timeout) and only while
 * nothing was streamed yet (a retry would repeat what the client already has); at most 50 calls at once per node,
 * so a slow provider cannot take every thread. Each call times out after {@code STEWARD_MODELS_TIMEOUT_SECONDS}
 * (60). Circuits per account are kept by {@link Circuits}, around this.
 */
@ApplicationScoped
class ProviderCalls {

    /** The provider types the gateway can call, by the wire they speak. */
    static final Map<String, ProviderClient> CLIENTS = Map.of(
            "openai", new OpenAiCompatibleClient(),
            "openai-compatible", new OpenAiCompatibleClient(),
            "ollama", new OpenAiCompatibleClient(),
            "azure-openai", new OpenAiCompatibleClient(),
            "gemini", new OpenAiCompatibleClient(),
            "bedrock", new OpenAiCompatibleClient(),
            "anthropic", new AnthropicClient());

    /** A failure worth another try. */
    static class Retryable extends Exception {
        Retryable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Inject
    @ConfigProperty(name = "steward.models.timeout-seconds", defaultValue = "60")
    long timeoutSeconds;

    static Optional<ProviderClient> client(String providerType) {
        return Optional.ofNullable(CLIENTS.get(providerType));
    }

    static String baseUrl(ModelStore.Binding binding) {
        return "anthropic".equals(binding.providerType()) ? AnthropicClient.baseUrl(binding)
                : OpenAiCompatibleClient.baseUrl(binding);
    }

    @Retry(maxRetries = 2, delay = 200, jitter = 150, retryOn = Retryable.class)
    @Bulkhead(50)
    public ModelReply chat(ModelStore.Binding binding, List<ChatMessage> messages, List<ToolSpec> tools,
                           Consumer<String> onDelta) throws Retryable {
        AtomicBoolean streamed = new AtomicBoolean();
        Consumer<String> deltas = onDelta == null ? null : delta -> {
            streamed.set(true);
            onDelta.accept(delta);
        };
        try {
            return client(binding.providerType()).orElseThrow().chat(binding, messages, tools, deltas,
                    Duration.ofSeconds(timeoutSeconds));
        } catch (RuntimeException e) {
            if (retryable(e) && !streamed.get()) {
                throw new Retryable(DefaultChatGateway.describe(e), e);
            }
            throw e;
        }
    }

    /** The audio endpoints of OpenAI's wire, for the types that have them. */
    private final OpenAiAudioClient audio = new OpenAiAudioClient();

    @Retry(maxRetries = 2, delay = 200, jitter = 150, retryOn = Retryable.class)
    @Bulkhead(50)
    public OpenAiAudioClient.Heard transcribe(ModelStore.Binding binding, byte[] sound, String mediaType)
            throws Retryable {
        try {
            return audio.transcribe(binding, sound, mediaType, Duration.ofSeconds(timeoutSeconds));
        } catch (RuntimeException e) {
            if (retryable(e)) {
                throw new Retryable(DefaultChatGateway.describe(e), e);
            }
            throw e;
        }
    }

    /** Speech, its pieces passed on as they arrive; retried only while none was. */
    @Retry(maxRetries = 2, delay = 200, jitter = 150, retryOn = Retryable.class)
    @Bulkhead(50)
    public byte[] speak(ModelStore.Binding binding, String text, String voice, String format,
                        Consumer<byte[]> onChunk) throws Retryable {
        AtomicBoolean streamed = new AtomicBoolean();
        Consumer<byte[]> chunks = onChunk == null ? null : chunk -> {
            streamed.set(true);
            onChunk.accept(chunk);
        };
        try {
            return audio.speak(binding, text, voice, format, Duration.ofSeconds(timeoutSeconds), chunks);
        } catch (RuntimeException e) {
            if (retryable(e) && !streamed.get()) {
                throw new Retryable(DefaultChatGateway.describe(e), e);
            }
            throw e;
        }
    }

    private static boolean retryable(RuntimeException error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpException http) {
                return http.statusCode() == 429 || http.statusCode() >= 500;
            }
        }
        return true; // no status: a connection that broke or timed out
    }
}
