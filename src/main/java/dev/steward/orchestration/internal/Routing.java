package dev.steward.orchestration.internal;

import dev.steward.audit.api.AuditTrail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The supervisor's routing: a trigger (a record event, an API call) first wakes the workflow nodes waiting for its
 * event, then is matched against the tenant's routing rules in order, and the first that matches starts its workflow
 * on the trigger's record; a rule on a schedule starts its workflow at each fire time. A record change made by a run
 * does not start the same workflow on the same record again (a run would otherwise retrigger itself forever).
 */
@ApplicationScoped
class Routing {

    static final String RULE = "routing-rule";
    static final String WORKFLOW = "workflow";
    /** The event of a trigger a schedule fired. */
    static final String SCHEDULE = "schedule";

    @Inject
    DefinitionStore definitions;

    @Inject
    RunStore runs;

    @Inject
    Runs engine;

    @Inject
    AuditTrail audit;

    /**
     * A trigger: its event, the record it concerns as a run sees it ({@code id, type, version, fields}; null when
     * none), its data, the run whose change caused it (null if none), and its key (a repeated key is one trigger).
     */
    record Trigger(String event, JsonObject record, JsonObject data, UUID causeRun, String key) {

        JsonObject json() {
            JsonObjectBuilder json = Json.createObjectBuilder().add("event", event)
                    .add("data", data == null ? JsonValue.EMPTY_JSON_OBJECT : data);
            if (record != null) {
                json.add("record", record.getString("id"));
            }
            if (causeRun != null) {
                json.add("causeRun", causeRun.toString());
            }
            return json.build();
        }
    }

    /** A routed trigger: the rule that matched (id and version) and the run it started or found. */
    record Routed(DefinitionStore.Definition rule, Runs.Started started) {
    }

    /**
     * Wakes the nodes waiting for the trigger's event, each in its own transaction; returns those it woke. Callers
     * deliver a trigger first, then {@link #route} it.
     */
    List<RunStore.Awaiting> deliver(Trigger trigger) {
        UUID record = recordId(trigger);
        JsonObject facts = facts(trigger);
        List<RunStore.Awaiting> woken = new ArrayList<>();
        for (RunStore.Awaiting awaiting : engine.awaiting(trigger.event(), record, trigger.causeRun())) {
            if (engine.wake(awaiting, trigger.event(), record, facts)) {
                woken.add(awaiting);
            }
        }
        return woken;
    }

    /** Starts the workflow of the first rule that matches the trigger, if one does. */
    @Transactional
    Optional<Routed> route(Trigger trigger) {
        JsonObject facts = facts(trigger);
        UUID record = recordId(trigger);
        String type = trigger.record() == null ? null : trigger.record().getString("type");
        record Candidate(DefinitionStore.Definition rule, RoutingRule routing) {
        }
        Optional<Candidate> matched = definitions.list(RULE).stream()
                .map(rule -> new Candidate(rule, RoutingRule.of(rule.body())))
                .sorted(Comparator.comparingInt((Candidate c) -> c.routing().order())
                        .thenComparing(c -> c.rule().name()))
                .filter(c -> c.routing().matches(trigger.event(), type, facts)).findFirst();
        return matched.flatMap(c -> start(c.rule(), c.routing(), trigger, record));
    }

    private static JsonObject facts(Trigger trigger) {
        return Json.createObjectBuilder().add("event", trigger.event())
                .add("record", trigger.record() == null ? JsonValue.NULL : trigger.record())
                .add("data", trigger.data() == null ? JsonValue.EMPTY_JSON_OBJECT : trigger.data()).build();
    }

    private static UUID recordId(Trigger trigger) {
        return trigger.record() == null ? null : UUID.fromString(trigger.record().getString("id"));
    }

    /** A schedule's fire time: its rule (if still live and still on a schedule) starts its workflow on no record. */
    @Transactional
    Optional<Routed> scheduled(UUID ruleId, Instant scheduledAt) {
        Optional<DefinitionStore.Definition> rule = definitions.find(RULE, ruleId);
        if (rule.isEmpty()) {
            return Optional.empty();
        }
        RoutingRule routing = RoutingRule.of(rule.get().body());
        JsonObject data = Json.createObjectBuilder().add("scheduledAt", scheduledAt.toString())
                .add("rule", rule.get().name()).build();
        JsonObject facts = Json.createObjectBuilder().add("event", SCHEDULE).add("record", JsonValue.NULL)
                .add("data", data).build();
        if (routing.schedule() == null || !Condition.holds(routing.when(), facts)) {
            return Optional.empty();
        }
        return start(rule.get(), routing, new Trigger(SCHEDULE, null, data, null,
                SCHEDULE + ":" + ruleId + ":" + scheduledAt), null);
    }

    private Optional<Routed> start(DefinitionStore.Definition rule, RoutingRule routing, Trigger trigger,
                                   UUID record) {
        Optional<DefinitionStore.Definition> workflow = definitions.findByName(WORKFLOW, routing.workflow());
        if (workflow.isEmpty()) {
            audit.record(Runs.entry("trigger.unrouted", null, record, Json.createObjectBuilder()
                    .add("event", trigger.event()).add("rule", rule.name())
                    .add("reason", "no workflow " + routing.workflow()).build()));
            return Optional.empty();
        }
        if (causedBySameWorkflow(trigger, record, workflow.get())) {
            return Optional.empty();
        }
        Runs.Started started = engine.start(new Runs.Start(workflow.get(), record, rule.id(), rule.version(),
                routing.onLocked(), trigger.json(), trigger.key()));
        audit.record(Runs.entry("trigger.routed", started.run().id(), record, Json.createObjectBuilder()
                .add("event", trigger.event()).add("rule", rule.name()).add("ruleVersion", rule.version())
                .add("workflow", workflow.get().name()).build()));
        return Optional.of(new Routed(rule, started));
    }

    private boolean causedBySameWorkflow(Trigger trigger, UUID record, DefinitionStore.Definition workflow) {
        return trigger.causeRun() != null && runs.find(trigger.causeRun())
                .filter(cause -> cause.workflowId().equals(workflow.id()) && Objects.equals(cause.recordId(), record))
                .isPresent();
    }
}
