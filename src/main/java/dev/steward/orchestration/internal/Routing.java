package dev.steward.orchestration.internal;

import dev.steward.audit.api.AuditTrail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The supervisor's routing: a trigger (a record event, an API call) is matched against the tenant's routing rules in
 * order, and the first that matches starts its workflow on the trigger's record. A record change made by a run does
 * not start the same workflow on the same record again (a run would otherwise retrigger itself forever).
 */
@ApplicationScoped
class Routing {

    static final String RULE = "routing-rule";
    static final String WORKFLOW = "workflow";

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

    @Transactional
    Optional<Routed> route(Trigger trigger) {
        JsonObject facts = Json.createObjectBuilder().add("event", trigger.event())
                .add("record", trigger.record() == null ? JsonValue.NULL : trigger.record())
                .add("data", trigger.data() == null ? JsonValue.EMPTY_JSON_OBJECT : trigger.data()).build();
        String type = trigger.record() == null ? null : trigger.record().getString("type");
        record Candidate(DefinitionStore.Definition rule, RoutingRule routing) {
        }
        List<Candidate> candidates = definitions.list(RULE).stream()
                .map(rule -> new Candidate(rule, RoutingRule.of(rule.body())))
                .sorted(Comparator.comparingInt((Candidate c) -> c.routing().order())
                        .thenComparing(c -> c.rule().name())).toList();
        for (Candidate candidate : candidates) {
            DefinitionStore.Definition rule = candidate.rule();
            RoutingRule routing = candidate.routing();
            if (!routing.matches(trigger.event(), type, facts)) {
                continue;
            }
            UUID record = trigger.record() == null ? null : UUID.fromString(trigger.record().getString("id"));
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
            audit.record(Runs.entry("trigger.routed", null, record, Json.createObjectBuilder()
                    .add("event", trigger.event()).add("rule", rule.name()).add("ruleVersion", rule.version())
                    .add("workflow", workflow.get().name()).build()));
            return Optional.of(new Routed(rule, engine.start(new Runs.Start(workflow.get(), record, rule.id(),
                    rule.version(), routing.onLocked(), trigger.json(), trigger.key()))));
        }
        return Optional.empty();
    }

    private boolean causedBySameWorkflow(Trigger trigger, UUID record, DefinitionStore.Definition workflow) {
        return trigger.causeRun() != null && runs.find(trigger.causeRun())
                .filter(cause -> cause.workflowId().equals(workflow.id()) && Objects.equals(cause.recordId(), record))
                .isPresent();
    }
}
