package dev.steward.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.steward.testing.Api;
import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.FreePorts;
import dev.steward.testing.StewardServer;
import dev.steward.testing.Tasks;
import io.restassured.path.json.JsonPath;
import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The email channel against GreenMail, a real SMTP and IMAP server on loopback: accounts with sealed passwords that
 * belong to their tenant, sends through the queue exactly once under a daily cap that holds under concurrency,
 * failures retried then dead-lettered, bounces traced back, inbound mail triaged by the demo's email agent with the
 * reply going out once a person approved it, and agents sending with {@code send_email}.
 */
@ExtendWith(StewardServer.class)
class EmailIT {

    private static final String PASSWORD = "app-password-" + UUID.randomUUID();
    private static GreenMail mail;
    private static int smtpPort;
    private static int imapPort;

    @BeforeAll
    static void startMailServer() {
        smtpPort = FreePorts.pick();
        imapPort = FreePorts.pick();
        mail = new GreenMail(new ServerSetup[]{new ServerSetup(smtpPort, "127.0.0.1", "smtp"),
                new ServerSetup(imapPort, "127.0.0.1", "imap")});
        mail.start();
    }

    @AfterAll
    static void stopMailServer() {
        mail.stop();
    }

    @Test
    void accountsKeepTheirPasswordSealedAndBelongToTheirTenant() throws Exception {
        Api.TestTenant a = Api.newTenant("mail-a");
        Api.TestTenant b = Api.newTenant("mail-b");
        String address = "sales@" + a.id().substring(0, 8) + ".test";
        createAccount(a, "sales", address, false);
        Api.as(a.key()).get("/api/v1/email/accounts/sales").then().statusCode(200)
                .body("hasPassword", equalTo(true)).body("password", nullValue())
                .body("smtp.port", equalTo(smtpPort)).body("imap.folder", equalTo("INBOX"))
                .body("today.sent", equalTo(0)).body("today.cap", equalTo(1000));
        Api.as(a.key()).body(accountJson("sales", address, false)).post("/api/v1/email/accounts").then()
                .statusCode(409);
        try (Connection db = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             Statement sql = db.createStatement();
             ResultSet row = sql.executeQuery("SELECT password FROM tools.email_accounts WHERE tenant_id = '"
                     + a.id() + "'")) {
            row.next();
            assertThat(new String(row.getBytes(1), StandardCharsets.ISO_8859_1)).doesNotContain(PASSWORD);
        }
        Api.as(a.key()).body("{\"name\":\"Bad Name\",\"provider\":\"yahoo\",\"address\":\"nope\",\"smtp\":{\"port\":"
                + "70000,\"security\":\"ssl\"}}").post("/api/v1/email/accounts").then().statusCode(400)
                .body("errors.field", hasItems("name", "provider", "address", "smtp.host", "smtp.port",
                        "smtp.security"));
        Api.as(a.key()).body("{\"name\":\"gm\",\"provider\":\"gmail\",\"address\":\"x@example.com\",\"imap\":{},"
                + "\"smtp\":\"smtp.gmail.com\"}").post("/api/v1/email/accounts").then().statusCode(400)
                .body("errors.field", equalTo(List.of("smtp")));
        Api.as(a.key()).contentType("application/json").body("{\"name\":").post("/api/v1/email/accounts").then()
                .statusCode(400).contentType(containsString("application/problem+json"));

        Api.as(b.key()).get("/api/v1/email/accounts").then().statusCode(200).body("", empty());
        Api.as(b.key()).get("/api/v1/email/accounts/sales").then().statusCode(404);
        Api.as(b.key()).delete("/api/v1/email/accounts/sales").then().statusCode(404);
        Api.as(b.key()).body(message("sales", "someone@example.com", "hi")).post("/api/v1/email/messages").then()
                .statusCode(400).body("errors.field", equalTo(List.of("account")));
        String sent = send(a, "sales", "buyer@example.com", "Quote " + UUID.randomUUID(), null);
        Api.as(b.key()).get("/api/v1/email/messages/" + sent).then().statusCode(404);
        Api.as(b.key()).get("/api/v1/email/messages").then().statusCode(200).body("", empty());

        Api.as(a.key()).delete("/api/v1/email/accounts/sales").then().statusCode(204);
        Api.as(a.key()).get("/api/v1/email/accounts/sales").then().statusCode(404);
    }

