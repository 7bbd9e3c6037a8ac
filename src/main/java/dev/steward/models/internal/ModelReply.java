package dev.steward.models.internal;

import dev.steward.models.api.ChatGateway.ToolCall;
import java.util.List;

/** What a model answered (text and the tool calls it asked for), with the tokens it counted. */
record ModelReply(String text, List<ToolCall> toolCalls, int inputTokens, int outputTokens) {

    static final ModelReply NONE = new ModelReply("", List.of(), 0, 0);

    ModelReply {
        toolCalls = List.copyOf(toolCalls);
    }
}
