package dev.steward.models.internal;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import java.time.Duration;
import java.util.Map;

/**
 * OpenAI's chat completions wire, which several provider types speak: OpenAI itself, any OpenAI-compatible
 * endpoint, Ollama (its OpenAI-compatible API under {@code /v1}), Azure OpenAI (its v1 API,
 * {@code https://<resource>.openai.azure.com/openai/v1}, with the key also in {@code api-key}), Gemini (Google's
 * OpenAI-compatible endpoint) and Bedrock (its OpenAI-compatible endpoint,
 * {@code https://bedrock-runtime.<region>.amazonaws.com/openai/v1}, with an Amazon Bedrock API key; the models AWS
 * serves there).
 */
final class OpenAiCompatibleClient extends ProviderClient {

    static final String OPENAI = "https://api.openai.com/v1";
    static final String OLLAMA = "http://localhost:11434/v1";
    static final String GEMINI = "https://generativelanguage.googleapis.com/v1beta/openai";

    @Override
    ChatModel model(ModelStore.Binding binding, Duration timeout) {
        return OpenAiChatModel.builder().baseUrl(baseUrl(binding)).apiKey(apiKey(binding))
                .customHeaders(headers(binding)).modelName(binding.providerModel()).timeout(timeout).maxRetries(0)
                .build();
    }

    @Override
    StreamingChatModel streamingModel(ModelStore.Binding binding, Duration timeout) {
        return OpenAiStreamingChatModel.builder().baseUrl(baseUrl(binding)).apiKey(apiKey(binding))
                .customHeaders(headers(binding)).modelName(binding.providerModel()).timeout(timeout).build();
    }

    @Override
    int cachedTokens(TokenUsage usage) {
        return usage instanceof OpenAiTokenUsage openAi && openAi.inputTokensDetails() != null
                ? count(openAi.inputTokensDetails().cachedTokens()) : 0;
    }

    static String baseUrl(ModelStore.Binding binding) {
        if (binding.baseUrl() != null) {
            return binding.baseUrl();
        }
        return switch (binding.providerType()) {
            case "ollama" -> OLLAMA;
            case "gemini" -> GEMINI;
            default -> OPENAI;
        };
    }

    static Map<String, String> headers(ModelStore.Binding binding) {
        return "azure-openai".equals(binding.providerType()) ? Map.of("api-key", apiKey(binding)) : Map.of();
    }

    static String apiKey(ModelStore.Binding binding) {
        return binding.credentials().getOrDefault("apiKey", "none");
    }
}
