package dev.steward.orchestration.internal;

import dev.steward.shared.FieldError;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A declarative condition over a run's facts (the trigger, the record, earlier nodes' outputs), as routing rules and
 * workflow edges write it: {@code {"path": "record.fields.score", "op": "gte", "value": 50}}, combined with
 * {@code {"all": [...]}}, {@code {"any": [...]}} and {@code {"not": {...}}}. Operators: eq, ne, gt, gte, lt, lte
 * (numbers, or text in order), in (value is an array), contains (text or array), exists (no value). A path that
 * leads nowhere is missing: only {@code ne} and {@code not exists} are true of it.
 */
final class Condition {

    private static final Set<String> OPERATORS = Set.of("eq", "ne", "gt", "gte", "lt", "lte", "in", "contains",
            "exists");
    private static final int MAX_DEPTH = 8;

    private Condition() {
    }

    /** What is wrong with a condition, each problem named by its field under {@code field}. */
    static List<FieldError> problems(JsonValue condition, String field) {
        List<FieldError> errors = new ArrayList<>();
        check(condition, field, 0, errors);
        return errors;
    }

    private static void check(JsonValue value, String field, int depth, List<FieldError> errors) {
        if (!(value instanceof JsonObject condition)) {
            errors.add(new FieldError(field, "must be an object: {path, op, value}, {all}, {any} or {not}"));
            return;
        }
        if (depth > MAX_DEPTH) {
            errors.add(new FieldError(field, "nests deeper than " + MAX_DEPTH));
            return;
        }
        if (condition.containsKey("all") || condition.containsKey("any")) {
            String key = condition.containsKey("all") ? "all" : "any";
            if (!(condition.get(key) instanceof JsonArray parts) || parts.isEmpty()) {
                errors.add(new FieldError(field + "." + key, "must be a non-empty array of conditions"));
                return;
            }
            for (int i = 0; i < parts.size(); i++) {
                check(parts.get(i), field + "." + key + "[" + i + "]", depth + 1, errors);
            }
        } else if (condition.containsKey("not")) {
            check(condition.get("not"), field + ".not", depth + 1, errors);
        } else {
            if (!(condition.get("path") instanceof JsonString path) || !path.getString().matches("[A-Za-z0-9_.-]+")) {
                errors.add(new FieldError(field + ".path", "must be a dotted path such as record.fields.score"));
            }
            String op = condition.getString("op", "");
            if (!OPERATORS.contains(op)) {
                errors.add(new FieldError(field + ".op", "must be one of " + OPERATORS));
            } else if (!op.equals("exists") && !condition.containsKey("value")) {
                errors.add(new FieldError(field + ".value", "is required for " + op));
            } else if (op.equals("in") && !(condition.get("value") instanceof JsonArray)) {
                errors.add(new FieldError(field + ".value", "must be an array for in"));
            }
        }
    }

    /** Whether a valid condition holds of {@code facts}; a missing condition holds. */
    static boolean holds(JsonValue condition, JsonObject facts) {
        if (condition == null || condition == JsonValue.NULL) {
            return true;
        }
        JsonObject c = condition.asJsonObject();
        if (c.containsKey("all")) {
            return c.getJsonArray("all").stream().allMatch(part -> holds(part, facts));
        }
        if (c.containsKey("any")) {
            return c.getJsonArray("any").stream().anyMatch(part -> holds(part, facts));
        }
        if (c.containsKey("not")) {
            return !holds(c.get("not"), facts);
        }
        JsonValue actual = at(facts, c.getString("path"));
        JsonValue expected = c.get("value");
        switch (c.getString("op")) {
            case "exists":
                return actual != null && actual != JsonValue.NULL;
            case "eq":
                return actual != null && same(actual, expected);
            case "ne":
                return actual == null || !same(actual, expected);
            case "in":
                return actual != null && expected.asJsonArray().stream().anyMatch(option -> same(actual, option));
            case "contains":
                if (actual instanceof JsonString text && expected instanceof JsonString part) {
                    return text.getString().contains(part.getString());
                }
                return actual instanceof JsonArray array && array.stream().anyMatch(item -> same(item, expected));
            default:
                Integer order = compare(actual, expected);
                if (order == null) {
                    return false;
                }
                switch (c.getString("op")) {
                    case "gt":
                        return order > 0;
                    case "gte":
                        return order >= 0;
                    case "lt":
                        return order < 0;
                    default:
                        return order <= 0;
                }
        }
    }

    /** The value at a dotted path; null when the path leads nowhere. */
    static JsonValue at(JsonObject facts, String path) {
        JsonValue value = facts;
        for (String step : path.split("\\.")) {
            if (value instanceof JsonObject object && object.containsKey(step)) {
                value = object.get(step);
            } else if (value instanceof JsonArray array && step.matches("\\d{1,4}")
                    && Integer.parseInt(step) < array.size()) {
                value = array.get(Integer.parseInt(step));
            } else {
                return null;
            }
        }
        return value;
    }

    private static boolean same(JsonValue a, JsonValue b) {
        if (a instanceof JsonNumber x && b instanceof JsonNumber y) {
            return x.bigDecimalValue().compareTo(y.bigDecimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static Integer compare(JsonValue a, JsonValue b) {
        if (a instanceof JsonNumber x && b instanceof JsonNumber y) {
            return x.bigDecimalValue().compareTo(y.bigDecimalValue());
        }
        if (a instanceof JsonString x && b instanceof JsonString y) {
            return x.getString().compareTo(y.getString());
        }
        return null;
    }
}
