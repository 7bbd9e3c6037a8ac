package dev.steward.sessions.internal;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.UUID;

/**
 * One event of a session as clients see it: its number in the session (the SSE id), its type (the SSE event
 * name), the turn it belongs to, and its data. Types: {@code session.started}, {@code session.ended},
 * {@code turn.received}, {@code turn.state}, {@code token}, {@code tool.call}, {@code tool.result},
 * {@code confirmation.requested}, {@code confirmation.decided}, {@code progress}, {@code turn.completed},
 * {@code turn.failed}.
 */
record SessionEvent(long seq, String type, UUID turnId, JsonObject data, Instant createdAt) {

    /** An event to append: numbered and stamped when it is written. */
    record New(String type, UUID turnId, JsonObject data) {

        static New of(String type, UUID turnId, JsonObjectBuilder data) {
            if (turnId != null) {
                data.add("turnId", turnId.toString());
            }
            return new New(type, turnId, data.build());
        }

        static JsonObjectBuilder fields() {
            return Json.createObjectBuilder();
        }
    }

    /** The SSE data: the event's own fields plus its number and type, so a client needs nothing else. */
    String json() {
        JsonObjectBuilder all = Json.createObjectBuilder(data).add("seq", seq).add("type", type)
                .add("at", createdAt.toString());
        return all.build().toString();
    }
}
