package dev.steward.agents.internal;

import dev.steward.shared.FieldError;
import dev.steward.shared.InternalAddresses;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An agent's configuration as stored in a version: the request's fields that apply to its kind, keys sorted at every
 * level. Its SHA-256 over {@link #text} identifies the version: numbers written by value (1E+2 is 100, 1.50 is 1.5),
 * so the configuration hashes the same after a trip through jsonb or a client.
 */
record AgentConfig(JsonObject json, String sha256) {

    /** Kind-specific checks beyond the request's own annotations; empty when the request is a valid agent. */
    static List<FieldError> problems(AgentRequest request) {
        List<FieldError> errors = new ArrayList<>();
        boolean llm = "llm".equals(request.kind());
        if (llm) {
            if (request.model() == null) {
                errors.add(new FieldError("model", "is required for an llm agent"));
            }
            notFor(errors, "endpoint", request.endpoint(), "an llm agent");
            notFor(errors, "timeoutSeconds", request.timeoutSeconds(), "an llm agent");
            notFor(errors, "protocol", request.protocol(), "an llm agent");
            notFor(errors, "token", request.token(), "an llm agent");
        } else {
            if (request.endpoint() == null) {
                errors.add(new FieldError("endpoint", "is required for a remote agent"));
            } else if (!isHttp(request.endpoint())) {
                errors.add(new FieldError("endpoint", "must be an absolute https URL (http only to a private IP"
                        + " address, which STEWARD_AGENTS_ALLOW_PRIVATE must also allow)"));
            }
            notFor(errors, "model", request.model(), "a remote agent");
            notFor(errors, "instructions", request.instructions(), "a remote agent");
            notFor(errors, "parameters", request.parameters(), "a remote agent");
            notFor(errors, "outputSchema", request.outputSchema(), "a remote agent");
            notFor(errors, "fallbackModels", request.fallbackModels(), "a remote agent");
            notFor(errors, "restorePersonalData", request.restorePersonalData(), "a remote agent");
            if (!"a2a".equals(request.protocol())) {
                notFor(errors, "token", request.token(), "an agent of the steward protocol (it signs its calls)");
            }
        }
        if (request.autoApprove() != null) {
            List<String> granted = request.tools() == null ? List.of() : request.tools();
            for (int i = 0; i < request.autoApprove().size(); i++) {
                if (!granted.contains(request.autoApprove().get(i))) {
                    errors.add(new FieldError("autoApprove[" + i + "]", "is not among the agent's tools"));
                }
            }
        }
        if (request.capabilities() != null) {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < request.capabilities().size(); i++) {
                if (!names.add(request.capabilities().get(i).name())) {
                    errors.add(new FieldError("capabilities[" + i + "].name", "is named twice"));
                }
            }
        }
        return errors;
    }

    /** The configuration of a valid request. */
    static AgentConfig of(AgentRequest request) {
        JsonObjectBuilder config = Json.createObjectBuilder().add("kind", request.kind());
        putString(config, "model", request.model());
        putString(config, "instructions", request.instructions());
        putValue(config, "parameters", request.parameters());
        putStrings(config, "tools", request.tools());
        putStrings(config, "autoApprove", request.autoApprove());
        putValue(config, "outputSchema", request.outputSchema());
        putStrings(config, "fallbackModels", request.fallbackModels());
        putString(config, "endpoint", request.endpoint());
        if ("a2a".equals(request.protocol())) {
            config.add("protocol", "a2a");
        }
        if (request.timeoutSeconds() != null) {
            config.add("timeoutSeconds", request.timeoutSeconds());
        }
        if (request.sessionTtlSeconds() != null) {
            config.add("sessionTtlSeconds", request.sessionTtlSeconds());
        }
        putString(config, "doubleTexting", request.doubleTexting());
        putString(config, "priority", request.priority());
        if (request.restorePersonalData() != null) {
            config.add("restorePersonalData", request.restorePersonalData());
        }
        if (request.capabilities() != null && !request.capabilities().isEmpty()) {
            JsonArrayBuilder capabilities = Json.createArrayBuilder();
            for (AgentRequest.Capability capability : request.capabilities()) {
                JsonObjectBuilder entry = Json.createObjectBuilder().add("name", capability.name());
                putString(entry, "description", capability.description());
                putValue(entry, "input", capability.input());
                putValue(entry, "output", capability.output());
                capabilities.add(entry);
            }
            config.add("capabilities", capabilities);
        }
        if (request.proposes() != null && !request.proposes().isEmpty()) {
            JsonArrayBuilder scopes = Json.createArrayBuilder();
            for (AgentRequest.ProposalScope scope : request.proposes()) {
                JsonObjectBuilder entry = Json.createObjectBuilder().add("type", scope.type());
                putStrings(entry, "actions", scope.actions());
                putStrings(entry, "fields", scope.fields());
                scopes.add(entry);
            }
            config.add("proposes", scopes);
        }
        if (request.voice() != null) {
            JsonObjectBuilder voice = Json.createObjectBuilder()
                    .add("transcriptionModel", request.voice().transcriptionModel())
                    .add("speechModel", request.voice().speechModel());
            putString(voice, "voice", request.voice().voice());
            putString(voice, "format", request.voice().format());
            config.add("voice", voice);
        }
        JsonObject canonical = (JsonObject) canonical(config.build());
        return new AgentConfig(canonical, sha256(text(canonical)));
    }

    /** A stored configuration (already canonical). */
    static AgentConfig stored(JsonObject json, String sha256) {
        return new AgentConfig(json, sha256);
    }

    String kind() {
        return json.getString("kind");
    }

    /** Keys sorted at every level, so that equal configurations are equal strings. */
    static JsonValue canonical(JsonValue value) {
        if (value instanceof JsonObject object) {
            Map<String, JsonValue> sorted = new TreeMap<>(object);
            JsonObjectBuilder builder = Json.createObjectBuilder();
            sorted.forEach((key, child) -> builder.add(key, canonical(child)));
            return builder.build();
        }
        if (value instanceof JsonArray array) {
            JsonArrayBuilder builder = Json.createArrayBuilder();
            array.forEach(child -> builder.add(canonical(child)));
            return builder.build();
        }
        return value;
    }

    /** The canonical text: sorted keys, no insignificant space, numbers in plain notation without trailing zeros. */
    static String text(JsonValue value) {
        if (value instanceof JsonObject object) {
            StringBuilder out = new StringBuilder("{");
            new TreeMap<>(object).forEach((key, child) -> out.append(out.length() > 1 ? "," : "")
                    .append(Json.createValue(key)).append(':').append(text(child)));
            return out.append('}').toString();
        }
        if (value instanceof JsonArray array) {
            StringBuilder out = new StringBuilder("[");
            for (JsonValue child : array) {
                out.append(out.length() > 1 ? "," : "").append(text(child));
            }
            return out.append(']').toString();
        }
        if (value instanceof JsonNumber number) {
            return number.bigDecimalValue().stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isHttp(String endpoint) {
        try {
            return InternalAddresses.isCallableUrl(new URI(endpoint));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static void notFor(List<FieldError> errors, String field, Object value, String what) {
        if (value != null) {
            errors.add(new FieldError(field, "does not apply to " + what));
        }
    }

    private static void putString(JsonObjectBuilder builder, String key, String value) {
        if (value != null) {
            builder.add(key, value);
        }
    }

    private static void putValue(JsonObjectBuilder builder, String key, JsonValue value) {
        if (value != null) {
            builder.add(key, value);
        }
    }

    private static void putStrings(JsonObjectBuilder builder, String key, List<String> values) {
        if (values != null) {
            JsonArrayBuilder array = Json.createArrayBuilder();
            values.forEach(array::add);
            builder.add(key, array);
        }
    }
}
