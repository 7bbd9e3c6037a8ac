package dev.steward.sessions.internal;

import dev.steward.models.api.ChatGateway.ChatMessage;
import dev.steward.models.api.ChatGateway.Role;
import dev.steward.models.api.ChatGateway.ToolCall;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A turn's working steps after the user's input, as stored in {@code turns.steps}: the model's messages with the
 * tool calls it asked for, and each call's result. What is still to do is the last model message's calls that have
 * no result yet.
 */
final class Steps {

    private Steps() {
    }

    static List<ChatMessage> parse(String json) {
        List<ChatMessage> steps = new ArrayList<>();
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            for (JsonObject step : reader.readArray().getValuesAs(JsonObject.class)) {
                if ("tool".equals(step.getString("role"))) {
                    steps.add(new ChatMessage(Role.TOOL, step.getString("text"), List.of(),
                            step.getString("callId"), step.getString("tool")));
                } else {
                    List<ToolCall> calls = step.getJsonArray("toolCalls").getValuesAs(JsonObject.class).stream()
                            .map(call -> new ToolCall(call.getString("id"), call.getString("name"),
                                    call.getString("arguments"))).toList();
                    steps.add(new ChatMessage(Role.ASSISTANT, step.getString("text"), calls, null, null));
                }
            }
        }
        return steps;
    }

    static String render(List<ChatMessage> steps) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (ChatMessage step : steps) {
            JsonObjectBuilder object = Json.createObjectBuilder().add("text", step.text());
            if (step.role() == Role.TOOL) {
                object.add("role", "tool").add("callId", step.toolCallId()).add("tool", step.toolName());
            } else {
                JsonArrayBuilder calls = Json.createArrayBuilder();
                step.toolCalls().forEach(call -> calls.add(Json.createObjectBuilder().add("id", call.id())
                        .add("name", call.name()).add("arguments", call.argumentsJson())));
                object.add("role", "assistant").add("toolCalls", calls);
            }
            array.add(object);
        }
        return array.build().toString();
    }

    /** The calls of the last model message that have no result yet, in the order the model asked. */
    static List<ToolCall> open(List<ChatMessage> steps) {
        Set<String> answered = new HashSet<>();
        for (int i = steps.size() - 1; i >= 0; i--) {
            ChatMessage step = steps.get(i);
            if (step.role() == Role.TOOL) {
                answered.add(step.toolCallId());
            } else {
                return step.toolCalls().stream().filter(call -> !answered.contains(call.id())).toList();
            }
        }
        return List.of();
    }

    static List<ChatMessage> with(List<ChatMessage> steps, ChatMessage step) {
        List<ChatMessage> more = new ArrayList<>(steps);
        more.add(step);
        return more;
    }

    static JsonArray toolCallsJson(List<ToolCall> calls) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        calls.forEach(call -> array.add(Json.createObjectBuilder().add("id", call.id()).add("tool", call.name())
                .add("arguments", call.argumentsJson())));
        return array.build();
    }
}
