package dev.steward.tools.api;

import java.util.List;
import java.util.UUID;

/**
 * Fired (synchronously, in the transaction that stored it) for each new message read from a tenant's mailbox, in
 * that tenant's scope, so that it can become a trigger. Bounce reports are not fired: they mark the message that
 * bounced instead. {@code text} is the plain-text body, cut to a few thousand characters.
 */
public record InboundEmail(UUID message, String account, String from, List<String> to, String subject, String text,
                           String messageId, String inReplyTo) {

    public InboundEmail {
        to = List.copyOf(to);
    }
}
