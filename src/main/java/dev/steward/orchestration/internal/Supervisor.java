package dev.steward.orchestration.internal;

import dev.steward.agents.api.AgentDefinition;
import dev.steward.agents.api.AgentDirectory;
import dev.steward.audit.api.AuditTrail;
import dev.steward.shared.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The supervisor's commit: the proposals of the specialists before a commit node are validated (shape, record type
 * schema, the agent's proposal scope), conflicts over one field are resolved by the tenant's ranks (then confidence,
 * then node order), low-confidence, risky and outbound actions go to the approvals queue, and the rest is committed
 * in the node's one transaction with version checks: if any record changed since the specialists saw it, nothing is
 * committed and the batch waits for a person instead (reason {@code stale}). Every decision is on the audit trail.
 */
@ApplicationScoped
class Supervisor {

    @Inject
    Runs runs;

    @Inject
    RecordStore records;

    @Inject
    ApprovalStore approvals;

    @Inject
    Outbox outbox;

    @Inject
    ApprovalExpiry expiry;

    @Inject
    PolicyStore policies;

    @Inject
    AgentDirectory agents;

    @Inject
    AuditTrail audit;

    /** One action of one specialist's proposal. */
    record Proposed(String node, AgentDefinition agent, int rank, BigDecimal confidence, String reasoning,
                    JsonObject action) {

        String kind() {
            return action.getString("action", "");
        }

        UUID record() {
            return UUID.fromString(action.getString("record"));
        }
    }

    @Transactional
    void commit(Runs.NodeWork work) {
        UUID run = work.run().id();
        String node = work.node().id();
        if (!runs.running(run, node)) {
            return; // cancelled or failed since the node was claimed: nothing may be committed
        }
        PolicyStore.Policy policy = policies.get();
        JsonArrayBuilder rejected = Json.createArrayBuilder();
        List<Proposed> valid = new ArrayList<>();
        for (Proposed proposed : proposals(work, policy)) {
            Optional<String> problem = problem(proposed);
            if (problem.isPresent()) {
                rejected.add(describe(proposed).add("reason", problem.get()));
                audit.record(Runs.entry("proposal.rejected", run, recordOf(proposed), describe(proposed)
                        .add("reason", problem.get()).build()));
            } else {
                valid.add(proposed);
            }
        }
        JsonArrayBuilder overridden = Json.createArrayBuilder();
        List<Proposed> winners = resolveConflicts(run, valid, overridden);
        List<Proposed> auto = new ArrayList<>();
        List<Map.Entry<Proposed, String>> held = new ArrayList<>();
        for (Proposed proposed : winners) {
            String reason = proposed.kind().equals("send") ? "outbound" : Proposal.risky(proposed.action()) ? "risky"
                    : proposed.confidence().compareTo(policy.confidenceThreshold()) < 0 ? "low-confidence" : null;
            if (reason == null) {
                auto.add(proposed);
            } else {
                held.add(Map.entry(proposed, reason));
            }
        }
        JsonArrayBuilder committed = Json.createArrayBuilder();
        List<Proposed> stale = staleUpdates(work, auto);
        if (stale.isEmpty()) {
            apply(run, auto, committed);
        } else {
            auto.forEach(proposed -> held.add(Map.entry(proposed, "stale")));
        }
        JsonArrayBuilder waiting = Json.createArrayBuilder();
        for (Map.Entry<Proposed, String> hold : held) {
            waiting.add(requestApproval(work, hold.getKey(), hold.getValue(), policy).toString());
        }
        JsonObject output = Json.createObjectBuilder().add("committed", committed).add("rejected", rejected)
                .add("overridden", overridden).add("approvals", waiting).build();
        if (held.isEmpty()) {
            runs.succeed(run, node, output);
        } else {
            runs.park(run, node, output, null);
        }
    }

    /** Commits an action a person approved, on the record as it is now. */
    @Transactional(Transactional.TxType.MANDATORY)
    JsonObject applyApproved(ApprovalStore.Approval approval) {
        JsonObject action = approval.action();
        switch (action.getString("action")) {
            case "update": {
                Optional<RecordViews.Record> current = records.find(approval.recordId());
                if (current.isEmpty()) {
                    return Json.createObjectBuilder().add("applied", false).add("reason", "the record is gone")
                            .build();
                }
                RecordStore.Change change = records.patch(approval.recordId(), current.get().version(),
                        action.getJsonObject("fields"), approval.runId());
                return committedChange(approval.runId(), change instanceof RecordStore.Changed changed
                        ? changed.record() : null);
            }
            case "create":
                return committedChange(approval.runId(), records.create(action.getString("type"),
                        action.getJsonObject("fields"), approval.runId()));
            case "send":
                return outbox.deliver(approval, action);
            default:
                return Json.createObjectBuilder().add("applied", true).build();
        }
    }

