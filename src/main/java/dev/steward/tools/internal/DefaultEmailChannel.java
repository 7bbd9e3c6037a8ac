package dev.steward.tools.internal;

import dev.steward.dispatch.api.JobQueue;
import dev.steward.dispatch.api.Priority;
import dev.steward.shared.FieldError;
import dev.steward.tools.api.EmailChannel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Outbound mail: a draft checked, stored as a queued message and handed to the queue as an {@code email.send} job
 * that draws on the account's channel ({@code channel:<account>}), so the account's daily cap is counted where every
 * limit is: at admission, under the counters' lock, on whichever node claims the job.
 */
@ApplicationScoped
class DefaultEmailChannel implements EmailChannel {

    static final int MAX_RECIPIENTS = 50;
    static final int MAX_SUBJECT = 998;
    static final int MAX_BODY = 100_000;
    /** Control characters: none in a subject; in a body only tab and line breaks. */
    private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");
    private static final Pattern BODY_CONTROL = Pattern.compile("[\\p{Cc}&&[^\\t\\r\\n]]");
    /** A Message-ID in ASCII without spaces or angle brackets inside: nothing a header could be split at. */
    private static final Pattern MESSAGE_ID = Pattern.compile("<[\\x21-\\x3B\\x3D\\x3F-\\x7E]{1,996}>");

    @Inject
    EmailAccounts accounts;

    @Inject
    EmailMessages messages;

    @Inject
    JobQueue queue;

    @Override
    @Transactional
    public Queued send(Draft draft, String key) {
        Optional<FieldError> problem = problem(draft);
        if (problem.isPresent()) {
            return new Queued(null, null, false, problem.get());
        }
        String source = "send:" + key;
        Optional<EmailMessage> earlier = messages.bySource(source);
        if (earlier.isPresent()) {
            return new Queued(earlier.get().id(), earlier.get().account(), true, null);
        }
        Optional<EmailAccount> account = draft.account() == null ? accounts.fallback() : accounts.find(draft.account());
        if (account.isEmpty()) {
            return new Queued(null, null, false, new FieldError("account", draft.account() == null
                    ? "the tenant has no default mail account; name one"
                    : "the tenant has no mail account named " + draft.account()));
        }
        UUID id = UUID.randomUUID();
        EmailAccount from = account.get();
        // The Message-ID names the message, so that a bounce report can be traced back to it.
        String messageId = "<steward." + id + "@" + from.domain() + ">";
        if (!messages.insert(new EmailMessages.New(id, from, "out", "queued", source, from.address(), draft.to(),
                draft.cc(), draft.subject(), draft.body(), messageId, draft.inReplyTo(), null, null))) {
            EmailMessage raced = messages.bySource(source).orElseThrow();
            return new Queued(raced.id(), raced.account(), true, null);
        }
        queue.submit(new JobQueue.Request(EmailSendJobs.KIND, Priority.DEFAULT, Json.createObjectBuilder()
                .add("message", id.toString()).build().toString(), null, "email-send-" + id, null,
                List.of(from.channel()), 0));
        return new Queued(id, from.name(), false, null);
    }

    /** What is wrong with the draft, naming the field; empty when it can be sent. */
    static Optional<FieldError> problem(Draft draft) {
        if (draft.to().isEmpty() || draft.to().size() + draft.cc().size() > MAX_RECIPIENTS) {
            return refusal("to", "must name 1 to " + MAX_RECIPIENTS + " recipients (with cc)");
        }
        for (String list : List.of("to", "cc")) {
            List<String> addresses = list.equals("to") ? draft.to() : draft.cc();
            for (int i = 0; i < addresses.size(); i++) {
                if (!EmailAccountRequest.isAddress(addresses.get(i))) {
                    return refusal(list + "[" + i + "]", "must be an email address");
                }
            }
        }
        if (draft.subject() == null || draft.subject().isBlank() || draft.subject().length() > MAX_SUBJECT
                || CONTROL.matcher(draft.subject()).find()) {
            return refusal("subject", "must be one non-blank line of at most " + MAX_SUBJECT + " characters");
        }
        if (draft.body() == null || draft.body().length() > MAX_BODY || BODY_CONTROL.matcher(draft.body()).find()) {
            return refusal("body", "must be text of at most " + MAX_BODY + " characters");
        }
        if (draft.inReplyTo() != null && !MESSAGE_ID.matcher(draft.inReplyTo()).matches()) {
            return refusal("inReplyTo", "must be one Message-ID: <...@...>");
        }
        if (draft.account() != null && !draft.account().matches(EmailAccountRequest.NAME)) {
            return refusal("account", "the tenant has no mail account named so");
        }
        return Optional.empty();
    }

    private static Optional<FieldError> refusal(String field, String message) {
        return Optional.of(new FieldError(field, message));
    }
}
