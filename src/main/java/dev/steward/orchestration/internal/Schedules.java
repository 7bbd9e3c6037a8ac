package dev.steward.orchestration.internal;

import dev.steward.dispatch.api.JobQueue;
import dev.steward.dispatch.api.Priority;
import dev.steward.shared.CurrentRequest;
import dev.steward.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Routing rules on a cron schedule: each live one has a row with its next fire time, kept in step with the rule in
 * the rule's own transaction. Firing moves the row to the following time and queues a {@code workflow.trigger} job
 * in one transaction, only if the row still holds the time the caller saw due; times missed while Steward was down
 * fire once, not once each.
 */
@ApplicationScoped
class Schedules {

    private static final String UPSERT = "INSERT INTO orchestration.schedules (tenant_id, rule_id, cron, timezone,"
            + " next_fire_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, rule_id) DO UPDATE SET cron ="
            + " excluded.cron, timezone = excluded.timezone, next_fire_at = excluded.next_fire_at";
    private static final String DELETE = "DELETE FROM orchestration.schedules WHERE rule_id = ?";
    private static final String LOCK_DUE = "SELECT cron, timezone FROM orchestration.schedules"
            + " WHERE rule_id = ? AND next_fire_at = ? FOR UPDATE";
    private static final String MOVE = "UPDATE orchestration.schedules SET next_fire_at = ?, last_fired_at = ?"
            + " WHERE rule_id = ?";
    private static final String NEXT = "SELECT rule_id, next_fire_at FROM orchestration.schedules"
            + " WHERE (?::uuid IS NULL OR rule_id = ?::uuid)";
    private static final String LOCK_TIMER = "SELECT pg_advisory_xact_lock(hashtext('steward-workflow-schedules'))";
    private static final String DUE = "SELECT tenant_id, rule_id, next_fire_at FROM orchestration.due_schedules(?)";

    /** A schedule due to fire: its tenant, rule and the fire time it is due for. */
    record Due(TenantId tenant, UUID rule, Instant at) {
    }

    @Inject
    Jdbc jdbc;

    @Inject
    JobQueue queue;

    /** The rule's schedule follows its new version: set when it is on a schedule, gone when not or deleted. */
    @Transactional(Transactional.TxType.MANDATORY)
    void follow(UUID ruleId, JsonObject body) {
        RoutingRule rule = body == null ? null : RoutingRule.of(body);
        if (rule == null || rule.schedule() == null) {
            jdbc.update(DELETE, ruleId);
            return;
        }
        Instant next = Cron.parse(rule.schedule()).next(Instant.now(), ZoneId.of(rule.timezone())).orElseThrow();
        jdbc.update(UPSERT, CurrentRequest.get().requireTenant().value(), ruleId, rule.schedule(), rule.timezone(),
                next);
    }

    /** The tenant's scheduled rules (or the one named, when {@code rule} is set) and when each fires next. */
    @Transactional
    Map<UUID, Instant> nextFires(UUID rule) {
        record Row(UUID rule, Instant at) {
        }
        return jdbc.query(NEXT, row -> new Row(Jdbc.uuid(row, "rule_id"), Jdbc.instant(row, "next_fire_at")),
                rule, rule).stream().collect(Collectors.toMap(Row::rule, Row::at));
    }

    /** Schedules due now across tenants, for Steward's timer (a system principal) only. */
    @Transactional
    List<Due> due(int limit) {
        return jdbc.query(DUE, row -> new Due(new TenantId(Jdbc.uuid(row, "tenant_id")), Jdbc.uuid(row, "rule_id"),
                Jdbc.instant(row, "next_fire_at")), limit);
    }

    /** Serialises the creation of the schedules' timer across nodes starting together. */
    @Transactional(Transactional.TxType.MANDATORY)
    void lockTimerCreation() {
        jdbc.query(LOCK_TIMER, row -> true);
    }

    /** Fires the rule's schedule for {@code at} if it is still due for it; false when another fired it. */
    @Transactional
    boolean fire(UUID ruleId, Instant at) {
        record Row(String cron, String timezone) {
        }
        Optional<Row> due = jdbc.query(LOCK_DUE, row -> new Row(row.getString("cron"), row.getString("timezone")),
                ruleId, at).stream().findFirst();
        if (due.isEmpty()) {
            return false;
        }
        Instant now = Instant.now();
        Instant after = at.isAfter(now) ? at : now;
        Instant next = Cron.parse(due.get().cron()).next(after, ZoneId.of(due.get().timezone())).orElseThrow();
        jdbc.update(MOVE, next, at, ruleId);
        queue.submit(new JobQueue.Request(Triggers.KIND, Priority.DEFAULT, Json.createObjectBuilder()
                .add("event", Routing.SCHEDULE).add("rule", ruleId.toString()).add("scheduledAt", at.toString())
                .build().toString(), null, "schedule-" + ruleId + "-" + at.toEpochMilli(), null, List.of(), 0));
        return true;
    }
}
