package dev.steward.models.internal;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.TokenUsage;
import dev.steward.models.api.ChatGateway.ChatMessage;
import dev.steward.models.api.ChatGateway.ToolCall;
import dev.steward.models.api.ChatGateway.ToolSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One provider type's wire, through LangChain4j: the conversation and tools in LangChain4j's types, the answer back
 * in ours; streamed when the caller takes deltas. No retries here: bounded retries, circuit breakers and fallbacks
 * belong to the gateway, around every provider alike.
 */
abstract class ProviderClient {

    /** Clients kept per account, model and credentials: each holds an HTTP client and its threads. */
    private static final int MAX_KEPT = 500;
    private final Map<String, Object> kept = new ConcurrentHashMap<>();

    abstract ChatModel model(ModelStore.Binding binding, Duration timeout);

    abstract StreamingChatModel streamingModel(ModelStore.Binding binding, Duration timeout);

    /**
     * The client for a binding, built once: the key carries everything the client is built from (a digest of the
     * credentials, so a rotated key gets a new client), and the map is emptied when it grows past its bound.
     */
    private <T> T client(ModelStore.Binding binding, Duration timeout, boolean streaming, Class<T> type) {
        String key = String.join("|", binding.account(), binding.providerType(), String.valueOf(binding.baseUrl()),
                binding.providerModel(), digest(binding.credentials().toString()), timeout.toString(),
                String.valueOf(streaming));
        if (kept.size() >= MAX_KEPT) {
            kept.clear();
        }
        return type.cast(kept.computeIfAbsent(key, ignored -> streaming ? streamingModel(binding, timeout)
                : model(binding, timeout)));
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The answer; with {@code onDelta}, text arrives there as the provider streams it, before this returns. */
    final ModelReply chat(ModelStore.Binding binding, List<ChatMessage> messages, List<ToolSpec> tools,
                          Consumer<String> onDelta, Duration timeout) {
        ChatRequest.Builder request = ChatRequest.builder()
                .messages(messages.stream().map(ProviderClient::toLangChain4j).toList());
        if (!tools.isEmpty()) {
            request.toolSpecifications(tools.stream().map(ProviderClient::toLangChain4j).toList());
        }
        ChatResponse response = onDelta == null
                ? client(binding, timeout, false, ChatModel.class).chat(request.build())
                : stream(client(binding, timeout, true, StreamingChatModel.class), request.build(), onDelta, timeout);
        AiMessage answer = response.aiMessage();
        String text = answer == null || answer.text() == null ? "" : answer.text();
        List<ToolCall> calls = answer == null || !answer.hasToolExecutionRequests() ? List.of()
                : answer.toolExecutionRequests().stream()
                        .map(call -> new ToolCall(call.id(), call.name(), call.arguments())).toList();
        TokenUsage usage = response.tokenUsage();
        return new ModelReply(text, calls, usage == null ? 0 : count(usage.inputTokenCount()),
                usage == null ? 0 : count(usage.outputTokenCount()), usage == null ? 0 : cachedTokens(usage));
    }

    /** Of the input tokens, those the provider read from its prompt cache, if it says. */
    abstract int cachedTokens(TokenUsage usage);

    private static ChatResponse stream(StreamingChatModel model, ChatRequest request, Consumer<String> onDelta,
                                       Duration timeout) {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                // A stream given up on (timed out, failed) may still deliver: its text must not follow a retry's.
                if (!done.isDone()) {
                    onDelta.accept(partial);
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        try {
            // The model's own timeout bounds each read; this bounds the whole stream.
            return done.get(timeout.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            done.cancel(false);
            throw new IllegalStateException("the provider's stream did not finish in time", e);
        } catch (InterruptedException e) {
            done.cancel(false);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the provider streamed", e);
        }
    }

    /** Providers may leave counts out; a call is still a call. */
    static int count(Integer tokens) {
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
