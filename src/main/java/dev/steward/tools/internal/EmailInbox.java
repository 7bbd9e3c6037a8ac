package dev.steward.tools.internal;

import dev.steward.audit.api.AuditEntry;
import dev.steward.audit.api.AuditTrail;
import dev.steward.tools.api.InboundEmail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a message read from a mailbox lands, once: a bounce report marks the message that bounced; anything else is
 * stored as received and fired as {@link InboundEmail} in the same transaction (the orchestration module turns it
 * into an {@code email.received} trigger), so a message is triaged exactly when it was stored.
 */
@ApplicationScoped
class EmailInbox {

    @Inject
    EmailMessages messages;

    @Inject
    Event<InboundEmail> inbound;

    @Inject
    AuditTrail audit;

    @Transactional
    void store(EmailAccount account, long uidValidity, InboundMessage message) {
        UUID id = UUID.randomUUID();
        String source = "imap:" + account.id() + ":" + uidValidity + ":" + message.uid();
        boolean stored = messages.insert(new EmailMessages.New(id, account, "in",
                message.isBounce() ? "bounce" : "received", source, message.from(), message.to(), List.of(),
                message.subject(), message.text(), message.messageId(), message.inReplyTo(), uidValidity,
                message.uid()));
        if (!stored) {
            return;
        }
        if (message.isBounce()) {
            Optional<UUID> bounced = message.bounceOf() == null ? Optional.empty()
                    : messages.bounced(message.bounceOf(), message.bounceReason());
            audit.record(AuditEntry.of("email.bounced", Json.createObjectBuilder().add("report", id.toString())
                    .add("account", account.name()).add("message", bounced.map(UUID::toString).orElse(""))
                    .add("reason", message.bounceReason()).build()));
            return;
        }
        inbound.fire(new InboundEmail(id, account.name(), message.from(), message.to(), message.subject(),
                message.text().length() > 4000 ? message.text().substring(0, 4000) : message.text(),
                message.messageId(), message.inReplyTo()));
        audit.record(AuditEntry.of("email.received", Json.createObjectBuilder().add("message", id.toString())
                .add("account", account.name()).build()));
    }
}
