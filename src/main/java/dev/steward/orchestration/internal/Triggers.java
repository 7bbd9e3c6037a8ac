package dev.steward.orchestration.internal;

import dev.steward.dispatch.api.JobQueue;
import dev.steward.dispatch.api.Priority;
import dev.steward.tools.api.InboundEmail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/**
 * Record events and inbound mail become triggers: each queues a {@code workflow.trigger} job in the transaction that
 * stored it (so a trigger exists exactly when its cause committed), keyed by the record's version or the message, so
 * that it is routed once. A tenant without routing rules or nodes waiting for events has nothing to route, and
 * queues nothing.
 */
@ApplicationScoped
class Triggers {

    static final String KIND = "workflow.trigger";
    static final String EMAIL = "email.received";

    @Inject
    JobQueue queue;

    @Inject
    DefinitionStore definitions;

    @Inject
    RunStore runs;

    /** Inbound mail: an {@code email.received} event whose data is the message, for rules and waiting nodes. */
    @Transactional(Transactional.TxType.MANDATORY)
    void emailReceived(@Observes InboundEmail email) {
        if (!definitions.any(Routing.RULE) && !runs.anyAwaiting()) {
            return;
        }
        JsonArrayBuilder to = Json.createArrayBuilder();
        email.to().forEach(to::add);
        JsonObjectBuilder data = Json.createObjectBuilder().add("message", email.message().toString())
                .add("account", email.account()).add("from", email.from()).add("to", to)
                .add("subject", email.subject()).add("text", email.text())
                .add("messageId", email.messageId() == null ? "" : email.messageId())
                .add("inReplyTo", email.inReplyTo() == null ? "" : email.inReplyTo());
        queue.submit(new JobQueue.Request(KIND, Priority.DEFAULT, Json.createObjectBuilder().add("event", EMAIL)
                .add("data", data).add("key", "email:" + email.message()).build().toString(), null,
                "trigger-email-" + email.message(), null, List.of(), 0));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void recordChanged(String event, RecordViews.Record record, UUID causeRun) {
        if (!definitions.any(Routing.RULE) && !runs.anyAwaiting()) {
            return;
        }
        JsonObjectBuilder payload = Json.createObjectBuilder().add("event", event)
                .add("record", ContextAssembler.view(record));
        if (causeRun != null) {
            payload.add("causeRun", causeRun.toString());
        }
        queue.submit(new JobQueue.Request(KIND, Priority.DEFAULT, payload.build().toString(), null,
                "trigger-" + event + "-" + record.id() + "-v" + record.version(), null, List.of(), 0));
    }
}
