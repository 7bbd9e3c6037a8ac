package dev.steward.tools.internal;

import dev.steward.dispatch.api.Job;
import dev.steward.dispatch.api.JobHandler;
import dev.steward.dispatch.api.PermanentJobFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import java.io.StringReader;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends a queued message ({@code email.send}). A message is sent once in effect: one already sent is not sent
 * again. A refusal the server means for good (a 5xx reply: bad address, authentication refused, a private host)
 * dead-letters the job at once; anything else (4xx, a connection that failed or timed out) is retried with the
 * queue's backoff until the attempts run out. Either way the message ends {@code failed} with the server's answer,
 * and the job stays in the dead letters: retried by a person, it sends the message again.
 *
 * <p>SMTP has no idempotency key: a worker that dies after the server took the message and before it was marked sent
 * sends it again on the retry, with the same Message-ID, which receivers use to tell duplicates apart.
 */
@ApplicationScoped
class EmailSendJobs implements JobHandler {

    static final String KIND = "email.send";
    private static final Pattern REPLY_CODE = Pattern.compile("(?s)^\\s*([45])\\d\\d[ -].*");

    @Inject
    EmailMessages messages;

    @Inject
    EmailAccounts accounts;

    @Inject
    MailServers servers;

    @Inject
    @ConfigProperty(name = "steward.email.send-attempts", defaultValue = "5")
    int attempts;

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int maxAttempts() {
        return attempts;
    }

    @Override
    public Duration maxRunTime() {
        return Duration.ofMinutes(2);
    }

    @Override
    public void handle(Job job) throws Exception {
        UUID id;
        try (JsonReader reader = Json.createReader(new StringReader(job.payloadJson()))) {
            id = UUID.fromString(reader.readObject().getString("message"));
        }
        Optional<EmailMessage> found = messages.find(id);
        if (found.isPresent() && found.get().state().equals("failed") && messages.requeue(id)) {
            found = messages.find(id); // a dead letter a person retried: the message goes out again
        }
        if (found.isEmpty() || !found.get().state().equals("queued")) {
            return; // sent, or bounced, by an earlier attempt
        }
        EmailMessage message = found.get();
        Optional<EmailAccount> account = accounts.find(message.accountId());
        if (account.isEmpty()) {
            messages.failed(message, "the account " + message.account() + " was removed before it was sent");
            throw new PermanentJobFailure("email " + id + ": its account " + message.account() + " is gone");
        }
        try {
            servers.send(account.get(), accounts.password(account.get()), message);
        } catch (MessagingException | RuntimeException e) {
            String error = describe(e);
            // Jakarta Mail refuses what it cannot put on the wire with an IllegalArgumentException: for good.
            boolean forGood = e instanceof IllegalArgumentException
                    || e instanceof MessagingException messaging && permanent(messaging);
            if (forGood || job.attempt() >= job.maxAttempts()) {
                messages.failed(message, error);
                throw new PermanentJobFailure("email " + id + " was not sent: " + error, e);
            }
            messages.attemptFailed(id, error);
            throw e;
        }
        messages.sent(message);
    }

    /** Whether the server refused for good: a 5xx reply anywhere in the chain, or an address it rejected. */
    static boolean permanent(MessagingException e) {
        if (e instanceof SendFailedException failed && failed.getInvalidAddresses() != null
                && failed.getInvalidAddresses().length > 0) {
            return true;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            Matcher code = REPLY_CODE.matcher(String.valueOf(cause.getMessage()));
            if (code.matches()) {
                return code.group(1).equals("5");
            }
            if (cause instanceof MessagingException messaging && messaging.getNextException() != null
                    && messaging.getNextException() != cause.getCause()) {
                Matcher next = REPLY_CODE.matcher(String.valueOf(messaging.getNextException().getMessage()));
                if (next.matches()) {
                    return next.group(1).equals("5");
                }
            }
        }
        return false;
    }

    static String describe(Exception e) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = e; cause != null && text.length() < 500; cause = cause.getCause()) {
            if (cause.getMessage() != null && text.indexOf(cause.getMessage().trim()) < 0) {
                text.append(text.isEmpty() ? "" : "; ").append(cause.getMessage().trim());
            }
        }
        return text.isEmpty() ? e.getClass().getSimpleName() : text.substring(0, Math.min(500, text.length()));
    }
}
