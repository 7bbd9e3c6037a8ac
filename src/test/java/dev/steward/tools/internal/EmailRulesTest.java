package dev.steward.tools.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.shared.FieldError;
import dev.steward.shared.ProblemException;
import dev.steward.tools.api.EmailChannel;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.io.StringReader;
import java.net.ConnectException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The email channel's decisions that need no server: account requests, drafts, which failures are for good. */
class EmailRulesTest {

    @Test
    void gmailAndO365AccountsGetTheirProvidersServers() {
        EmailAccountRequest gmail = EmailAccountRequest.of(json("{\"name\":\"support\",\"provider\":\"gmail\","
                + "\"address\":\"support@example.com\",\"password\":\"app\",\"imap\":{}}"));
        assertThat(gmail.smtp()).isEqualTo(new EmailAccount.Server("smtp.gmail.com", 587, "starttls"));
        assertThat(gmail.imap()).isEqualTo(new EmailAccount.Server("imap.gmail.com", 993, "tls"));
        assertThat(gmail.imapFolder()).isEqualTo("INBOX");
        assertThat(gmail.username()).isEqualTo("support@example.com");

        EmailAccountRequest o365 = EmailAccountRequest.of(json("{\"name\":\"sales\",\"provider\":\"o365\","
                + "\"address\":\"sales@example.com\",\"smtp\":{\"port\":25}}"));
        assertThat(o365.smtp()).isEqualTo(new EmailAccount.Server("smtp.office365.com", 25, "starttls"));
        assertThat(o365.imap()).isNull();
    }

    @Test
    void aPlainSmtpAccountNamesItsServerAndEveryWrongFieldIsNamed() {
        assertThat(fieldsOf("{\"name\":\"x\",\"provider\":\"smtp\",\"address\":\"x@example.com\"}"))
                .containsExactly("smtp");
        assertThat(fieldsOf("{\"name\":\"-x\",\"provider\":\"smtp\",\"address\":\"x@example.com\",\"displayName\":"
                + "\"a\\r\\nBcc: b@example.com\",\"smtp\":{\"host\":\"mail.example.com\",\"port\":\"25\",\"security\":"
                + "\"none\"},\"imap\":{\"host\":\"imap.example.com\",\"port\":143,\"security\":\"starttls\"},"
                + "\"default\":\"yes\"}"))
                .containsExactlyInAnyOrder("name", "displayName", "smtp.port", "imap.security", "default");
    }

    @Test
    void aDraftIsRefusedNamingItsField() {
        assertThat(refusedField(draft(List.of(), "s", "b", null))).isEqualTo("to");
        assertThat(refusedField(draft(List.of("a@example.com", "not an address"), "s", "b", null))).isEqualTo("to[1]");
        assertThat(refusedField(draft(List.of("j\u00f6rg@example.com"), "s", "b", null))).isEqualTo("to[0]");
        assertThat(refusedField(draft(List.of("a@example.com"), "two\r\nBcc: x@example.com", "b", null)))
                .isEqualTo("subject");
        assertThat(refusedField(draft(List.of("a@example.com"), "s", "nul \u0000", null))).isEqualTo("body");
        assertThat(refusedField(draft(List.of("a@example.com"), "s", null, null))).isEqualTo("body");
        assertThat(refusedField(draft(List.of("a@example.com"), "s", "b", "<x@y>\u010d\u010aBcc: z@example.com")))
                .isEqualTo("inReplyTo");
        assertThat(DefaultEmailChannel.problem(draft(List.of("a@example.com"), "S\u00fcbject", "line\r\nline\t",
                "<x.1@y.example>"))).isEmpty();
        assertThat(draft(List.of("a@example.com"), "s", "b", " ").inReplyTo()).isNull();
    }

    @Test
    void aServersPermanentRefusalIsNotRetriedButATemporaryFailureIs() throws Exception {
        assertThat(EmailSendJobs.permanent(new MessagingException("535 5.7.8 Authentication failed"))).isTrue();
        assertThat(EmailSendJobs.permanent(new SendFailedException("Invalid Addresses", null, new
                InternetAddress[0], new InternetAddress[0], new InternetAddress[]{new InternetAddress("a@b.example")})))
                .isTrue();
        assertThat(EmailSendJobs.permanent(new MessagingException("421 4.7.0 Try again later"))).isFalse();
        assertThat(EmailSendJobs.permanent(new MessagingException("Couldn't connect to host",
                new ConnectException("Connection refused")))).isFalse();
        assertThat(EmailSendJobs.permanent(new MessagingException("could not send",
                new MessagingException("550 5.1.1 user unknown")))).isTrue();
    }

    private static EmailChannel.Draft draft(List<String> to, String subject, String body, String inReplyTo) {
        return new EmailChannel.Draft(null, to, List.of(), subject, body, inReplyTo);
    }

    private static String refusedField(EmailChannel.Draft draft) {
        return DefaultEmailChannel.problem(draft).map(FieldError::field).orElse(null);
    }

    private static List<String> fieldsOf(String body) {
        try {
            EmailAccountRequest.of(json(body));
        } catch (ProblemException e) {
            return e.fieldErrors().stream().map(FieldError::field).toList();
        }
        throw new AssertionError("accepted: " + body);
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
