package dev.steward.orchestration.internal;

import dev.steward.dispatch.api.Job;
import dev.steward.dispatch.api.JobHandler;
import dev.steward.dispatch.api.JobQueue;
import dev.steward.dispatch.api.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.transaction.Transactional;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Expires an approval at its time: a job queued for then when the approval is opened. */
@ApplicationScoped
class ApprovalExpiry implements JobHandler {

    static final String KIND = "approval.expire";

    @Inject
    JobQueue queue;

    @Inject
    Instance<Approvals> approvals;

    @Override
    public String kind() {
        return KIND;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void schedule(UUID approval, Instant at) {
        queue.submit(new JobQueue.Request(KIND, Priority.P1, Json.createObjectBuilder()
                .add("approval", approval.toString()).build().toString(), at, "expire-" + approval, null, List.of(),
                0));
    }

    @Override
    public void handle(Job job) {
        try (JsonReader reader = Json.createReader(new StringReader(job.payloadJson()))) {
            approvals.get().expire(UUID.fromString(reader.readObject().getString("approval")));
        }
    }
}
