package dev.steward.models.internal;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.TokenUsage;
import dev.steward.models.api.ChatGateway.ChatMessage;
import dev.steward.models.api.ChatGateway.ToolCall;
import dev.steward.models.api.ChatGateway.ToolSpec;
import java.time.Duration;
import java.util.List;

/**
 * Calls an OpenAI or OpenAI-compatible chat completions endpoint through LangChain4j, tools included. No retries
 * here: bounded retries, circuit breakers and fallbacks belong to the gateway, around every provider alike.
 */
final class OpenAiCompatibleClient {

    static final String OPENAI = "https://api.openai.com/v1";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private OpenAiCompatibleClient() {
    }

    static ModelReply chat(ModelStore.Binding binding, List<ChatMessage> messages, List<ToolSpec> tools) {
        OpenAiChatModel model = OpenAiChatModel.builder()
                .baseUrl(binding.baseUrl() == null ? OPENAI : binding.baseUrl())
                .apiKey(binding.credentials().getOrDefault("apiKey", "none"))
                .modelName(binding.providerModel())
                .timeout(TIMEOUT)
                .maxRetries(0)
                .build();
        ChatRequest.Builder request = ChatRequest.builder()
                .messages(messages.stream().map(OpenAiCompatibleClient::toLangChain4j).toList());
        if (!tools.isEmpty()) {
            request.toolSpecifications(tools.stream().map(OpenAiCompatibleClient::toLangChain4j).toList());
        }
        ChatResponse response = model.chat(request.build());
        AiMessage answer = response.aiMessage();
        String text = answer == null || answer.text() == null ? "" : answer.text();
        List<ToolCall> calls = answer == null || !answer.hasToolExecutionRequests() ? List.of()
                : answer.toolExecutionRequests().stream()
                        .map(call -> new ToolCall(call.id(), call.name(), call.arguments())).toList();
        TokenUsage usage = response.tokenUsage();
        return new ModelReply(text, calls, usage == null ? 0 : count(usage.inputTokenCount()),
                usage == null ? 0 : count(usage.outputTokenCount()));
    }

    /** Providers may leave counts out; a call is still a call. */
    private static int count(Integer tokens) {
        return tokens == null ? 0 : tokens;
    }

    private static ToolSpecification toLangChain4j(ToolSpec tool) {
        return ToolSpecification.builder().name(tool.name()).description(tool.description())
                .parameters(ToolSchemas.parameters(tool.parametersSchema())).build();
    }

    private static List<ToolExecutionRequest> requests(ChatMessage message) {
        return message.toolCalls().stream().map(call -> ToolExecutionRequest.builder().id(call.id())
                .name(call.name()).arguments(call.argumentsJson()).build()).toList();
    }

    private static dev.langchain4j.data.message.ChatMessage toLangChain4j(ChatMessage message) {
        return switch (message.role()) {
            case SYSTEM -> SystemMessage.from(message.text());
            case USER -> UserMessage.from(message.text());
            case ASSISTANT -> message.toolCalls().isEmpty() ? AiMessage.from(message.text())
                    : message.text().isEmpty() ? AiMessage.from(requests(message))
                    : AiMessage.from(message.text(), requests(message));
            case TOOL -> ToolExecutionResultMessage.from(message.toolCallId(), message.toolName(), message.text());
        };
    }
}
