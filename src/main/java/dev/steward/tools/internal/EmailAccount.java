package dev.steward.tools.internal;

import java.time.Instant;
import java.util.UUID;

/**
 * A tenant's mail account: where it sends from (SMTP) and, when {@code imap} is set, the mailbox its inbound mail is
 * polled from. The password is never part of it; {@link EmailAccounts#password} opens it for a connection.
 */
record EmailAccount(UUID id, String name, String provider, String address, String displayName, String username,
                    boolean hasPassword, Server smtp, Server imap, String imapFolder, boolean isDefault,
                    Instant lastPolledAt, String lastError, Instant createdAt) {

    /** A mail server: host, port and how the connection is secured ({@code none}, {@code starttls}, {@code tls}). */
    record Server(String host, int port, String security) {
    }

    /** The channel key the constraint engine counts the account's sends under. */
    String channel() {
        return "channel:" + name;
    }

    /** The domain of the sending address, which the Message-IDs of its mail carry. */
    String domain() {
        return address.substring(address.lastIndexOf('@') + 1);
    }
}
