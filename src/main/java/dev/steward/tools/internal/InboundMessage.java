package dev.steward.tools.internal;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message read from a mailbox, reduced to what Steward keeps: who, to whom, the subject, the plain text (cut), its
 * Message-ID and In-Reply-To, and for a delivery failure report (a bounce) the Message-ID of the message that bounced
 * and why.
 */
record InboundMessage(long uid, String from, List<String> to, String subject, String text, String messageId,
                      String inReplyTo, String bounceOf, String bounceReason) {

    static final int MAX_TEXT = 20_000;
    /** Bytes of a message read at most: a larger one is kept as its headers and a note. */
    static final int MAX_BYTES = 2_000_000;
    private static final Pattern OUR_MESSAGE_ID = Pattern.compile("<steward\\.[0-9a-f-]{36}@[^>\\s]{1,253}>");
    private static final Pattern DIAGNOSTIC = Pattern.compile("(?im)^(?:Diagnostic-Code|Status):\\s*(.{1,300})$");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern FAILED = Pattern.compile("(?im)^(?:Action:\\s*failed|Status:\\s*5\\.)");
    private static final Pattern CONTROLS = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]");

    boolean isBounce() {
        return bounceReason != null;
    }

    static InboundMessage of(MimeMessage message, long uid) throws MessagingException {
        String from = message.getFrom() == null || message.getFrom().length == 0 ? ""
                : MailServers.strings(message.getFrom()).get(0);
        List<String> to = MailServers.strings(message.getRecipients(MimeMessage.RecipientType.TO));
        String subject = message.getSubject() == null ? "" : message.getSubject();
        int size = message.getSize();
        String text;
        String raw = "";
        try {
            text = size > MAX_BYTES ? "(a message of " + size + " bytes, too large to read)" : text(message);
            if (size <= MAX_BYTES && looksLikeBounce(message, from)) {
                raw = raw(message);
                raw = FAILED.matcher(raw).find() ? raw : ""; // a receipt or a delay notice is not a bounce
            }
        } catch (IOException e) {
            text = "(the message could not be read: " + e.getMessage() + ")";
        }
        String bounceOf = null;
        String reason = null;
        if (!raw.isEmpty()) {
            Matcher ours = OUR_MESSAGE_ID.matcher(raw);
            bounceOf = ours.find() ? ours.group() : null;
            Matcher diagnostic = DIAGNOSTIC.matcher(raw);
            String found = null;
            while (diagnostic.find()) {
                found = diagnostic.group(1).trim(); // the Diagnostic-Code, which follows Status, says most
            }
            reason = found == null ? "delivery failed: " + subject : found;
        }
        return new InboundMessage(uid, clean(from), to.stream().map(InboundMessage::clean).toList(),
                cut(clean(subject), 998), cut(clean(text), MAX_TEXT), clean(message.getMessageID()),
                clean(message.getHeader("In-Reply-To", null)), bounceOf, clean(reason));
    }

    private static boolean looksLikeBounce(MimeMessage message, String from) throws MessagingException {
        String sender = from.toLowerCase(Locale.ROOT);
        return message.isMimeType("multipart/report") && message.getContentType().toLowerCase(Locale.ROOT)
                .contains("delivery-status") || sender.startsWith("mailer-daemon@")
                || sender.startsWith("postmaster@");
    }

    /** The first plain-text part; else an HTML part without its tags; else nothing. */
    private static String text(Part part) throws MessagingException, IOException {
        if (part.isMimeType("text/plain")) {
            return String.valueOf(part.getContent());
        }
        if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart parts) {
            String html = null;
            for (int i = 0; i < parts.getCount(); i++) {
                BodyPart child = parts.getBodyPart(i);
                if (child.isMimeType("text/html") && html == null) {
                    html = text(child);
                } else if (!child.isMimeType("text/html")) {
                    String text = text(child);
                    if (!text.isEmpty()) {
                        return text;
                    }
                }
            }
            return html == null ? "" : html;
        }
        if (part.isMimeType("text/html")) {
            return TAG.matcher(String.valueOf(part.getContent())).replaceAll(" ").replaceAll("\\s+", " ").trim();
        }
        return "";
    }

    private static String raw(MimeMessage message) throws IOException, MessagingException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (InputStream in = message.getRawInputStream()) {
            in.transferTo(bytes);
        }
        StringBuilder headers = new StringBuilder();
        for (var lines = message.getAllHeaderLines(); lines.hasMoreElements(); ) {
            headers.append(lines.nextElement()).append('\n');
        }
        return headers + bytes.toString(StandardCharsets.ISO_8859_1);
    }

    /** Without NUL and the control characters but tab and line breaks: a mail may carry them, text may not. */
    static String clean(String text) {
        return text == null ? null : CONTROLS.matcher(text).replaceAll("");
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
