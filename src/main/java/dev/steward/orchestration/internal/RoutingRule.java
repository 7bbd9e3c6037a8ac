package dev.steward.orchestration.internal;

import dev.steward.shared.FieldError;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A routing rule version: which trigger ({@code on.event}: {@code record.created}, {@code record.updated},
 * {@code record.deleted} or an event named by an API trigger; {@code on.type}: the record type, optional) under which
 * condition ({@code when}, over the trigger's facts) starts which workflow, and what a trigger for a record another
 * run holds does ({@code onLocked}: {@code wait} for it, {@code merge} into it, or {@code reject}). Rules are tried
 * in {@code order} (then name); the first that matches decides. A rule may fire on a schedule instead of an event
 * ({@code on.schedule}: a cron expression, read in {@code on.timezone}, UTC by default): it then starts its workflow
 * on no record at each fire time, its trigger's event {@code schedule}.
 */
record RoutingRule(String event, String schedule, String timezone, String recordType, JsonValue when,
                   String workflow, int order, String onLocked) {

    static final Set<String> ON_LOCKED = Set.of("wait", "merge", "reject");
    static final String EVENT = "[a-z][a-z0-9._-]{0,62}";

    static RoutingRule of(JsonObject body) {
        JsonObject on = body.getJsonObject("on");
        return new RoutingRule(on.getString("event", null), on.getString("schedule", null),
                on.getString("timezone", "UTC"), on.getString("type", null), body.get("when"),
                body.getString("workflow"), body.getInt("order", 100), body.getString("onLocked", "wait"));
    }

    boolean matches(String triggerEvent, String triggerRecordType, JsonObject facts) {
        return triggerEvent.equals(event) && (recordType == null || recordType.equals(triggerRecordType))
                && Condition.holds(when, facts);
    }

    static List<FieldError> problems(JsonObject body) {
        List<FieldError> errors = new ArrayList<>();
        if (!(body.get("on") instanceof JsonObject on)) {
            errors.add(new FieldError("on", "is required: {event, type} or {schedule, timezone}"));
        } else if (on.containsKey("schedule")) {
            errors.addAll(scheduleProblems(on));
        } else {
            if (!(on.get("event") instanceof JsonString event) || !event.getString().matches(EVENT)) {
                errors.add(new FieldError("on.event", "must be record.created, record.updated, record.deleted or"
                        + " an event name (lowercase letters, digits, dots, dashes)"));
            }
            if (on.containsKey("type") && !(on.get("type") instanceof JsonString type
                    && type.getString().matches("[a-z][a-z0-9_]{0,39}"))) {
                errors.add(new FieldError("on.type", "must be a record type"));
            }
        }
        if (body.containsKey("when")) {
            errors.addAll(Condition.problems(body.get("when"), "when"));
        }
        if (!(body.get("workflow") instanceof JsonString workflow) || workflow.getString().isBlank()) {
            errors.add(new FieldError("workflow", "must name a workflow"));
        }
        if (body.containsKey("order") && !(body.get("order") instanceof JsonNumber order && order.isIntegral())) {
            errors.add(new FieldError("order", "must be a whole number"));
        }
        if (body.containsKey("onLocked") && !ON_LOCKED.contains(body.getString("onLocked", ""))) {
            errors.add(new FieldError("onLocked", "must be one of " + ON_LOCKED));
        }
        return errors;
    }

    private static List<FieldError> scheduleProblems(JsonObject on) {
        List<FieldError> errors = new ArrayList<>();
        if (on.containsKey("event") || on.containsKey("type")) {
            errors.add(new FieldError("on.schedule", "a rule fires on an event or on a schedule, not both"));
        }
        if (!(on.get("schedule") instanceof JsonString schedule)) {
            errors.add(new FieldError("on.schedule", "must be a cron expression"));
        } else {
            try {
                Cron.parse(schedule.getString());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("on.schedule", e.getMessage()));
            }
        }
        if (on.containsKey("timezone")) {
            try {
                ZoneId.of(on.get("timezone") instanceof JsonString zone ? zone.getString() : "");
            } catch (DateTimeException e) {
                errors.add(new FieldError("on.timezone", "must be a time zone such as Europe/Berlin or UTC"));
            }
        }
        return errors;
    }
}
