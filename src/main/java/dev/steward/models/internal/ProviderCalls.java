package dev.steward.models.internal;

import dev.langchain4j.exception.HttpException;
import dev.steward.models.api.ChatGateway.ChatMessage;
import dev.steward.models.api.ChatGateway.ToolSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * A provider call with MicroProfile Fault Tolerance around it: at most two retries, 200 ms apart with up to 150 ms
 * of jitter, and only for failures another try can fix (429, 5xx, a broken connection or timeout); at most 50 calls
 * at once per node, so a slow provider cannot take every thread. Circuits per account are kept by
 * {@link Circuits}, around this.
 */
@ApplicationScoped
class ProviderCalls {

    /** A failure worth another try. */
    static class Retryable extends Exception {
        Retryable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Retry(maxRetries = 2, delay = 200, jitter = 150, retryOn = Retryable.class)
    @Bulkhead(50)
    public ModelReply chat(ModelStore.Binding binding, List<ChatMessage> messages, List<ToolSpec> tools)
            throws Retryable {
        try {
            return OpenAiCompatibleClient.chat(binding, messages, tools);
        } catch (RuntimeException e) {
            if (retryable(e)) {
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
