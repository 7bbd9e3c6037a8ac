package dev.steward.tools.api;

import java.util.List;
import java.util.UUID;

/**
 * The tenant in scope's outbound mail: a message handed here is stored and queued in the caller's transaction, and
 * the queue sends it from one of the tenant's mail accounts under that account's daily cap, retrying what fails for
 * a while and dead-lettering what fails for good (the message's state says which).
 */
public interface EmailChannel {

    /**
     * Queues {@code draft} once per {@code key} (a repeated key answers the first message); refused (with the
     * reason naming the field) when the draft is invalid or the tenant has no such account.
     */
    Queued send(Draft draft, String key);

    /** A message to send; {@code account} null sends from the tenant's default (or only) account. */
    record Draft(String account, List<String> to, List<String> cc, String subject, String body, String inReplyTo) {

        public Draft {
            to = to == null ? List.of() : List.copyOf(to);
            cc = cc == null ? List.of() : List.copyOf(cc);
        }
    }

    /** The queued message and the account it goes out from, or the refusal ({@code error}, message null). */
    record Queued(UUID message, String account, boolean duplicate, String error) {

        public boolean refused() {
            return error != null;
        }
    }
}
