package dev.steward.orchestration.internal;

import dev.steward.dispatch.api.Job;
import dev.steward.dispatch.api.JobHandler;
import dev.steward.dispatch.api.PermanentJobFailure;
import dev.steward.tools.api.ToolOutcome;
import dev.steward.tools.api.Tools;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Runs one step of a workflow node as a queued job. Attempts are the node's own; the last failed attempt fails the
 * node (and its run) so that no run is left with a node that will never end. A repeated or late job finds its node
 * moved on and does nothing.
 */
@ApplicationScoped
class NodeJobs implements JobHandler {

    @Inject
    Runs runs;

    @Inject
    Specialists specialists;

    @Inject
    Supervisor supervisor;

    @Inject
    Approvals approvals;

    @Inject
    Tools tools;

    @Override
    public String kind() {
        return NodeQueue.KIND;
    }

    @Override
    public Duration maxRunTime() {
        return Duration.ofMinutes(5);
    }

    @Override
    public void handle(Job job) throws Exception {
        NodeQueue.Payload payload = NodeQueue.Payload.parse(job.payloadJson());
        Optional<Runs.NodeWork> claimed = runs.claim(payload.run(), payload.node());
        if (claimed.isEmpty()) {
            return;
        }
        Runs.NodeWork work = claimed.get();
        try {
            run(work);
        } catch (PermanentJobFailure e) {
            runs.fail(payload.run(), payload.node(), e.getMessage());
            throw e;
        } catch (Exception e) {
            String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (job.attempt() >= job.maxAttempts()) {
                runs.fail(payload.run(), payload.node(), error);
            } else {
                runs.attemptFailed(payload.run(), payload.node(), "Attempt " + job.attempt() + ": " + error);
            }
            throw e;
        }
    }

    private void run(Runs.NodeWork work) throws Exception {
        String node = work.node().id();
        switch (work.node().kind()) {
            case "agent":
                runs.succeed(work.run().id(), node, specialists.propose(work));
                break;
            case "commit":
                supervisor.commit(work);
                break;
            case "approval":
                approvals.openForNode(work);
                break;
            case "condition":
                runs.succeed(work.run().id(), node, Json.createObjectBuilder().add("result",
                        Condition.holds(work.node().spec().get("condition"), work.facts())).build());
                break;
            case "wait":
                await(work);
                break;
            case "tool":
                tool(work);
                break;
            default:
                throw new PermanentJobFailure("Unknown node kind " + work.node().kind());
        }
    }

    /**
     * A wait for some seconds parks the node until then; a wait for an event parks it until the event comes
     * ({@link Routing#deliver}) or its timeout passes, when it succeeds with {@code timedOut} so edges can branch on it.
     */
    private void await(Runs.NodeWork work) {
        JsonObject spec = work.node().spec();
        String node = work.node().id();
        boolean forEvent = spec.containsKey("event");
        Instant wakeAt = work.row().wakeAt();
        if (wakeAt == null && forEvent) {
            wakeAt = spec.containsKey("timeoutSeconds") ? Instant.now().plusSeconds(spec.getInt("timeoutSeconds"))
                    : null;
        } else if (wakeAt == null) {
            wakeAt = Instant.now().plusSeconds(spec.getJsonNumber("seconds").longValue());
        }
        if (wakeAt != null && !Instant.now().isBefore(wakeAt)) {
            JsonObjectBuilder output = Json.createObjectBuilder().add("wokeAt", Instant.now().toString());
            if (forEvent) {
                output.add("timedOut", true);
            }
            runs.succeed(work.run().id(), node, output.build());
        } else if (forEvent) {
            runs.awaitEvent(work.run().id(), node, spec.getString("event"), wakeAt);
        } else {
            runs.park(work.run().id(), node, null, wakeAt);
        }
    }

    /** Calls the node's tool once (its call key is the run and node); a long job is polled when it says. */
    private void tool(Runs.NodeWork work) throws PermanentJobFailure {
        String name = work.node().spec().getString("tool");
        JsonObject before = work.row().output();
        ToolOutcome outcome = before != null && before.containsKey("pollToken")
                ? tools.poll(name, before.getString("pollToken"))
                : tools.call(name, work.node().spec().getJsonObject("arguments") == null ? "{}"
                : work.node().spec().getJsonObject("arguments").toString(), "run-" + work.run().id() + "-"
                + work.node().id());
        if (outcome instanceof ToolOutcome.Done done) {
            runs.succeed(work.run().id(), work.node().id(), Json.createObjectBuilder().add("result", done.result())
                    .build());
        } else if (outcome instanceof ToolOutcome.Pending pending) {
            runs.park(work.run().id(), work.node().id(), Json.createObjectBuilder()
                    .add("pollToken", pending.pollToken()).add("progress", pending.progress()).build(),
                    Instant.now().plus(pending.pollAfter()));
        } else {
            throw new PermanentJobFailure("Tool " + name + " failed: " + ((ToolOutcome.Failed) outcome).error());
        }
    }
}
