package dev.steward.models.internal;

import dev.steward.models.api.ChatGateway.ChatMessage;
import dev.steward.models.api.ChatGateway.Role;
import dev.steward.models.api.ChatGateway.ToolCall;
import dev.steward.models.api.ChatGateway.ToolSpec;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in {@code steward-scripted} model: deterministic, no network, by four rules.
 * <ol>
 * <li>When a system message holds {@code Propose:} followed by a JSON object, it answers that object with each
 * {@code {{path}}} replaced by the value at that dotted path of the JSON object in the last user message (how the
 * demo's workflow specialists answer; a real model is told the same format by the workflow).</li>
 * <li>When the conversation ends with tool results, it answers "Tool &lt;name&gt; answered: &lt;result&gt;" for
 * each.</li>
 * <li>When the last user message says {@code call <tool>} for a tool it was offered, optionally followed by the
 * arguments as a JSON object ({@code call save_note {"text": "milk"}}), it asks for that tool call; and so it does
 * when a system message has a line {@code When asked about <words>: call <tool> {...}} and the last user message
 * holds those words (how the demo's SQL agent turns a question into a query).</li>
 * <li>Otherwise it answers "You said: &lt;the last user message&gt;", and when that message asks about the first
 * one, also "Your first message was: &lt;it&gt;" (so multi-turn memory is visible).</li>
 * </ol>
 * Tokens are counted as whitespace-separated words of every message in and of the reply out.
 */
final class ScriptedModel {

    private static final Pattern CALL = Pattern.compile("\\bcall ([a-z][a-z0-9._-]*)");
    private static final String PROPOSE = "Propose:";
    private static final Pattern CANNED = Pattern.compile("\\s*When asked about ([^:]+):\\s*(call .*)");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z0-9_.-]+)}}");

    private ScriptedModel() {
    }

    static ModelReply reply(List<ChatMessage> messages, List<ToolSpec> tools) {
        int input = messages.stream().mapToInt(m -> words(m.text()) + words(argumentsOf(m))).sum();
        Optional<String> proposal = proposal(messages);
        if (proposal.isPresent()) {
            return new ModelReply(proposal.get(), List.of(), input, words(proposal.get()));
        }
        List<ChatMessage> toolResults = trailingToolResults(messages);
        if (!toolResults.isEmpty()) {
            List<String> answers = toolResults.stream()
                    .map(result -> "Tool " + result.toolName() + " answered: " + result.text()).toList();
            String text = String.join(" ", answers);
            return new ModelReply(text, List.of(), input, words(text));
        }
        List<String> userTexts = messages.stream().filter(m -> m.role() == Role.USER).map(ChatMessage::text).toList();
        String last = userTexts.isEmpty() ? "" : userTexts.get(userTexts.size() - 1);
        String asked = cannedCall(messages, last).orElse(last);
        Matcher call = CALL.matcher(asked);
        if (call.find() && tools.stream().anyMatch(tool -> tool.name().equals(call.group(1)))) {
            String arguments = jsonObjectAfter(asked, call.end());
            long turns = messages.stream().filter(m -> m.role() == Role.ASSISTANT).count();
            ToolCall toolCall = new ToolCall("call_" + (turns + 1), call.group(1), arguments);
            return new ModelReply("", List.of(toolCall), input, words(call.group(1)) + words(arguments));
        }
        StringBuilder reply = new StringBuilder("You said: ").append(last);
        if (userTexts.size() > 1 && last.toLowerCase(Locale.ROOT).contains("first")) {
            reply.append(" Your first message was: ").append(userTexts.get(0));
        }
        return new ModelReply(reply.toString(), List.of(), input, words(reply.toString()));
    }

    /** The text split after each run of whitespace, as a streaming model would deliver it. */
    static List<String> deltas(String text) {
        List<String> deltas = new ArrayList<>();
        Matcher word = Pattern.compile("\\S+\\s*|\\s+").matcher(text);
        while (word.find()) {
            deltas.add(word.group());
        }
        return deltas;
    }

    private static Optional<String> proposal(List<ChatMessage> messages) {
        for (ChatMessage message : messages) {
            int marker = message.role() == Role.SYSTEM ? message.text().indexOf(PROPOSE) : -1;
            int open = marker < 0 ? -1 : message.text().indexOf('{', marker);
            int close = open < 0 ? -1 : closingBrace(message.text(), open);
            if (close > open) {
                JsonObject facts = lastUserJson(messages);
                Matcher placeholder = PLACEHOLDER.matcher(message.text().substring(open, close + 1));
                return Optional.of(placeholder.replaceAll(match -> Matcher.quoteReplacement(
                        valueAt(facts, match.group(1)))));
            }
        }
        return Optional.empty();
    }

    /** The {@code call ...} a system message's {@code When asked about <words>:} line holds for {@code question}. */
    private static Optional<String> cannedCall(List<ChatMessage> messages, String question) {
        String lower = question.toLowerCase(Locale.ROOT);
        return messages.stream().filter(m -> m.role() == Role.SYSTEM)
                .flatMap(m -> m.text().lines())
                .map(CANNED::matcher).filter(Matcher::matches)
                .filter(line -> lower.contains(line.group(1).trim().toLowerCase(Locale.ROOT)))
                .map(line -> line.group(2)).findFirst();
    }

    private static int closingBrace(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            if (depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static JsonObject lastUserJson(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == Role.USER) {
                String text = messages.get(i).text();
                int open = text.indexOf('{');
                int close = open < 0 ? -1 : closingBrace(text, open);
                if (close > open) {
                    try (JsonReader reader = Json.createReader(new StringReader(text.substring(open, close + 1)))) {
                        return reader.readObject();
                    } catch (JsonException e) {
                        return JsonValue.EMPTY_JSON_OBJECT;
                    }
                }
                return JsonValue.EMPTY_JSON_OBJECT;
            }
        }
        return JsonValue.EMPTY_JSON_OBJECT;
    }

    /** The value at a dotted path, as text to place inside a JSON string; empty when there is none. */
    private static String valueAt(JsonObject facts, String path) {
        JsonValue value = facts;
        for (String step : path.split("\\.")) {
            if (!(value instanceof JsonObject object) || !object.containsKey(step)) {
                return "";
            }
            value = object.get(step);
        }
        String json = value instanceof JsonString text ? text.toString() : value.toString();
        return value instanceof JsonString ? json.substring(1, json.length() - 1) : json;
    }

    private static List<ChatMessage> trailingToolResults(List<ChatMessage> messages) {
        int first = messages.size();
        while (first > 0 && messages.get(first - 1).role() == Role.TOOL) {
            first--;
        }
        return messages.subList(first, messages.size());
    }

    private static String jsonObjectAfter(String text, int from) {
        int open = text.indexOf('{', from);
        int close = text.lastIndexOf('}');
        return open >= 0 && close > open && text.substring(from, open).isBlank()
                ? text.substring(open, close + 1) : "{}";
    }

    private static String argumentsOf(ChatMessage message) {
        return String.join(" ", message.toolCalls().stream().map(ToolCall::argumentsJson).toList());
    }

    private static int words(String text) {
        String trimmed = text.trim();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }
}
