package dev.steward.models.api;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The one path for model calls: the tenant in scope's model (the built-in {@link ModelCatalog#SCRIPTED} or one it
 * registered), personal data masked before the prompt leaves the platform and restored in the reply, tokens
 * counted and metered. Must be called outside a transaction (it reads the model, then waits on the provider without
 * holding a connection).
 */
public interface ChatGateway {

    ChatResult chat(ChatRequest request) throws ModelCallFailed;

    /** A one-off call without tools, streaming or a session to meter it against. */
    default ChatResult chat(String model, List<ChatMessage> messages) throws ModelCallFailed {
        return chat(new ChatRequest(model, List.of(), messages, List.of(), CallContext.NONE, null, true));
    }

    /**
     * A call: the model, the models to fall back to in order when it fails, the conversation, the tools the model
     * may ask for (only those the agent was granted), whom the usage is metered against, where text deltas go as
     * they arrive ({@code null}: not streamed), and whether masked values are put back into the reply's text (an
     * agent may keep them as placeholders; tool arguments always get them back, tools act inside the platform).
     */
    record ChatRequest(String model, List<String> fallbackModels, List<ChatMessage> messages, List<ToolSpec> tools,
                       CallContext context, Consumer<String> onDelta, boolean restoreMasked) {

        public ChatRequest {
            fallbackModels = List.copyOf(fallbackModels);
            messages = List.copyOf(messages);
            tools = List.copyOf(tools);
        }
    }

    /**
     * Whom a call is for, written on its usage event; any part may be null. {@code sessionId} names the session, or
     * {@code run:<id>} the workflow run whose specialist made the call.
     */
    record CallContext(UUID agentId, Integer agentVersion, String sessionId) {

        public static final CallContext NONE = new CallContext(null, null, null);
        /** How a workflow run's calls name it where a session's calls name the session. */
        public static final String RUN_PREFIX = "run:";

        /** A call a workflow run's specialist makes: its usage is the run's. */
        public static CallContext ofRun(UUID agentId, int agentVersion, UUID runId) {
            return new CallContext(agentId, agentVersion, RUN_PREFIX + runId);
        }
    }

    /**
     * One message of a conversation. An assistant message may carry the tool calls the model asked for; a
     * {@link Role#TOOL} message answers one of them ({@code toolCallId}, {@code toolName}) with its result as text.
     */
    record ChatMessage(Role role, String text, List<ToolCall> toolCalls, String toolCallId, String toolName) {

        public ChatMessage {
            text = text == null ? "" : text;
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        }

        public ChatMessage(Role role, String text) {
            this(role, text, List.of(), null, null);
        }

        public static ChatMessage toolResult(ToolCall call, String result) {
            return new ChatMessage(Role.TOOL, result, List.of(), call.id(), call.name());
        }
    }

    enum Role { SYSTEM, USER, ASSISTANT, TOOL }

    /** A tool the model may call: its name, what it does, and its arguments as a JSON schema (JSON text). */
    record ToolSpec(String name, String description, String parametersSchema) {
    }

    /** A call the model asked for: an id to answer it by, the tool's name and its arguments as JSON text. */
    record ToolCall(String id, String name, String argumentsJson) {
    }

    /**
     * The reply (text, and the tool calls the model asked for), the model that answered (a fallback's name when the
     * first failed), the tokens the provider counted (input, output, and of the input those read from its prompt
     * cache), what they cost at the model's prices, what was masked (kind and count), and how long it took.
     */
    record ChatResult(String model, String text, List<ToolCall> toolCalls, int inputTokens, int outputTokens,
                      int cachedTokens, BigDecimal cost, Map<String, Integer> masked, long latencyMillis) {
    }

    /** Why a call did not happen or did not succeed. */
    enum Failure { UNKNOWN_MODEL, BUDGET_SPENT, REFUSED, PROVIDER_FAILED }

    /** A call that failed, and why; the message never carries what the provider answered. */
    class ModelCallFailed extends Exception {

        private final Failure failure;

        public ModelCallFailed(String message, Failure failure, Throwable cause) {
            super(message, cause);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }
}
