package dev.steward.protocols.internal;

import dev.steward.sessions.api.Conversations;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A chat completion request as Steward reads it: the agent ({@code model}), the conversation so far as exchanges,
 * the new input (the user's messages after the last assistant message), and how to answer. System and developer
 * messages are not sent: the agent's own instructions govern it. Parameters that tune a model (temperature and the
 * like) are the agent's to set and are ignored here.
 */
record ChatRequest(String model, List<Conversations.Exchange> history, String input, boolean stream,
                   boolean includeUsage) {

    static final int MAX_MESSAGES = 200;
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    /** A request the endpoint refuses: which parameter, and why. */
    static final class Invalid extends Exception {

        final String param;

        Invalid(String param, String message) {
            super(message);
            this.param = param;
        }
    }

    static ChatRequest parse(JsonObject body) throws Invalid {
        if (!(body.get("model") instanceof JsonString model) || model.getString().isBlank()) {
            throw new Invalid("model", "model: required, the name of one of your agents");
        }
        if (!(body.get("messages") instanceof JsonArray messages) || messages.isEmpty()
                || messages.size() > MAX_MESSAGES) {
            throw new Invalid("messages", "messages: required, 1 to " + MAX_MESSAGES + " messages");
        }
        if (body.containsKey("n") && !(body.get("n") instanceof JsonNumber n && n.intValue() == 1)) {
            throw new Invalid("n", "n: only 1 is supported");
        }
        List<Conversations.Exchange> history = new ArrayList<>();
        StringBuilder user = new StringBuilder();
        for (int i = 0; i < messages.size(); i++) {
            if (!(messages.get(i) instanceof JsonObject message)
                    || !(message.get("role") instanceof JsonString role) || !ROLES.contains(role.getString())) {
                throw new Invalid("messages[" + i + "].role", "messages[" + i + "].role: must be one of " + ROLES);
            }
            String text = text(message.get("content"), i);
            if (role.getString().equals("user")) {
                user.append(user.length() > 0 ? "\n" : "").append(text);
            } else if (role.getString().equals("assistant")) {
                history.add(new Conversations.Exchange(user.toString(), text));
                user.setLength(0);
            }
        }
        if (user.length() == 0) {
            throw new Invalid("messages", "messages: the last message must be the user's");
        }
        JsonValue options = body.get("stream_options");
        boolean includeUsage = options instanceof JsonObject stream && stream.getBoolean("include_usage", false);
        return new ChatRequest(model.getString(), history, user.toString(),
                body.get("stream") == JsonValue.TRUE, includeUsage);
    }

    /** Text content, or the text parts of content given as parts. */
    private static String text(JsonValue content, int index) throws Invalid {
        if (content == null || content == JsonValue.NULL) {
            return "";
        }
        if (content instanceof JsonString text) {
            return text.getString();
        }
        if (content instanceof JsonArray parts) {
            StringBuilder text = new StringBuilder();
            for (JsonValue part : parts) {
                if (part instanceof JsonObject object && "text".equals(object.getString("type", null))
                        && object.get("text") instanceof JsonString value) {
                    text.append(value.getString());
                } else {
                    throw new Invalid("messages[" + index + "].content", "messages[" + index + "].content: only"
                            + " text parts are supported");
                }
            }
            return text.toString();
        }
        throw new Invalid("messages[" + index + "].content", "messages[" + index + "].content: must be text");
    }
}
