package dev.steward.tools.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A message that went out through a tenant's mail account ({@code out}: queued, sent, failed, bounced) or came in
 * ({@code in}: received, or a bounce report). {@code source} is what caused it, once: an API request's idempotency
 * key, a tool call, an approval, a mailbox UID.
 */
record EmailMessage(UUID id, UUID accountId, String account, String direction, String state, String source,
                    String sender, List<String> to, List<String> cc, String subject, String body, String messageId,
                    String inReplyTo, int attempts, String lastError, Instant createdAt, Instant finishedAt) {
}