    private JsonObject committedChange(UUID run, RecordViews.Record record) {
        if (record == null) {
            return Json.createObjectBuilder().add("applied", false).add("reason", "the record changed meanwhile")
                    .build();
        }
        audit.record(Runs.entry("changes.committed", run, UUID.fromString(record.id()), Json.createObjectBuilder()
                .add("record", record.id()).add("version", record.version()).add("approved", true).build()));
        return Json.createObjectBuilder().add("applied", true).add("record", record.id())
                .add("version", record.version()).build();
    }

    /** The actions of the specialists before this commit node, in node order. */
    private List<Proposed> proposals(Runs.NodeWork work, PolicyStore.Policy policy) {
        JsonObject outputs = work.facts().getJsonObject("outputs");
        List<Proposed> proposed = new ArrayList<>();
        for (String node : work.workflow().proposersFor(work.node().id())) {
            JsonObject output = outputs.getJsonObject(node);
            if (output == null) {
                continue;
            }
            JsonObject agent = output.getJsonObject("agent");
            AgentDefinition definition = agents.version(UUID.fromString(agent.getString("id")),
                    agent.getInt("version")).orElse(null);
            Proposal proposal = Proposal.of(output.getJsonObject("proposal"));
            for (JsonValue action : proposal.actions()) {
                proposed.add(new Proposed(node, definition, definition == null ? Integer.MAX_VALUE
                        : policy.rank(definition.capabilities()), proposal.confidence(), proposal.reasoning(),
                        action.asJsonObject()));
            }
        }
        return proposed;
    }

    /** Why an action may not be committed; empty when it may. */
    private Optional<String> problem(Proposed proposed) {
        if (proposed.agent() == null) {
            return Optional.of("the proposing agent's version is gone");
        }
        JsonObject action = proposed.action();
        switch (proposed.kind()) {
            case "update": {
                if (!(action.get("record") instanceof JsonString id) || !ContextAssembler.isUuid(id.getString())
                        || !(action.get("fields") instanceof JsonObject fields) || fields.isEmpty()) {
                    return Optional.of("an update needs a record id and non-empty fields");
                }
                Optional<RecordViews.Record> record = records.find(UUID.fromString(id.getString()));
                if (record.isEmpty()) {
                    return Optional.of("no record " + id.getString());
                }
                for (String field : fields.keySet()) {
                    if (proposed.agent().proposes().stream().noneMatch(scope -> scope.allows(record.get().type(),
                            "update", field))) {
                        return Optional.of("agent " + proposed.agent().name() + " may not update "
                                + record.get().type() + "." + field);
                    }
                }
                JsonObject merged = Json.createObjectBuilder(record.get().fields()).addAll(
                        Json.createObjectBuilder(fields)).build();
                return schemaProblem(record.get().type(), merged);
            }
            case "create": {
                if (!(action.get("type") instanceof JsonString type) || !(action.get("fields") instanceof JsonObject)) {
                    return Optional.of("a create needs a type and fields");
                }
                if (proposed.agent().proposes().stream().noneMatch(scope -> scope.allows(type.getString(), "create",
                        null))) {
                    return Optional.of("agent " + proposed.agent().name() + " may not create " + type.getString());
                }
                return schemaProblem(type.getString(), action.getJsonObject("fields"));
            }
            case "send": {
                for (String field : List.of("channel", "to", "subject", "body")) {
                    if (!(action.get(field) instanceof JsonString text) || text.getString().isBlank()) {
                        return Optional.of("a send needs " + field);
                    }
                }
                if (proposed.agent().proposes().stream().noneMatch(scope -> scope.allows(action.getString("channel"),
                        "send", null))) {
                    return Optional.of("agent " + proposed.agent().name() + " may not send over "
                            + action.getString("channel"));
                }
                return Optional.empty();
            }
            default:
                return Optional.of("unknown action " + proposed.kind() + "; actions are update, create, send");
        }
    }

