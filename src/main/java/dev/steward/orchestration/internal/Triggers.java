package dev.steward.orchestration.internal;

import dev.steward.dispatch.api.JobQueue;
import dev.steward.dispatch.api.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/**
 * Record events become triggers: each change queues a {@code workflow.trigger} job in the change's transaction (so
 * a trigger exists exactly when its change committed), keyed by the record's version so that it is routed once.
 * A tenant without routing rules or nodes waiting for events has nothing to route, and its changes queue nothing.
 */
@ApplicationScoped
class Triggers {

    static final String KIND = "workflow.trigger";

    @Inject
    JobQueue queue;

    @Inject
    DefinitionStore definitions;

    @Inject
    RunStore runs;

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
