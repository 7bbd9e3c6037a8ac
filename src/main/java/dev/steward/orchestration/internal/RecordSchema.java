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
 * The JSON Schema subset record types use: {@code type} (object, string, number, integer, boolean, array),
 * {@code properties}, {@code required}, {@code enum}, {@code minimum}, {@code maximum}, {@code maxLength},
 * {@code items}. Errors name the field as clients wrote it ({@code fields.score}).
 */
final class RecordSchema {

    static final Set<String> KEYWORDS = Set.of("type", "properties", "required", "enum", "minimum", "maximum",
            "maxLength", "items", "description", "additionalProperties");

    private RecordSchema() {
    }

    /** What is wrong with a schema itself: unknown keywords or types, so that a typo is not silently ignored. */
    static List<FieldError> problems(JsonObject schema, String path) {
        List<FieldError> errors = new ArrayList<>();
        for (String key : schema.keySet()) {
            if (!KEYWORDS.contains(key)) {
                errors.add(new FieldError(path + "." + key, "is not a supported schema keyword; use " + KEYWORDS));
            }
        }
        if (schema.containsKey("type") && !(schema.get("type") instanceof JsonString type
                && Set.of("object", "string", "number", "integer", "boolean", "array").contains(type.getString()))) {
            errors.add(new FieldError(path + ".type", "must be object, string, number, integer, boolean or array"));
        }
        if (schema.get("properties") instanceof JsonObject properties) {
            properties.forEach((name, property) -> {
                if (property instanceof JsonObject child) {
                    errors.addAll(problems(child, path + ".properties." + name));
                } else {
                    errors.add(new FieldError(path + ".properties." + name, "must be a schema object"));
                }
            });
        }
        return errors;
    }

    /** What in {@code value} the schema refuses. */
    static List<FieldError> check(JsonObject schema, JsonValue value, String path) {
        List<FieldError> errors = new ArrayList<>();
        String type = schema.getString("type", null);
        if (type != null && !hasType(value, type)) {
            errors.add(new FieldError(path, "must be " + ("integer".equals(type) ? "an integer" : "a " + type)));
            return errors;
        }
        if (schema.get("enum") instanceof JsonArray allowed && !allowed.contains(value)) {
            errors.add(new FieldError(path, "must be one of " + allowed));
        }
        if (value instanceof JsonNumber number) {
            if (schema.get("minimum") instanceof JsonNumber minimum
                    && number.bigDecimalValue().compareTo(minimum.bigDecimalValue()) < 0) {
                errors.add(new FieldError(path, "must be at least " + minimum));
            }
            if (schema.get("maximum") instanceof JsonNumber maximum
                    && number.bigDecimalValue().compareTo(maximum.bigDecimalValue()) > 0) {
                errors.add(new FieldError(path, "must be at most " + maximum));
            }
        }
        if (value instanceof JsonString text && schema.get("maxLength") instanceof JsonNumber maxLength
                && text.getString().length() > maxLength.intValue()) {
            errors.add(new FieldError(path, "must be at most " + maxLength + " characters"));
        }
        if (value instanceof JsonObject object) {
            if (schema.get("required") instanceof JsonArray required) {
                for (JsonValue name : required) {
                    if (name instanceof JsonString field && !object.containsKey(field.getString())) {
                        errors.add(new FieldError(path + "." + field.getString(), "is required"));
                    }
                }
            }
            if (schema.get("properties") instanceof JsonObject properties) {
                object.forEach((name, child) -> {
                    if (properties.get(name) instanceof JsonObject childSchema) {
                        errors.addAll(check(childSchema, child, path + "." + name));
                    } else if (schema.get("additionalProperties") == JsonValue.FALSE) {
                        errors.add(new FieldError(path + "." + name, "is not a field of this type"));
                    }
                });
            }
        }
        if (value instanceof JsonArray array && schema.get("items") instanceof JsonObject items) {
            for (int i = 0; i < array.size(); i++) {
                errors.addAll(check(items, array.get(i), path + "[" + i + "]"));
            }
        }
        return errors;
    }

    private static boolean hasType(JsonValue value, String type) {
        return switch (type) {
            case "object" -> value instanceof JsonObject;
            case "array" -> value instanceof JsonArray;
            case "string" -> value instanceof JsonString;
            case "number" -> value instanceof JsonNumber;
            case "integer" -> value instanceof JsonNumber number && number.isIntegral();
            case "boolean" -> value == JsonValue.TRUE || value == JsonValue.FALSE;
            default -> true;
        };
    }
}