    private Optional<String> schemaProblem(String type, JsonObject fields) {
        if (RecordResource.BUILT_IN.contains(type)) {
            return Optional.empty();
        }
        Optional<RecordViews.RecordType> defined = records.type(type);
        if (defined.isEmpty()) {
            return Optional.of("no record type " + type);
        }
        List<FieldError> errors = RecordSchema.check(defined.get().schema(), fields, "fields");
        return errors.isEmpty() ? Optional.empty() : Optional.of("the fields do not meet the " + type + " schema: "
                + errors.get(0).field() + " " + errors.get(0).message());
    }

    /**
     * Where updates disagree on a field, the best-ranked agent wins (then the more confident, then the first node);
     * the losers lose that field, and an update left with no fields is dropped. Each conflict is audited.
     */
    private List<Proposed> resolveConflicts(UUID run, List<Proposed> valid, JsonArrayBuilder overridden) {
        Comparator<Proposed> precedence = Comparator.comparingInt(Proposed::rank)
                .thenComparing(Proposed::confidence, Comparator.reverseOrder()).thenComparing(Proposed::node);
        Map<String, List<Proposed>> byField = new LinkedHashMap<>();
        for (Proposed proposed : valid) {
            if (proposed.kind().equals("update")) {
                for (String field : proposed.action().getJsonObject("fields").keySet()) {
                    byField.computeIfAbsent(proposed.record() + "/" + field, k -> new ArrayList<>()).add(proposed);
                }
            }
        }
        Map<Proposed, List<String>> lostFields = new LinkedHashMap<>();
        byField.forEach((key, contenders) -> {
            String field = key.substring(key.indexOf('/') + 1);
            long values = contenders.stream().map(p -> p.action().getJsonObject("fields").get(field)).distinct()
                    .count();
            if (values < 2) {
                return;
            }
            Proposed winner = contenders.stream().min(precedence).orElseThrow();
            for (Proposed loser : contenders) {
                if (loser == winner || loser.action().getJsonObject("fields").get(field)
                        .equals(winner.action().getJsonObject("fields").get(field))) {
                    continue;
                }
                lostFields.computeIfAbsent(loser, k -> new ArrayList<>()).add(field);
                String rule = winner.rank() < loser.rank() ? "rank" : winner.confidence()
                        .compareTo(loser.confidence()) > 0 ? "confidence" : "node order";
                JsonObject conflict = Json.createObjectBuilder().add("record", winner.record().toString())
                        .add("field", field).add("winner", side(winner)).add("loser", side(loser))
                        .add("rule", rule).build();
                overridden.add(conflict);
                audit.record(Runs.entry("conflict.resolved", run, winner.record(), conflict));
            }
        });
        List<Proposed> winners = new ArrayList<>();
        for (Proposed proposed : valid) {
            List<String> lost = lostFields.getOrDefault(proposed, List.of());
            if (lost.isEmpty()) {
                winners.add(proposed);
                continue;
            }
            JsonObjectBuilder kept = Json.createObjectBuilder();
            proposed.action().getJsonObject("fields").forEach((field, value) -> {
                if (!lost.contains(field)) {
                    kept.add(field, value);
                }
            });
            JsonObject fields = kept.build();
            if (!fields.isEmpty()) {
                winners.add(new Proposed(proposed.node(), proposed.agent(), proposed.rank(), proposed.confidence(),
                        proposed.reasoning(), Json.createObjectBuilder(proposed.action()).add("fields", fields)
                        .build()));
            }
        }
        return winners;
    }

    /** The updates whose record changed since the run's context was gathered, read under the records' locks. */
    private List<Proposed> staleUpdates(Runs.NodeWork work, List<Proposed> auto) {
        List<UUID> ids = auto.stream().filter(p -> p.kind().equals("update")).map(Proposed::record).distinct()
                .sorted().toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, Integer> current = new LinkedHashMap<>();
        records.lock(ids).forEach(record -> current.put(record.id(), record.version()));
        return auto.stream().filter(p -> p.kind().equals("update"))
                .filter(p -> !current.getOrDefault(p.record().toString(), -1)
                        .equals(seenVersion(work.facts(), p.record().toString()))).toList();
    }

