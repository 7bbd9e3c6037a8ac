package dev.steward.orchestration.internal;

import dev.steward.dispatch.api.Job;
import dev.steward.dispatch.api.JobHandler;
import dev.steward.dispatch.api.JobQueue;
import dev.steward.dispatch.api.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.transaction.Transactional;
import java.io.StringReader;
import java.util.List;
import java.util.UUID;

/**
 * A record's lease, freed by a run that ended, handed to the next run waiting for it by a queued job
 * ({@link Runs#handOver}) rather than inside the ending step: that step has appended to the audit trail, and locking
 * the next run after an append could deadlock with a step of that run (which locks first, then appends).
 */
@ApplicationScoped
class LeaseJobs implements JobHandler {

    static final String KIND = "workflow.lease";

    @Inject
    JobQueue queue;

    @Inject
    Runs runs;

    /** Queues the hand-over in the caller's transaction, once per freed lease. */
    @Transactional(Transactional.TxType.MANDATORY)
    void handOver(UUID record, UUID endedRun) {
        queue.submit(new JobQueue.Request(KIND, Priority.DEFAULT, Json.createObjectBuilder()
                .add("record", record.toString()).add("after", endedRun.toString()).build().toString(), null,
                "lease-" + record + "-" + endedRun, null, List.of(), 0));
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void handle(Job job) {
        JsonObject payload;
        try (JsonReader reader = Json.createReader(new StringReader(job.payloadJson()))) {
            payload = reader.readObject();
        }
        runs.handOver(UUID.fromString(payload.getString("record")), UUID.fromString(payload.getString("after")));
    }
}
