package dev.steward.tools.api;

import dev.steward.shared.FieldError;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.UUID;

/**
 * The tenant in scope's outbound mail: a message handed here is stored and queued in the caller's transaction, and
 * the queue sends it from one of the tenant's mail accounts under that account's daily cap, retrying what fails for
 * a while and dead-lettering what fails for good (the message's state says which).
 */
public interface EmailChannel {

    /**
     * Queues {@code draft} once per {@code key} (a repeated key answers the first message); refused (naming the
     * field) when the draft is invalid or the tenant has no such account.
     */
    Queued send(Draft draft, String key);

    /** A message to send; {@code account} null sends from the tenant's default (or only) account. */
    record Draft(String account, List<String> to, List<String> cc, String subject, String body, String inReplyTo) {

        public Draft {
            to = to == null ? List.of() : List.copyOf(to);
            cc = cc == null ? List.of() : List.copyOf(cc);
            inReplyTo = inReplyTo == null || inReplyTo.isBlank() ? null : inReplyTo;
        }

        /**
         * A draft as models and proposals write it: {@code to} and {@code cc} one address or a list, the rest
         * strings. Anything of another type is left empty, for the channel's checks to name.
         */
        public static Draft of(JsonObject json) {
            return new Draft(text(json, "account"), addresses(json.get("to")), addresses(json.get("cc")),
                    text(json, "subject"), text(json, "body"), text(json, "inReplyTo"));
        }

        private static String text(JsonObject json, String field) {
            return json.get(field) instanceof JsonString text ? text.getString() : null;
        }

        private static List<String> addresses(JsonValue value) {
            if (value instanceof JsonString one) {
                return List.of(one.getString());
            }
            return value instanceof JsonArray list ? list.stream()
                    .map(item -> item instanceof JsonString text ? text.getString() : "").toList() : List.of();
        }
    }

    /** The queued message and the account it goes out from, or the refusal (message null). */
    record Queued(UUID message, String account, boolean duplicate, FieldError refusal) {

        public boolean refused() {
            return refusal != null;
        }

        /** The refusal as one line for a model or a log: {@code field: message}. */
        public String reason() {
            return refusal.field() + ": " + refusal.message();
        }
    }
}
