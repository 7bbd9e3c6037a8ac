package dev.steward.models.internal;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;

/**
 * OpenAI's chat completions wire: OpenAI itself, any OpenAI-compatible endpoint, and Ollama (whose OpenAI-compatible
 * API is under {@code /v1}).
 */
final class OpenAiCompatibleClient extends ProviderClient {

    static final String OPENAI = "https://api.openai.com/v1";
    static final String OLLAMA = "http://localhost:11434/v1";

    @Override
    ChatModel model(ModelStore.Binding binding, Duration timeout) {
        return OpenAiChatModel.builder().baseUrl(baseUrl(binding)).apiKey(apiKey(binding))
                .modelName(binding.providerModel()).timeout(timeout).maxRetries(0).build();
    }

    @Override
    StreamingChatModel streamingModel(ModelStore.Binding binding, Duration timeout) {
        return OpenAiStreamingChatModel.builder().baseUrl(baseUrl(binding)).apiKey(apiKey(binding))
                .modelName(binding.providerModel()).timeout(timeout).build();
    }

    static String baseUrl(ModelStore.Binding binding) {
        if (binding.baseUrl() != null) {
            return binding.baseUrl();
        }
        return "ollama".equals(binding.providerType()) ? OLLAMA : OPENAI;
    }

    private static String apiKey(ModelStore.Binding binding) {
        return binding.credentials().getOrDefault("apiKey", "none");
    }
}
