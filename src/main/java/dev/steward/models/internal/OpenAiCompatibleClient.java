package dev.steward.models.internal;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.TokenUsage;
import dev.steward.models.api.ChatGateway.ChatMessage;
import java.time.Duration;
import java.util.List;

/**
 * Calls an OpenAI or OpenAI-compatible chat completions endpoint through LangChain4j. No retries here: bounded
 * retries, circuit breakers and fallbacks belong to the gateway, around every provider alike.
 */
final class OpenAiCompatibleClient {

    static final String OPENAI = "https://api.openai.com/v1";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private OpenAiCompatibleClient() {
    }

    static ModelReply chat(ModelStore.Binding binding, List<ChatMessage> messages) {
        OpenAiChatModel model = OpenAiChatModel.builder()
                .baseUrl(binding.baseUrl() == null ? OPENAI : binding.baseUrl())
                .apiKey(binding.credentials().getOrDefault("apiKey", "none"))
                .modelName(binding.providerModel())
                .timeout(TIMEOUT)
                .maxRetries(0)
                .build();
        ChatResponse response = model.chat(messages.stream().map(OpenAiCompatibleClient::toLangChain4j).toList());
        String text = response.aiMessage() == null || response.aiMessage().text() == null ? ""
                : response.aiMessage().text();
        TokenUsage usage = response.tokenUsage();
        return new ModelReply(text, usage == null ? 0 : count(usage.inputTokenCount()),
                usage == null ? 0 : count(usage.outputTokenCount()));
    }

    /** Providers may leave counts out; a call is still a call. */
    private static int count(Integer tokens) {
        return tokens == null ? 0 : tokens;
    }

    private static dev.langchain4j.data.message.ChatMessage toLangChain4j(ChatMessage message) {
        return switch (message.role()) {
            case SYSTEM -> SystemMessage.from(message.text());
            case USER -> UserMessage.from(message.text());
            case ASSISTANT -> AiMessage.from(message.text());
        };
    }
}
