package dev.steward.orchestration.internal;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigDecimal;

/**
 * A specialist's answer: the actions it proposes on records ({@code update}, {@code create}) or outbound
 * ({@code send}), how confident it is (0 to 1) and why. It arrives as text from a model; the JSON object in it is
 * the proposal. Whether its actions may be committed is the supervisor's question, not this one's.
 */
record Proposal(JsonArray actions, BigDecimal confidence, String reasoning) {

    /** What a specialist is told about answering, whatever its own instructions say. */
    static final String PROTOCOL = """
            You are a specialist in a Steward workflow. You never change records yourself: you propose, and the \
            supervisor decides. Answer with one JSON object and nothing else: {"actions": [...], "confidence": \
            <0 to 1>, "reasoning": "<why>"}. An action is {"action": "update", "record": "<record id>", "fields": \
            {...}} (sets those fields), {"action": "create", "type": "<record type>", "fields": {...}}, or \
            {"action": "send", "channel": "email", "to": "...", "subject": "...", "body": "..."} (a message a \
            person approves before it goes out). Mark an action "risky": true when a person should approve it. \
            The user message is the context: the trigger, the record, related records and earlier outputs.""";

    /** The proposal in a model's answer; IllegalArgumentException when there is none. */
    static Proposal parse(String text) {
        int open = text.indexOf('{');
        int close = text.lastIndexOf('}');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("the answer holds no JSON object");
        }
        JsonObject json;
        try (JsonReader reader = Json.createReader(new StringReader(text.substring(open, close + 1)))) {
            json = reader.readObject();
        } catch (JsonException e) {
            throw new IllegalArgumentException("the answer's JSON does not parse");
        }
        if (!(json.get("actions") instanceof JsonArray actions)
                || !actions.stream().allMatch(action -> action instanceof JsonObject)) {
            throw new IllegalArgumentException("actions must be an array of objects");
        }
        if (!(json.get("confidence") instanceof JsonNumber confidence)
                || confidence.bigDecimalValue().compareTo(BigDecimal.ZERO) < 0
                || confidence.bigDecimalValue().compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("confidence must be a number from 0 to 1");
        }
        String reasoning = json.get("reasoning") instanceof jakarta.json.JsonString why ? why.getString() : "";
        return new Proposal(actions, confidence.bigDecimalValue(), reasoning);
    }

    JsonObject json() {
        return Json.createObjectBuilder().add("actions", actions).add("confidence", confidence)
                .add("reasoning", reasoning).build();
    }

    static Proposal of(JsonObject json) {
        return new Proposal(json.getJsonArray("actions"), json.getJsonNumber("confidence").bigDecimalValue(),
                json.getString("reasoning", ""));
    }

    static boolean risky(JsonObject action) {
        return action.get("risky") == JsonValue.TRUE;
    }
}
