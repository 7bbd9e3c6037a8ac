package dev.steward.models.internal;

import dev.steward.models.api.ChatGateway.ChatMessage;
import dev.steward.models.api.ChatGateway.Role;
import java.util.List;
import java.util.Locale;

/**
 * The built-in {@code steward-scripted} model: deterministic, no network. It answers "You said: <the last user
 * message>", and when that message asks about the first one, also "Your first message was: <it>" (so multi-turn
 * memory is visible). Tokens are counted as whitespace-separated words.
 */
final class ScriptedModel {

    private ScriptedModel() {
    }

    static ModelReply reply(List<ChatMessage> messages) {
        List<String> userTexts = messages.stream().filter(m -> m.role() == Role.USER).map(ChatMessage::text).toList();
        String last = userTexts.isEmpty() ? "" : userTexts.get(userTexts.size() - 1);
        StringBuilder reply = new StringBuilder("You said: ").append(last);
        if (userTexts.size() > 1 && last.toLowerCase(Locale.ROOT).contains("first")) {
            reply.append(" Your first message was: ").append(userTexts.get(0));
        }
        int input = messages.stream().mapToInt(m -> words(m.text())).sum();
        return new ModelReply(reply.toString(), input, words(reply.toString()));
    }

    private static int words(String text) {
        String trimmed = text.trim();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }
}