    /** The version of a record the specialists saw in the run's context; null when it was not in it. */
    private static Integer seenVersion(JsonObject facts, String id) {
        List<JsonObject> seen = new ArrayList<>();
        if (facts.get("record") instanceof JsonObject record) {
            seen.add(record);
        }
        if (facts.get("related") instanceof JsonObject related) {
            related.values().forEach(value -> seen.add(value.asJsonObject()));
        }
        return seen.stream().filter(record -> record.getString("id").equals(id)).map(record -> record.getInt("version"))
                .findFirst().orElse(null);
    }

    /** Commits the auto-accepted actions: one patch per record (one new version), then the creates. */
    private void apply(UUID run, List<Proposed> auto, JsonArrayBuilder committed) {
        Map<UUID, JsonObjectBuilder> patches = new LinkedHashMap<>();
        Map<UUID, Integer> versions = new LinkedHashMap<>();
        for (Proposed proposed : auto) {
            if (proposed.kind().equals("update")) {
                patches.computeIfAbsent(proposed.record(), id -> Json.createObjectBuilder())
                        .addAll(Json.createObjectBuilder(proposed.action().getJsonObject("fields")));
            }
        }
        records.lock(List.copyOf(patches.keySet())).forEach(r -> versions.put(UUID.fromString(r.id()), r.version()));
        for (Map.Entry<UUID, JsonObjectBuilder> patch : patches.entrySet()) {
            JsonObject fields = patch.getValue().build();
            RecordStore.Change change = records.patch(patch.getKey(), versions.get(patch.getKey()), fields, run);
            RecordViews.Record record = ((RecordStore.Changed) change).record();
            committed.add(Json.createObjectBuilder().add("action", "update").add("record", record.id())
                    .add("version", record.version()).add("fields", Json.createArrayBuilder(fields.keySet())));
        }
        for (Proposed proposed : auto) {
            if (proposed.kind().equals("create")) {
                RecordViews.Record record = records.create(proposed.action().getString("type"),
                        proposed.action().getJsonObject("fields"), run);
                committed.add(Json.createObjectBuilder().add("action", "create").add("record", record.id())
                        .add("type", record.type()).add("version", record.version()));
            }
        }
        JsonArrayBuilder changed = Json.createArrayBuilder();
        patches.keySet().forEach(id -> changed.add(id.toString()));
        audit.record(Runs.entry("changes.committed", run, null, Json.createObjectBuilder()
                .add("updated", changed).add("actions", auto.size()).build()));
    }

    private UUID requestApproval(Runs.NodeWork work, Proposed proposed, String reason, PolicyStore.Policy policy) {
        Instant expires = Instant.now().plus(policy.approvalTtl());
        // A send or a create concerns the run's record.
        UUID record = recordOf(proposed) != null ? recordOf(proposed) : work.run().recordId();
        UUID id = approvals.insert(new ApprovalStore.NewApproval(work.run().id(), work.node().id(), record,
                proposed.agent().id(), proposed.action(), proposed.confidence(), proposed.reasoning(), reason,
                expires));
        expiry.schedule(id, expires);
        audit.record(Runs.entry("approval.requested", work.run().id(), record, describe(proposed)
                .add("approval", id.toString()).add("reason", reason).build()));
        return id;
    }

    private static UUID recordOf(Proposed proposed) {
        return proposed.kind().equals("update") && proposed.action().get("record") instanceof JsonString id
                && ContextAssembler.isUuid(id.getString()) ? UUID.fromString(id.getString()) : null;
    }

    /** An action for the trail: who proposed what, never the values (they may be personal data). */
    private static JsonObjectBuilder describe(Proposed proposed) {
        JsonObjectBuilder described = Json.createObjectBuilder().add("node", proposed.node())
                .add("action", proposed.kind()).add("confidence", proposed.confidence());
        if (proposed.agent() != null) {
            described.add("agent", proposed.agent().name()).add("agentVersion", proposed.agent().version());
        }
        if (proposed.action().get("fields") instanceof JsonObject fields) {
            described.add("fields", Json.createArrayBuilder(fields.keySet()));
        }
        if (proposed.action().get("type") instanceof JsonString type) {
            described.add("type", type.getString());
        }
        return described;
    }

    private static JsonObject side(Proposed proposed) {
        return Json.createObjectBuilder().add("node", proposed.node()).add("agent", proposed.agent().name())
                .add("rank", proposed.rank()).add("confidence", proposed.confidence()).build();
    }
}