    @Test
    void aMessageGoesOutOnceWithItsMessageIdAndTheIdempotencyKeyAnswersTheFirst() throws Exception {
        Api.TestTenant tenant = Api.newTenant("mail-send");
        createAccount(tenant, "outbound", "hello@" + tenant.id().substring(0, 8) + ".test", false);
        String subject = "Welcome " + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        String id = send(tenant, "outbound", "new.customer@example.com", subject, key);
        Api.as(tenant.key()).header("Idempotency-Key", key).body(message("outbound", "new.customer@example.com",
                subject)).post("/api/v1/email/messages").then().statusCode(200).body("id", equalTo(id));
        awaitState(tenant, id, "sent");

        List<MimeMessage> received = receivedWithSubject(subject);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).getMessageID()).isEqualTo("<steward." + id + "@"
                + tenant.id().substring(0, 8) + ".test>");
        assertThat(received.get(0).getFrom()[0].toString()).contains("hello@");
        Api.as(tenant.key()).get("/api/v1/email/messages/" + id).then().body("attempts", equalTo(1))
                .body("direction", equalTo("out")).body("finishedAt", not(nullValue()));
        Api.as(tenant.key()).get("/api/v1/email/accounts/outbound").then().body("today.sent", equalTo(1));
        Api.as(tenant.key()).body("{\"to\":[\"not an address\"],\"subject\":\"x\",\"body\":\"y\"}")
                .post("/api/v1/email/messages").then().statusCode(400).body("errors.field", equalTo(List.of("to[0]")));
        Api.as(tenant.key()).body("{\"to\":\"a@example.com\",\"subject\":\"x\"}").post("/api/v1/email/messages")
                .then().statusCode(400).body("errors.field", equalTo(List.of("to")));
        // Characters Jakarta Mail would write as their low byte (U+010D U+010A: CR LF) never reach a header.
        Api.as(tenant.key()).body("{\"to\":[\"a@example.com\"],\"subject\":\"x\",\"body\":\"y\",\"inReplyTo\":"
                + "\"<x@y>\\u010d\\u010aBcc\\u013a b@example.com\"}").post("/api/v1/email/messages").then()
                .statusCode(400)
                .body("errors.field", equalTo(List.of("inReplyTo")));
        Api.as(tenant.key()).body("{\"to\":[\"b\\u010d\\u010a@example.com\"],\"subject\":\"x\",\"body\":\"y\"}")
                .post("/api/v1/email/messages").then().statusCode(400).body("errors.field", equalTo(List.of("to[0]")));
        Api.as(tenant.key()).body("{\"to\":[\"a@example.com\"],\"subject\":\"x\\u0000\",\"body\":\"y\"}")
                .post("/api/v1/email/messages").then().statusCode(400)
                .body("errors.field", equalTo(List.of("subject")));
        // A second account taking the name is refused and leaves the default as it was.
        Api.as(tenant.key()).body(accountJson("outbound", "other@example.com", true)).post("/api/v1/email/accounts")
                .then().statusCode(409);
        Api.as(tenant.key()).get("/api/v1/email/accounts/outbound").then().body("default", equalTo(false));
    }

    @Test
    void theDailyCapHoldsExactlyUnderConcurrencyAndARaisedCapLetsTheHeldOnesGo() throws Exception {
        Api.TestTenant tenant = Api.newTenant("mail-cap");
        createAccount(tenant, "capped", "news@" + tenant.id().substring(0, 8) + ".test", false);
        Api.as(tenant.key()).body("{\"perDay\":3}").put("/api/v1/quotas/channel:capped").then().statusCode(200);
        String subject = "Newsletter " + UUID.randomUUID();
        ExecutorService senders = Executors.newFixedThreadPool(12);
        try {
            List<Future<String>> sends = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                sends.add(senders.submit(() -> send(tenant, "capped", "reader" + n + "@example.com", subject,
                        null)));
            }
            for (Future<String> sent : sends) {
                sent.get();
            }
        } finally {
            senders.shutdownNow();
        }
        awaitTrue(() -> receivedWithSubject(subject).size() >= 3, "three messages delivered");
        Tasks.pause(3000); // the other nine are held by the cap, however often the queue looks at them
        assertThat(receivedWithSubject(subject)).hasSize(3);
        Api.as(tenant.key()).get("/api/v1/email/messages?state=queued").then().body("size()", equalTo(9));
        Api.as(tenant.key()).get("/api/v1/email/accounts/capped").then().body("today.sent", equalTo(3))
                .body("today.cap", equalTo(3));

        Api.as(tenant.key()).body("{\"perDay\":5}").put("/api/v1/quotas/channel:capped").then().statusCode(200);
        awaitTrue(() -> receivedWithSubject(subject).size() >= 5, "two more once the cap was raised");
        Tasks.pause(2000);
        assertThat(receivedWithSubject(subject)).hasSize(5);
        Api.as(tenant.key()).get("/api/v1/email/messages?state=queued").then().body("size()", equalTo(7));
    }

    @Test
    void failedSendsAreRetriedThenDeadLetteredAndARefusalIsNotRetried() throws Exception {
        Api.TestTenant tenant = Api.newTenant("mail-fail");
        int closed = FreePorts.pick(); // nothing listens there
        Api.as(tenant.key()).body("{\"name\":\"down\",\"provider\":\"smtp\",\"address\":\"a@down.test\","
                + "\"password\":\"x\",\"smtp\":{\"host\":\"127.0.0.1\",\"port\":" + closed + ",\"security\":\"none\"}}")
                .post("/api/v1/email/accounts").then().statusCode(201);
        String unreachable = send(tenant, "down", "someone@example.com", "Never " + UUID.randomUUID(), null);
        JsonPath failed = awaitState(tenant, unreachable, "failed");
        assertThat(failed.getInt("attempts")).isEqualTo(3);
        assertThat(failed.getString("lastError")).containsIgnoringCase("connect");
        String deadLetter = Api.as(tenant.key()).get("/api/v1/tasks?state=failed").then().statusCode(200)
                .extract().jsonPath().getString("find { it.kind == 'email.send' }.id");
        // The server comes up; a person retries the dead letter, and the message goes out.
        GreenMail late = new GreenMail(new ServerSetup(closed, "127.0.0.1", "smtp"));
        late.setUser("a@down.test", "a@down.test", "x");
        late.start();
        try {
            Api.as(tenant.key()).post("/api/v1/tasks/" + deadLetter + "/retry").then().statusCode(200);
            awaitState(tenant, unreachable, "sent");
            assertThat(late.getReceivedMessages()).hasSize(1);
        } finally {
            late.stop();
        }

        String user = "refused@" + tenant.id().substring(0, 8) + ".test";
        mail.setUser(user, user, "the-real-password");
        Api.as(tenant.key()).body("{\"name\":\"wrong-password\",\"provider\":\"smtp\",\"address\":\"" + user + "\","
                + "\"password\":\"not-it\",\"smtp\":{\"host\":\"127.0.0.1\",\"port\":" + smtpPort + ",\"security\":"
                + "\"none\"}}").post("/api/v1/email/accounts").then().statusCode(201);
        String refused = send(tenant, "wrong-password", "someone@example.com", "Refused " + UUID.randomUUID(), null);
        JsonPath refusal = awaitState(tenant, refused, "failed");
        assertThat(refusal.getInt("attempts")).isEqualTo(1);
        assertThat(refusal.getString("lastError")).contains("535");
    }

    @Test
    void aBounceReportMarksTheMessageThatBounced() throws Exception {
        Api.TestTenant tenant = Api.newTenant("mail-bounce");
        String address = "billing@" + tenant.id().substring(0, 8) + ".test";
        createAccount(tenant, "billing", address, false);
        String id = send(tenant, "billing", "gone@example.com", "Invoice " + UUID.randomUUID(), null);
        String messageId = awaitState(tenant, id, "sent").getString("messageId");

        MimeMessage odd = new MimeMessage(Session.getInstance(new Properties()));
        odd.setFrom("someone@example.com");
        odd.setRecipients(MimeMessage.RecipientType.TO, address);
        odd.setSubject("Odd \u0000 subject");
        odd.setText("a NUL \u0000 inside");
        odd.saveChanges();
        mail.getUserManager().getUser(address).deliver(odd);
        mail.getUserManager().getUser(address).deliver(bounce(address, messageId));
        JsonPath bounced = awaitState(tenant, id, "bounced");
        assertThat(bounced.getString("lastError")).contains("550 5.1.1");
        // A NUL, which PostgreSQL text cannot hold, is dropped rather than stopping the mailbox at that message.
        Api.as(tenant.key()).get("/api/v1/email/messages?direction=in").then()
                .body("state", containsInAnyOrder("bounce", "received"))
                .body("find { it.state == 'received' }.body", equalTo("a NUL  inside"));
    }

    @Test
    void inboundMailIsTriagedByTheDemoAgentAndTheApprovedReplyGoesOut() throws Exception {
        String demo = StewardServer.rig().demoKey();
        String inbox = "help-" + UUID.randomUUID().toString().substring(0, 8);
        String address = inbox + "@demo.test";
        Api.TestTenant owner = new Api.TestTenant(null, null, demo);
        createAccount(owner, inbox, address, true);
        Tasks.pause(1500); // the account's first poll marks where its mailbox starts

        String subject = "My order " + UUID.randomUUID();
        MimeMessage question = new MimeMessage(Session.getInstance(new Properties()));
        question.setFrom("customer@client.test");
        question.setRecipients(MimeMessage.RecipientType.TO, address);
        question.setSubject(subject);
        question.setText("Where is my order? It has been two weeks.");
        question.setHeader("Message-ID", "<question-" + UUID.randomUUID() + "@client.test>");
        question.saveChanges();
        String questionId = question.getMessageID();
        mail.getUserManager().getUser(address).deliver(question);

        String approval = await(() -> {
            List<String> found = Api.as(demo).get("/api/v1/approvals?status=pending&limit=200").then().extract()
                    .jsonPath().getList("findAll { it.action.subject == 'Re: " + subject + "' }.id");
            return found.isEmpty() ? null : found.get(0);
        }, "the triage agent's reply waiting for approval");
        List<String> tasks = Api.as(demo).get("/api/v1/records?type=task&limit=200").then().extract().jsonPath()
                .getList("findAll { it.fields.title == 'Answer customer@client.test: " + subject + "' }.id");
        assertThat(tasks).as("the task the triage filed").hasSize(1);
        assertThat(receivedWithSubject("Re: " + subject)).as("nothing goes out before approval").isEmpty();

        Api.as(demo).body("{\"approve\":true,\"comment\":\"fine\"}").post("/api/v1/approvals/" + approval).then()
                .statusCode(200);
        awaitTrue(() -> receivedWithSubject("Re: " + subject).size() == 1, "the approved reply delivered");
        MimeMessage reply = receivedWithSubject("Re: " + subject).get(0);
        assertThat(reply.getHeader("In-Reply-To", null)).isEqualTo(questionId);
        assertThat(reply.getAllRecipients()[0].toString()).isEqualTo("customer@client.test");
        assertThat(Api.as(demo).get("/api/v1/email/messages?direction=in&limit=500").then().extract().jsonPath()
                .getList("findAll { it.subject == '" + subject + "' }.state")).isEqualTo(List.of("received"));
    }

    @Test
    void anAgentSendsWithTheToolOnlyOnceAPersonApprovedUnlessGrantedAutoApproval() throws Exception {
        Api.TestTenant tenant = Api.newTenant("mail-tool");
        createAccount(tenant, "agent-mail", "agent@" + tenant.id().substring(0, 8) + ".test", true);
        String subject = "From an agent " + UUID.randomUUID();
        String call = "call send_email {\"to\": [\"person@example.com\"], \"subject\": \"" + subject + "\","
                + " \"body\": \"Hello from the agent\"}";
        String careful = ToolTurns.session(tenant.key(), ToolTurns.agent(tenant, "careful",
                "\"tools\":[\"send_email\"]"));
        ToolTurns.send(tenant.key(), careful, call);
        ToolTurns.awaitState(tenant.key(), careful, "awaiting_confirmation");
        assertThat(receivedWithSubject(subject)).isEmpty();

        String trusted = ToolTurns.session(tenant.key(), ToolTurns.agent(tenant, "trusted",
                "\"tools\":[\"send_email\"],\"autoApprove\":[\"send_email\"]"));
        assertThat(ToolTurns.answer(tenant.key(), trusted, call)).startsWith("Tool send_email answered: Queued email")
                .contains("from account agent-mail");
        awaitTrue(() -> receivedWithSubject(subject).size() == 1, "the agent's mail delivered");
        assertThat(ToolTurns.answer(tenant.key(), ToolTurns.session(tenant.key(), ToolTurns.agent(tenant, "sloppy",
                "\"tools\":[\"send_email\"],\"autoApprove\":[\"send_email\"]")), "call send_email {\"to\": \"x\","
                + " \"subject\": \"s\", \"body\": \"b\"}")).isEqualTo("Tool send_email answered: to[0]: must be an"
                + " email address");
    }

    private static void createAccount(Api.TestTenant tenant, String name, String address, boolean isDefault) {
        mail.setUser(address, address, PASSWORD);
        Api.as(tenant.key()).body(accountJson(name, address, isDefault)).post("/api/v1/email/accounts").then()
                .statusCode(201).body("name", equalTo(name));
    }

    private static String accountJson(String name, String address, boolean isDefault) {
        return "{\"name\":\"" + name + "\",\"provider\":\"smtp\",\"address\":\"" + address + "\",\"password\":\""
                + PASSWORD + "\",\"default\":" + isDefault + ",\"smtp\":{\"host\":\"127.0.0.1\",\"port\":" + smtpPort
                + ",\"security\":\"none\"},\"imap\":{\"host\":\"127.0.0.1\",\"port\":" + imapPort
                + ",\"security\":\"none\"}}";
    }

    private static String message(String account, String to, String subject) {
        return "{\"account\":\"" + account + "\",\"to\":[\"" + to + "\"],\"subject\":\"" + subject + "\","
                + "\"body\":\"Hello\"}";
    }

    private static String send(Api.TestTenant tenant, String account, String to, String subject, String key) {
        var request = Api.as(tenant.key()).body(message(account, to, subject));
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.post("/api/v1/email/messages").then().statusCode(202).body("state", equalTo("queued"))
                .extract().path("id");
    }

    private static JsonPath awaitState(Api.TestTenant tenant, String id, String state) {
        JsonPath[] last = new JsonPath[1];
        try {
            awaitTrue(() -> {
                last[0] = Api.as(tenant.key()).get("/api/v1/email/messages/" + id).then().statusCode(200).extract()
                        .jsonPath();
                return state.equals(last[0].getString("state"));
            }, "message " + id + " " + state);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the tenant's mail: " + Api.as(tenant.key())
                    .get("/api/v1/email/messages").asString() + "; its accounts: " + Api.as(tenant.key())
                    .get("/api/v1/email/accounts").asString(), e);
        }
        return last[0];
    }

    private static List<MimeMessage> receivedWithSubject(String subject) {
        return Arrays.stream(mail.getReceivedMessages()).filter(message -> {
            try {
                return subject.equals(message.getSubject());
            } catch (MessagingException e) {
                return false;
            }
        }).toList();
    }

    /** A delivery status report (RFC 3464) for the message with {@code messageId}, as a receiving server sends. */
    private static MimeMessage bounce(String to, String messageId) throws Exception {
        MimeMessage report = new MimeMessage(Session.getInstance(new Properties()));
        report.setFrom("MAILER-DAEMON@mx.example.com");
        report.setRecipients(MimeMessage.RecipientType.TO, to);
        report.setSubject("Undelivered Mail Returned to Sender");
        MimeMultipart parts = new MimeMultipart("report");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Your message could not be delivered to gone@example.com.");
        parts.addBodyPart(text);
        parts.addBodyPart(part("Reporting-MTA: dns; mx.example.com\r\n\r\nFinal-Recipient: rfc822; gone@example.com"
                + "\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 <gone@example.com>: user"
                + " unknown\r\n", "message/delivery-status"));
        parts.addBodyPart(part("Message-ID: " + messageId + "\r\nSubject: Invoice\r\n\r\n", "text/rfc822-headers"));
        report.setContent(parts);
        report.saveChanges();
        report.setHeader("Content-Type", parts.getContentType() + "; report-type=delivery-status");
        return report;
    }

    private static MimeBodyPart part(String content, String type) throws Exception {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(content.getBytes(StandardCharsets.US_ASCII),
                type)));
        part.setHeader("Content-Type", type);
        return part;
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        await(() -> condition.getAsBoolean() ? "yes" : null, what);
    }

    private static <T> T await(Supplier<T> probe, String what) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            T found = probe.get();
            if (found != null) {
                return found;
            }
            Tasks.pause(200);
        }
        throw new AssertionError("Timed out waiting for " + what);
    }
}
