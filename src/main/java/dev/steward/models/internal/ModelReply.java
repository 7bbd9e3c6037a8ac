package dev.steward.models.internal;

import dev.steward.models.api.ChatGateway.ToolCall;
import java.util.List;

/**
 * What a model answered (text and the tool calls it asked for), with the tokens it counted: input (of which
 * {@code cachedTokens} were read from the provider's prompt cache) and output.
 */
record ModelReply(String text, List<ToolCall> toolCalls, int inputTokens, int outputTokens, int cachedTokens) {

    static final ModelReply NONE = new ModelReply("", List.of(), 0, 0, 0);

    ModelReply(String text, List<ToolCall> toolCalls, int inputTokens, int outputTokens) {
        this(text, toolCalls, inputTokens, outputTokens, 0);
    }

    ModelReply {
        toolCalls = List.copyOf(toolCalls);
    }
}
