package dev.steward.orchestration.internal;

import dev.steward.audit.api.AuditEntry;
import dev.steward.audit.api.AuditTrail;
import dev.steward.shared.CurrentRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs workflows: starts a run (taking its record's lease, or waiting, merging or being rejected by policy), moves
 * its nodes through their states, queues the nodes that became ready (at most {@value #MAX_CONCURRENT_NODES} at a
 * time per run), and ends the run, handing the record's lease to the next run waiting for it. Every step is one
 * transaction under the run's row lock, so a crash loses at most the step in progress, which its job repeats.
 */
@ApplicationScoped
class Runs {

    static final int MAX_CONCURRENT_NODES = 50;
    /** How many waiting nodes one event wakes at most, so that its transaction stays short. */
    static final int MAX_WOKEN_PER_EVENT = 100;

    @Inject
    RunStore store;

    @Inject
    DefinitionStore definitions;

    @Inject
    ContextAssembler contexts;

    @Inject
    NodeQueue jobs;

    @Inject
    LeaseJobs leases;

    @Inject
    ApprovalStore approvals;

    @Inject
    AuditTrail audit;

    /** Why a run starts: the workflow version, the record it works on, the rule that chose it, and the trigger. */
    record Start(DefinitionStore.Definition workflow, UUID recordId, UUID ruleId, Integer ruleVersion,
                 String onLocked, JsonObject trigger, String triggerKey) {
    }

    /** The run a start made, or found when its trigger key was used before. */
    record Started(RunStore.Run run, boolean duplicate) {
    }

    /** A node's attempt as its job runs it: the run, the workflow, the node, its row and the run's facts. */
    record NodeWork(RunStore.Run run, WorkflowDefinition workflow, WorkflowDefinition.Node node,
                    RunStore.Node row, JsonObject facts) {
    }

    @Transactional
    Started start(Start start) {
        Optional<UUID> inserted = store.insert(new RunStore.NewRun(start.workflow().id(), start.workflow().version(),
                start.recordId(), start.ruleId(), start.ruleVersion(), start.onLocked(), start.trigger(),
                start.triggerKey()));
        if (inserted.isEmpty()) {
            return new Started(store.byTriggerKey(start.triggerKey()).orElseThrow(), true);
        }
        UUID run = inserted.get();
        JsonObjectBuilder details = Json.createObjectBuilder().add("workflow", start.workflow().name())
                .add("workflowVersion", start.workflow().version()).add("trigger", start.trigger());
        if (start.ruleId() != null) {
            details.add("rule", start.ruleId().toString()).add("ruleVersion", start.ruleVersion());
        }
        // Locks before the audit append, which holds the tenant's chain head to the end: taken the other way round,
        // a node step (run lock, then append) and this start could each wait for the other.
        boolean leased = start.recordId() == null;
        Optional<UUID> heldBy = Optional.empty();
        while (!leased && heldBy.isEmpty()) {
            // Taken, or held by a run whose end may free it between the two reads: then try again.
            leased = store.takeLease(start.recordId(), run);
            heldBy = leased ? Optional.empty() : store.holder(start.recordId());
        }
        audit.record(entry("run.triggered", run, start.recordId(), details.build()));
        if (!leased) {
            UUID holder = heldBy.get();
            JsonObject held = Json.createObjectBuilder().add("heldBy", holder.toString())
                    .add("policy", start.onLocked()).build();
            switch (start.onLocked()) {
                case "merge":
                    store.setState(run, "merged", null, holder);
                    audit.record(entry("run.merged", run, start.recordId(), held));
                    break;
                case "reject":
                    store.setState(run, "rejected", "The record is held by run " + holder, null);
                    audit.record(entry("run.rejected", run, start.recordId(), held));
                    break;
                default:
                    audit.record(entry("run.waiting", run, start.recordId(), held));
            }
        } else {
            begin(run);
        }
        return new Started(store.find(run).orElseThrow(), false);
    }

    /** Starts a run whose record's lease it holds (or that works on no record). */
    private void begin(UUID runId) {
        store.setState(runId, "running", null, null);
        RunStore.Run run = store.find(runId).orElseThrow();
        store.insertNodes(runId, workflow(run));
        contexts.current(run, List.of());
        advance(runId);
    }

    /** Claims a node for an attempt; empty when the run or the node has moved on (a late or repeated job). */
    @Transactional
    Optional<NodeWork> claim(UUID runId, String nodeId) {
        Optional<RunStore.Run> locked = store.lock(runId);
        if (locked.isEmpty() || !locked.get().state().equals("running")) {
            return Optional.empty();
        }
        RunStore.Run run = locked.get();
        List<RunStore.Node> rows = store.nodes(runId);
        RunStore.Node row = rows.stream().filter(n -> n.node().equals(nodeId)).findFirst().orElse(null);
        if (row == null || !(row.state().equals("queued") || row.state().equals("running")
                || row.state().equals("waiting") && row.wakeAt() != null)) {
            return Optional.empty();
        }
        store.setNode(runId, nodeId, "running", null, null, row.wakeAt(), true);
        WorkflowDefinition workflow = workflow(run);
        WorkflowDefinition.Node node = workflow.node(nodeId);
        JsonObject facts = node.kind().equals("agent") ? contexts.current(run, rows) : facts(run, rows);
        return Optional.of(new NodeWork(run, workflow, node, row, facts));
    }

    /** The node's attempt succeeded with {@code output}; the nodes it makes ready are queued. */
    @Transactional
    void succeed(UUID runId, String node, JsonObject output) {
        if (running(runId, node)) {
            store.setNode(runId, node, "succeeded", output, null, null, false);
            advance(runId);
        }
    }

    /** The node waits: until {@code wakeAt} (its job queued for then), or for approvals when that is null. */
    @Transactional(Transactional.TxType.REQUIRED)
    void park(UUID runId, String node, JsonObject output, Instant wakeAt) {
        if (running(runId, node)) {
            store.setNode(runId, node, "waiting", output, null, wakeAt, false);
            if (wakeAt != null) {
                RunStore.Run run = store.find(runId).orElseThrow();
                WorkflowDefinition workflow = workflow(run);
                jobs.submit(run, workflow, workflow.node(node), wakeAt, "wake-" + wakeAt.toEpochMilli());
            }
        }
    }

    /** The node waits for {@code event} (and, when {@code timeoutAt} is set, wakes then if none came). */
    @Transactional
    void awaitEvent(UUID runId, String node, String event, Instant timeoutAt) {
        JsonObjectBuilder output = Json.createObjectBuilder().add("awaiting", event);
        if (timeoutAt != null) {
            output.add("until", timeoutAt.toString());
        }
        park(runId, node, output.build(), timeoutAt);
        store.awaitEvent(runId, node, event);
    }

    /**
     * The nodes an event may wake: waiting for it in running runs on the event's record (any run, when the event
     * concerns no record, or the run none), not in the run whose change caused it; oldest run first.
     */
    @Transactional
    List<RunStore.Awaiting> awaiting(String event, UUID record, UUID causeRun) {
        return store.awaiting(event, record, causeRun, MAX_WOKEN_PER_EVENT);
    }

    /**
     * Wakes one waiting node with an event, if it still waits and its condition ({@code when}, over the run's facts
     * and {@code event}) holds: it succeeds with the event as its output. One transaction per node, so that each
     * takes its run's lock before the audit append, as every step does.
     */
    @Transactional
    boolean wake(RunStore.Awaiting awaiting, String event, UUID record, JsonObject eventFacts) {
        Optional<RunStore.Run> locked = store.lock(awaiting.run());
        if (locked.isEmpty() || !locked.get().state().equals("running")) {
            return false;
        }
        RunStore.Run run = locked.get();
        List<RunStore.Node> rows = store.nodes(run.id());
        boolean waiting = rows.stream().anyMatch(n -> n.node().equals(awaiting.node()) && n.state().equals("waiting"));
        JsonObject facts = Json.createObjectBuilder(facts(run, rows)).add("event", eventFacts).build();
        if (!waiting || !Condition.holds(workflow(run).node(awaiting.node()).spec().get("when"), facts)) {
            return false;
        }
        JsonObjectBuilder output = Json.createObjectBuilder().add("event", event).add("data", eventFacts.get("data"));
        if (record != null) {
            output.add("record", record.toString());
        }
        store.setNode(run.id(), awaiting.node(), "succeeded", output.build(), null, null, false);
        audit.record(entry("run.event", run.id(), run.recordId(), Json.createObjectBuilder()
                .add("node", awaiting.node()).add("event", event).build()));
        advance(run.id());
        return true;
    }

    /** A waiting node's approvals are all decided: it succeeds with {@code output}. */
    @Transactional(Transactional.TxType.MANDATORY)
    void settle(UUID runId, String node, JsonObject output) {
        RunStore.Run run = store.lock(runId).orElseThrow();
        boolean waiting = store.nodes(runId).stream()
                .anyMatch(n -> n.node().equals(node) && n.state().equals("waiting"));
        if (run.state().equals("running") && waiting) {
            store.setNode(runId, node, "succeeded", output, null, null, false);
            advance(runId);
        }
    }

    /** An attempt failed and another will follow: the error is shown on the node meanwhile. */
    @Transactional
    void attemptFailed(UUID runId, String node, String error) {
        if (running(runId, node)) {
            store.setNode(runId, node, "running", null, error, null, false);
        }
    }

    /** The node failed for good, and with it the run; its other nodes are cancelled, nothing more is committed. */
    @Transactional
    void fail(UUID runId, String node, String error) {
        if (running(runId, node)) {
            store.setNode(runId, node, "failed", null, error, null, false);
            audit.record(entry("node.failed", runId, null, Json.createObjectBuilder().add("node", node)
                    .add("error", error).build()));
            finish(store.find(runId).orElseThrow(), "failed", "Node " + node + " failed: " + error);
        }
    }

    /** Cancels a run that has not ended; false when it had. */
    @Transactional
    boolean cancel(UUID runId) {
        Optional<RunStore.Run> run = store.lock(runId);
        if (run.isEmpty() || run.get().ended()) {
            return false;
        }
        finish(run.get(), "cancelled", "Cancelled by " + CurrentRequest.get().principal().tag());
        return true;
    }

    WorkflowDefinition workflow(RunStore.Run run) {
        return WorkflowDefinition.of(definitions.version(run.workflowId(), run.workflowVersion()).orElseThrow()
                .body());
    }

    /** The run's facts for conditions: its context with the outputs of the nodes that succeeded so far. */
    static JsonObject facts(RunStore.Run run, List<RunStore.Node> rows) {
        JsonObjectBuilder outputs = Json.createObjectBuilder();
        rows.stream().filter(n -> n.state().equals("succeeded") && n.output() != null)
                .forEach(n -> outputs.add(n.node(), n.output()));
        JsonObject context = run.context() == null ? JsonObject.EMPTY_JSON_OBJECT : run.context();
        return Json.createObjectBuilder(context).add("outputs", outputs).build();
    }

    /** Locks the run and tells whether it runs and its node is at work: what a step checks before it commits. */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean running(UUID runId, String node) {
        Optional<RunStore.Run> run = store.lock(runId);
        return run.isPresent() && run.get().state().equals("running") && store.nodes(runId).stream()
                .anyMatch(n -> n.node().equals(node) && n.state().equals("running"));
    }

    /**
     * Skips the nodes no taken edge leads to, queues those that became ready up to the run's concurrency, and ends
     * the run once every node has.
     */
    private void advance(UUID runId) {
        RunStore.Run run = store.find(runId).orElseThrow();
        WorkflowDefinition workflow = workflow(run);
        Map<String, RunStore.Node> rows = new LinkedHashMap<>();
        store.nodes(runId).forEach(n -> rows.put(n.node(), n));
        List<WorkflowDefinition.Node> ready = new ArrayList<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            ready.clear();
            JsonObject facts = facts(run, List.copyOf(rows.values()));
            for (WorkflowDefinition.Node node : workflow.nodes()) {
                RunStore.Node row = rows.get(node.id());
                if (!row.state().equals("pending")) {
                    continue;
                }
                List<WorkflowDefinition.Edge> edges = workflow.into(node.id());
                if (!edges.stream().allMatch(edge -> rows.get(edge.from()).ended())) {
                    continue;
                }
                boolean taken = edges.isEmpty() || edges.stream().anyMatch(edge
                        -> rows.get(edge.from()).state().equals("succeeded") && Condition.holds(edge.when(), facts));
                if (taken) {
                    ready.add(node);
                } else {
                    store.setNode(runId, node.id(), "skipped", null, null, null, false);
                    rows.put(node.id(), new RunStore.Node(node.id(), node.kind(), node.label(), "skipped", 0, null,
                            null, null, null, null));
                    changed = true;
                }
            }
        }
        long active = rows.values().stream().filter(n -> n.state().equals("queued")
                || n.state().equals("running")).count();
        for (WorkflowDefinition.Node node : ready) {
            if (active >= MAX_CONCURRENT_NODES) {
                break;
            }
            store.setNode(runId, node.id(), "queued", null, null, null, false);
            jobs.submit(run, workflow, node, null, "start");
            active++;
        }
        if (rows.values().stream().allMatch(RunStore.Node::ended)) {
            finish(run, "succeeded", null);
        }
    }

    /** Ends the run: its unfinished nodes and approvals are cancelled and the record goes to the next run. */
    private void finish(RunStore.Run run, String state, String error) {
        store.setState(run.id(), state, error, null);
        store.endNodes(run.id());
        approvals.cancelPending(run.id());
        JsonObjectBuilder details = Json.createObjectBuilder().add("workflow", run.workflow());
        if (error != null) {
            details.add("error", error);
        }
        if (run.recordId() != null) {
            store.releaseLease(run.recordId(), run.id());
            if (store.nextWaiting(run.recordId()).isPresent()) {
                leases.handOver(run.recordId(), run.id());
            }
        }
        audit.record(entry("run." + state, run.id(), run.recordId(), details.build()));
    }

    /**
     * Gives a freed record's lease to the oldest run waiting for it and starts that run; nothing when the record is
     * held again or nobody waits. Its own transaction (a queued job), so that the next run's lock is taken before
     * this step appends to the audit trail, never after another run's step did.
     */
    @Transactional
    void handOver(UUID record, UUID after) {
        Optional<UUID> next = store.nextWaiting(record);
        if (next.isEmpty() || store.lock(next.get()).filter(run -> run.state().equals("waiting")).isEmpty()
                || !store.takeLease(record, next.get())) {
            return;
        }
        audit.record(entry("run.leased", next.get(), record, Json.createObjectBuilder()
                .add("after", after.toString()).build()));
        begin(next.get());
    }

    static AuditEntry entry(String action, UUID run, UUID record, JsonObject details) {
        return new AuditEntry(action, null, null, run, record == null ? null : record.toString(), details);
    }
}
