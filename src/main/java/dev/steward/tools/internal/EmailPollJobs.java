package dev.steward.tools.internal;

import dev.steward.dispatch.api.Job;
import dev.steward.dispatch.api.JobHandler;
import dev.steward.dispatch.api.JobQueue;
import dev.steward.dispatch.api.Priority;
import dev.steward.shared.Logs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.mail.MessagingException;
import jakarta.transaction.Transactional;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads a mailbox ({@code email.poll}): the messages after the last poll's mark, each stored and handed on in its own
 * transaction ({@link EmailInbox}), then the mark moved. A message read twice (two polls overlapping, a worker that
 * died before moving the mark) is stored once: its source is its mailbox position. A poll that fails is recorded on
 * the account for its owner to see, and the next poll tries again.
 */
@ApplicationScoped
class EmailPollJobs implements JobHandler {

    static final String KIND = "email.poll";

    @Inject
    EmailAccounts accounts;

    @Inject
    EmailInbox inbox;

    @Inject
    MailServers servers;

    @Inject
    JobQueue queue;

    @Inject
    @ConfigProperty(name = "steward.email.poll-seconds", defaultValue = "60")
    long intervalSeconds;

    long intervalSeconds() {
        return Math.max(1, intervalSeconds);
    }

    /** Queues a poll of the account if its poll is still due at {@code dueAt} (another node may have queued it). */
    @Transactional
    void queue(UUID account, Instant dueAt) {
        if (accounts.claimPoll(account, dueAt, Instant.now().plusSeconds(intervalSeconds()))) {
            queue.submit(new JobQueue.Request(KIND, Priority.P3, Json.createObjectBuilder()
                    .add("account", account.toString()).build().toString(), null,
                    "email-poll-" + account + "-" + dueAt.toEpochMilli(), null, List.of(), 0));
        }
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int maxAttempts() {
        return 2;
    }

    @Override
    public Duration maxRunTime() {
        return Duration.ofMinutes(5);
    }

    @Override
    public void handle(Job job) {
        UUID id;
        try (JsonReader reader = Json.createReader(new StringReader(job.payloadJson()))) {
            id = UUID.fromString(reader.readObject().getString("account"));
        }
        Optional<EmailAccount> found = accounts.find(id);
        if (found.isEmpty() || found.get().imap() == null) {
            return; // removed, or no longer polled
        }
        EmailAccount account = found.get();
        EmailAccounts.PollState state = accounts.pollState(id);
        MailServers.Fetched fetched;
        try {
            fetched = servers.fetch(account, accounts.password(account), state.uidValidity(), state.lastUid(),
                    account.createdAt());
        } catch (MessagingException e) {
            Logs.of(EmailPollJobs.class).log(Level.FINE, "Polling mail account " + account.name() + " failed", e);
            accounts.pollFailed(id, EmailSendJobs.describe(e));
            return;
        }
        long stored = fetched.continuing() ? fetched.fromUid() - 1 : 0;
        for (InboundMessage message : fetched.messages()) {
            try {
                inbox.store(account, fetched.uidValidity(), message);
                stored = message.uid();
            } catch (RuntimeException e) {
                // The mark stays before this message, so the next poll tries it again; the owner sees why.
                Logs.of(EmailPollJobs.class).log(Level.WARNING, "Mail account " + account.name() + ": message "
                        + message.uid() + " could not be stored", e);
                if (fetched.continuing()) { // a first poll records nothing, and the next one starts over
                    accounts.polled(id, fetched.uidValidity(), stored);
                }
                accounts.pollFailed(id, "message " + message.uid() + " could not be stored; the next poll tries"
                        + " again");
                return;
            }
        }
        accounts.polled(id, fetched.uidValidity(), fetched.lastUid());
    }
}
