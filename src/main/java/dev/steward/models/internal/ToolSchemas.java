package dev.steward.models.internal;

import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.List;
import java.util.Map;

/**
 * A tool's JSON schema (as text) in LangChain4j's types, which each provider module writes in its own wire format.
 * The subset tools use: object, array, string (with enum), integer, number, boolean, descriptions and required.
 */
final class ToolSchemas {

    private ToolSchemas() {
    }

    static JsonObjectSchema parameters(String schemaJson) {
        try (JsonReader reader = Json.createReader(new StringReader(schemaJson))) {
            return object(reader.readObject());
        }
    }

    private static JsonObjectSchema object(JsonObject schema) {
        JsonObjectSchema.Builder builder = JsonObjectSchema.builder().description(description(schema));
        for (Map.Entry<String, JsonValue> property : schema.getJsonObject("properties") == null ? Map.<String,
                JsonValue>of().entrySet() : schema.getJsonObject("properties").entrySet()) {
            builder.addProperty(property.getKey(), element(property.getValue().asJsonObject()));
        }
        if (schema.getJsonArray("required") != null) {
            builder.required(schema.getJsonArray("required").getValuesAs(JsonString.class).stream()
                    .map(JsonString::getString).toList());
        }
        return builder.build();
    }

    private static JsonSchemaElement element(JsonObject schema) {
        if (schema.containsKey("enum")) {
            List<String> values = schema.getJsonArray("enum").stream().map(ToolSchemas::text).toList();
            return JsonEnumSchema.builder().enumValues(values).description(description(schema)).build();
        }
        String type = schema.getString("type", "string");
        return switch (type) {
            case "object" -> object(schema);
            case "array" -> JsonArraySchema.builder().description(description(schema))
                    .items(element(schema.getJsonObject("items") == null ? JsonValue.EMPTY_JSON_OBJECT
                            : schema.getJsonObject("items"))).build();
            case "integer" -> JsonIntegerSchema.builder().description(description(schema)).build();
            case "number" -> JsonNumberSchema.builder().description(description(schema)).build();
            case "boolean" -> JsonBooleanSchema.builder().description(description(schema)).build();
            case "string" -> JsonStringSchema.builder().description(description(schema)).build();
            default -> JsonAnyOfSchema.builder().description(description(schema))
                    .anyOf(JsonStringSchema.builder().build(), JsonNumberSchema.builder().build()).build();
        };
    }

    private static String description(JsonObject schema) {
        return schema.containsKey("description") ? schema.getString("description", null) : null;
    }

    private static String text(JsonValue value) {
        return value instanceof JsonString string ? string.getString() : value.toString();
    }
}
