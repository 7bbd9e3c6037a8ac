package dev.steward.tools.internal;

import dev.steward.shared.InternalAddresses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.mail.Address;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.ComparisonTerm;
import jakarta.mail.search.ReceivedDateTerm;
import java.io.UnsupportedEncodingException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * SMTP and IMAP through Jakarta Mail (Liberty's {@code mail-2.1}): every connection with time limits, to a host that
 * is checked first against internal addresses unless the installation allows those
 * ({@code STEWARD_EMAIL_ALLOW_PRIVATE}). Jakarta Mail resolves the name again when it connects, so a name whose
 * DNS answer changes in between could still reach inside; the check stops the plain cases (a tenant naming
 * {@code localhost} or a private address).
 */
@ApplicationScoped
class MailServers {

    /** Messages read from a mailbox in one poll, at most; the next poll reads on. */
    static final int MAX_PER_POLL = 50;

    @Inject
    @ConfigProperty(name = "steward.email.allow-private", defaultValue = "false")
    boolean allowPrivate;

    @Inject
    @ConfigProperty(name = "steward.email.timeout-seconds", defaultValue = "20")
    int timeoutSeconds;

    /**
     * A mailbox read: its UIDVALIDITY, whether it continued the last poll's mark (from {@code fromUid}) or started
     * over, the highest UID looked at, and the messages read, by UID.
     */
    record Fetched(long uidValidity, boolean continuing, long fromUid, long lastUid, List<InboundMessage> messages) {
    }

    /** Why a host may not be used, or null when it may. */
    String refusal(String host) {
        if (allowPrivate) {
            return null;
        }
        try {
            return InternalAddresses.resolvesInside(host) ? host + " is a private or loopback address, which this"
                    + " installation does not let mail reach (STEWARD_EMAIL_ALLOW_PRIVATE)" : null;
        } catch (UnknownHostException e) {
            return host + " does not resolve";
        }
    }

    /** Sends the message from the account, with the Message-ID it was stored with. */
    void send(EmailAccount account, String password, EmailMessage message) throws MessagingException {
        check(account.smtp().host());
        EmailAccount.Server smtp = account.smtp();
        Properties properties = limits("smtp");
        properties.put("mail.smtp.auth", String.valueOf(password != null));
        properties.put("mail.smtps.auth", String.valueOf(password != null));
        if (smtp.security().equals("starttls")) {
            properties.put("mail.smtp.starttls.enable", "true");
            properties.put("mail.smtp.starttls.required", "true");
        }
        Session session = Session.getInstance(properties);
        MimeMessage mime = new FixedIdMessage(session, message.messageId());
        try {
            mime.setFrom(new InternetAddress(account.address(), account.displayName(), "UTF-8"));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
        mime.setRecipients(Message.RecipientType.TO, addresses(message.to()));
        if (!message.cc().isEmpty()) {
            mime.setRecipients(Message.RecipientType.CC, addresses(message.cc()));
        }
        mime.setSubject(message.subject(), "UTF-8");
        if (message.inReplyTo() != null) {
            mime.setHeader("In-Reply-To", message.inReplyTo());
            mime.setHeader("References", message.inReplyTo());
        }
        mime.setText(message.body(), "UTF-8");
        mime.setSentDate(new Date());
        try (Transport transport = session.getTransport(smtp.security().equals("tls") ? "smtps" : "smtp")) {
            transport.connect(smtp.host(), smtp.port(), account.username(), password);
            transport.sendMessage(mime, mime.getAllRecipients());
        }
    }

    /**
     * Reads the account's folder from after {@code lastUid}. On the first poll, or after the folder's UIDVALIDITY
     * changed, it reads only what arrived since {@code since} (the account's creation): an account added to an old
     * mailbox does not triage its history.
     */
    Fetched fetch(EmailAccount account, String password, Long knownValidity, long lastUid, Instant since)
            throws MessagingException {
        check(account.imap().host());
        EmailAccount.Server imap = account.imap();
        String protocol = imap.security().equals("tls") ? "imaps" : "imap";
        Session session = Session.getInstance(limits("imap"));
        try (Store store = session.getStore(protocol)) {
            store.connect(imap.host(), imap.port(), account.username(), password);
            Folder folder = store.getFolder(account.imapFolder());
            folder.open(Folder.READ_ONLY);
            try {
                UIDFolder uids = (UIDFolder) folder;
                long validity = uids.getUIDValidity();
                long seenUpTo = uids.getUIDNext() - 1; // as the folder was opened: later mail has higher UIDs
                boolean continuing = knownValidity != null && knownValidity == validity;
                Instant from = since.truncatedTo(ChronoUnit.SECONDS); // INTERNALDATE has whole seconds
                Message[] candidates = continuing ? uids.getMessagesByUID(lastUid + 1, UIDFolder.LASTUID)
                        : folder.search(new ReceivedDateTerm(ComparisonTerm.GE, Date.from(from)));
                long firstUid = continuing ? lastUid + 1 : 1;
                List<Message> fresh = new ArrayList<>();
                for (Message candidate : candidates) {
                    // A UID range past the end still answers the last message; the first poll's search is by day.
                    boolean after = uids.getUID(candidate) >= firstUid;
                    boolean recent = continuing || candidate.getReceivedDate() == null
                            || !candidate.getReceivedDate().toInstant().isBefore(from);
                    if (after && recent) {
                        fresh.add(candidate);
                    }
                }
                fresh.sort(Comparator.comparingLong(message -> uid(uids, message)));
                List<InboundMessage> read = new ArrayList<>();
                long mark = continuing ? lastUid : 0;
                for (Message message : fresh.subList(0, Math.min(MAX_PER_POLL, fresh.size()))) {
                    long uid = uids.getUID(message);
                    read.add(InboundMessage.of((MimeMessage) message, uid));
                    mark = Math.max(mark, uid);
                }
                if (!continuing && fresh.size() <= MAX_PER_POLL) {
                    mark = Math.max(mark, seenUpTo); // all that came since was read: older mail stays behind
                }
                return new Fetched(validity, continuing, firstUid, mark, read);
            } finally {
                folder.close(false);
            }
        }
    }

    private void check(String host) throws MessagingException {
        String refusal = refusal(host);
        if (refusal != null) {
            throw new MessagingException("550 " + refusal);
        }
    }

    /** Time limits on every step of a connection (plain and TLS variants of the protocol), server names checked. */
    private Properties limits(String protocol) {
        String millis = String.valueOf(Duration.ofSeconds(timeoutSeconds).toMillis());
        Properties properties = new Properties();
        for (String variant : List.of(protocol, protocol + "s")) {
            properties.put("mail." + variant + ".connectiontimeout", millis);
            properties.put("mail." + variant + ".timeout", millis);
            properties.put("mail." + variant + ".writetimeout", millis);
            properties.put("mail." + variant + ".ssl.checkserveridentity", "true");
        }
        return properties;
    }

    private static long uid(UIDFolder folder, Message message) {
        try {
            return folder.getUID(message);
        } catch (MessagingException e) {
            return Long.MAX_VALUE;
        }
    }

    private static Address[] addresses(List<String> list) throws AddressException {
        return InternetAddress.parse(String.join(",", list), true);
    }

    /** A message that keeps the Message-ID it was stored with rather than making up one when it is sent. */
    private static final class FixedIdMessage extends MimeMessage {

        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }

    static List<String> strings(Address[] addresses) {
        return addresses == null ? List.of() : Arrays.stream(addresses).map(address -> address instanceof
                InternetAddress internet ? internet.getAddress() : address.toString()).toList();
    }
}
