package dev.steward.models.internal;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.output.TokenUsage;
import java.time.Duration;

/** Anthropic's messages wire ({@code /v1/messages}, {@code x-api-key}). */
final class AnthropicClient extends ProviderClient {

    static final String ANTHROPIC = "https://api.anthropic.com/v1";
    /** Anthropic requires a ceiling on the answer; the model's own parameters may lower it later. */
    private static final int MAX_TOKENS = 4096;

    @Override
    ChatModel model(ModelStore.Binding binding, Duration timeout) {
        return AnthropicChatModel.builder().baseUrl(baseUrl(binding)).apiKey(apiKey(binding))
                .modelName(binding.providerModel()).maxTokens(MAX_TOKENS).timeout(timeout).maxRetries(0).build();
    }

    @Override
    StreamingChatModel streamingModel(ModelStore.Binding binding, Duration timeout) {
        return AnthropicStreamingChatModel.builder().baseUrl(baseUrl(binding)).apiKey(apiKey(binding))
                .modelName(binding.providerModel()).maxTokens(MAX_TOKENS).timeout(timeout).build();
    }

    @Override
    int cachedTokens(TokenUsage usage) {
        return usage instanceof AnthropicTokenUsage anthropic ? count(anthropic.cacheReadInputTokens()) : 0;
    }

    static String baseUrl(ModelStore.Binding binding) {
        return binding.baseUrl() == null ? ANTHROPIC : binding.baseUrl();
    }

    private static String apiKey(ModelStore.Binding binding) {
        return binding.credentials().getOrDefault("apiKey", "none");
    }
}
