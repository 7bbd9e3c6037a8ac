package dev.steward.tools.internal;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;

/**
 * A remote tool's answer as text for the model: its text contents in order, other contents named by kind (an image
 * is not text a model reads here), structured content as JSON when there is no text; cut at
 * {@link McpRemote#MAX_RESULT_CHARS} with a note saying so.
 */
final class McpResults {

    private McpResults() {
    }

    static String text(McpSchema.CallToolResult result, McpJsonMapper json) {
        StringBuilder text = new StringBuilder();
        if (result.content() != null) {
            for (McpSchema.Content content : result.content()) {
                if (text.length() > 0) {
                    text.append('\n');
                }
                text.append(describe(content));
                if (text.length() > McpRemote.MAX_RESULT_CHARS) {
                    break;
                }
            }
        }
        if (text.length() == 0 && result.structuredContent() != null) {
            try {
                text.append(json.writeValueAsString(result.structuredContent()));
            } catch (IOException e) {
                text.append("[structured content that is not JSON]");
            }
        }
        if (text.length() > McpRemote.MAX_RESULT_CHARS) {
            int more = text.length() - McpRemote.MAX_RESULT_CHARS;
            text.setLength(McpRemote.MAX_RESULT_CHARS);
            text.append(" [truncated: ").append(more).append(" more characters]");
        }
        return text.toString();
    }

    private static String describe(McpSchema.Content content) {
        if (content instanceof McpSchema.TextContent text) {
            return text.text() == null ? "" : text.text();
        }
        if (content instanceof McpSchema.ImageContent image) {
            return "[image " + image.mimeType() + "]";
        }
        if (content instanceof McpSchema.AudioContent audio) {
            return "[audio " + audio.mimeType() + "]";
        }
        if (content instanceof McpSchema.EmbeddedResource embedded) {
            return embedded.resource() instanceof McpSchema.TextResourceContents resource ? resource.text()
                    : "[resource " + embedded.resource().uri() + "]";
        }
        if (content instanceof McpSchema.ResourceLink link) {
            return "[link " + link.uri() + "]";
        }
        return "[" + content.type() + "]";
    }
}
