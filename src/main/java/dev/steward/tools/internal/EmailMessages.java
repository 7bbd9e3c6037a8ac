package dev.steward.tools.internal;

import dev.steward.audit.api.AuditEntry;
import dev.steward.audit.api.AuditTrail;
import dev.steward.shared.CurrentRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The tenant in scope's mail, out and in, under its row-level security. */
@ApplicationScoped
class EmailMessages {

    private static final String COLUMNS = "id, account_id, account, direction, state, source, sender, recipients,"
            + " cc, subject,"
            + " body, message_id, in_reply_to, attempts, last_error, created_at, finished_at";
    private static final String INSERT = "INSERT INTO tools.email_messages (tenant_id, id, account_id, account,"
            + " direction, state, source, sender, recipients, cc, subject, body, message_id, in_reply_to, uid_validity,"
            + " uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (tenant_id, source) DO NOTHING";
    private static final String BY_ID = "SELECT " + COLUMNS + " FROM tools.email_messages WHERE id = ?";
    private static final String BY_SOURCE = "SELECT " + COLUMNS + " FROM tools.email_messages WHERE source = ?";
    private static final String LIST = "SELECT " + COLUMNS + " FROM tools.email_messages"
            + " WHERE (?::text IS NULL OR direction = ?) AND (?::text IS NULL OR state = ?)"
            + " AND (?::timestamptz IS NULL OR created_at < ?) ORDER BY created_at DESC, id LIMIT ?";
    private static final String REQUEUE = "UPDATE tools.email_messages SET state = 'queued', finished_at = NULL"
            + " WHERE id = ? AND state = 'failed' AND direction = 'out'";
    private static final String SENT = "UPDATE tools.email_messages SET state = 'sent', attempts = attempts + 1,"
            + " last_error = NULL, finished_at = now() WHERE id = ? AND state = 'queued'";
    private static final String ATTEMPT_FAILED = "UPDATE tools.email_messages SET attempts = attempts + 1,"
            + " last_error = ? WHERE id = ? AND state = 'queued'";
    private static final String FAILED = "UPDATE tools.email_messages SET state = 'failed', attempts = attempts + 1,"
            + " last_error = ?, finished_at = now() WHERE id = ? AND state = 'queued'";
    private static final String BOUNCED = "UPDATE tools.email_messages SET state = 'bounced', last_error = ?,"
            + " finished_at = now() WHERE direction = 'out' AND message_id = ? AND state IN ('queued', 'sent')"
            + " RETURNING id";

    /** A message as it is stored: for inbound ones the mailbox position it was read from, else nulls. */
    record New(UUID id, EmailAccount account, String direction, String state, String source, String sender,
               List<String> to, List<String> cc, String subject, String body, String messageId, String inReplyTo,
               Long uidValidity, Long uid) {
    }

    @Inject
    Jdbc jdbc;

    @Inject
    AuditTrail audit;

    /** Stores the message; false when its source has one already. */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean insert(New message) {
        return jdbc.update(INSERT, CurrentRequest.get().requireTenant().value(), message.id(), message.account().id(),
                message.account().name(), message.direction(), message.state(), message.source(), message.sender(),
                message.to().toArray(String[]::new), message.cc().toArray(String[]::new), message.subject(),
                message.body(), message.messageId(), message.inReplyTo(), message.uidValidity(), message.uid()) == 1;
    }

    @Transactional
    Optional<EmailMessage> find(UUID id) {
        return jdbc.query(BY_ID, EmailMessages::message, id).stream().findFirst();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    Optional<EmailMessage> bySource(String source) {
        return jdbc.query(BY_SOURCE, EmailMessages::message, source).stream().findFirst();
    }

    /** Newest first; {@code direction}, {@code state} and {@code before} (a createdAt) filter when set. */
    @Transactional
    List<EmailMessage> list(String direction, String state, Instant before, int limit) {
        return jdbc.query(LIST, EmailMessages::message, direction, direction, state, state, before, before, limit);
    }

    /** Marks a queued message sent, audited; nothing when it was no longer queued. */
    @Transactional
    void sent(EmailMessage message) {
        if (jdbc.update(SENT, message.id()) == 1) {
            audit.record(AuditEntry.of("email.sent", details(message, null)));
        }
    }

    /** A failed message back in the queued state, for a retried dead letter; false when it was not failed. */
    @Transactional
    boolean requeue(UUID id) {
        return jdbc.update(REQUEUE, id) == 1;
    }

    @Transactional
    void attemptFailed(UUID id, String error) {
        jdbc.update(ATTEMPT_FAILED, error, id);
    }

    /** Marks a queued message given up on, with why, audited. */
    @Transactional
    void failed(EmailMessage message, String error) {
        if (jdbc.update(FAILED, error, message.id()) == 1) {
            audit.record(AuditEntry.of("email.failed", details(message, error)));
        }
    }

    private static JsonObject details(EmailMessage message, String error) {
        JsonObjectBuilder details = Json.createObjectBuilder().add("message", message.id().toString())
                .add("account", message.account()).add("recipients", message.to().size() + message.cc().size());
        return (error == null ? details : details.add("error", error)).build();
    }

    /** Marks the outbound message with that Message-ID bounced; its id, when there was one to mark. */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<UUID> bounced(String messageId, String reason) {
        return jdbc.query(BOUNCED, row -> row.getObject("id", UUID.class), reason, messageId).stream().findFirst();
    }

    private static EmailMessage message(ResultSet row) throws SQLException {
        return new EmailMessage(row.getObject("id", UUID.class), row.getObject("account_id", UUID.class),
                row.getString("account"), row.getString("direction"),
                row.getString("state"), row.getString("source"), row.getString("sender"), Jdbc.texts(row, "recipients"),
                Jdbc.texts(row, "cc"), row.getString("subject"), row.getString("body"), row.getString("message_id"),
                row.getString("in_reply_to"), row.getInt("attempts"), row.getString("last_error"),
                Jdbc.instant(row, "created_at"), Jdbc.instant(row, "finished_at"));
    }
}
