package dev.steward.platform;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The endpoints the fuzz suite covers: every operation of Steward's own OpenAPI document, plus those it does not
 * describe (the MCP endpoint), each with a valid body to start from and the ids of a tenant's own resources to put
 * in its path.
 */
final class FuzzTargets {

    private FuzzTargets() {
    }

    enum Body { NONE, JSON, AUDIO, ANY }

    /** One operation; {@code template} as in the OpenAPI document, with {@code {kind}} already expanded. */
    record Operation(String method, String template, Body body, List<String> queryParameters) {

        List<String> pathParameters() {
            List<String> names = new ArrayList<>();
            Matcher matcher = PARAMETER.matcher(template);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
            return names;
        }

        boolean operatorOnly() {
            return template.startsWith("/api/v1/admin/");
        }

        /** Answers in its own protocol's error format rather than problem+json. */
        boolean protocol() {
            return template.startsWith("/a2a/") || template.equals("/mcp") || template.startsWith("/v1/");
        }

        String key() {
            return method + " " + template;
        }

        @Override
        public String toString() {
            return key();
        }
    }

    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");

    /** The operations in the OpenAPI document ({@code GET /openapi} as JSON), then the ones it leaves out. */
    static List<Operation> from(JsonNode openapi) {
        List<Operation> operations = new ArrayList<>();
        openapi.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String method = op.getKey().toUpperCase();
            if (!Set.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                return;
            }
            JsonNode content = op.getValue().path("requestBody").path("content");
            Body body = content.has("application/json") ? Body.JSON : content.has("audio/*") ? Body.AUDIO
                    : content.has("*/*") ? Body.ANY : Body.NONE;
            List<String> query = new ArrayList<>();
            op.getValue().path("parameters").forEach(parameter -> {
                if ("query".equals(parameter.path("in").asText())) {
                    query.add(parameter.path("name").asText());
                }
            });
            for (String template : expand(path.getKey())) {
                operations.add(new Operation(method, template, body, List.copyOf(query)));
            }
        }));
        // Not in the document: the MCP server is a servlet of the SDK's, mounted by hand.
        operations.add(new Operation("POST", "/mcp", Body.ANY, List.of()));
        operations.add(new Operation("GET", "/mcp", Body.NONE, List.of()));
        return operations;
    }

    /** {@code {kind}} is a JAX-RS regex parameter, {@code workflows|routing-rules}: one operation for each. */
    private static List<String> expand(String template) {
        if (template.contains("{kind}")) {
            return List.of(template.replace("{kind}", "workflows"), template.replace("{kind}", "routing-rules"));
        }
        return List.of(template);
    }

    /** The ids and names of one tenant's resources, by what they are. */
    static final class Seed {
        final Map<String, String> values = new LinkedHashMap<>();

        Seed put(String what, String value) {
            values.put(what, value);
            return this;
        }

        String get(String what) {
            String value = values.get(what);
            if (value == null) {
                throw new IllegalStateException("nothing seeded for " + what);
            }
            return value;
        }
    }

    /**
     * What a path parameter of an operation stands for, so that a tenant's real id can fill it: the operation's
     * path up to the parameter, then the parameter's name.
     */
    static String meaning(String template, String parameter) {
        String before = template.substring(0, template.indexOf("{" + parameter + "}"));
        if (before.startsWith("/api/v1/admin/tenants/")) {
            return parameter.equals("subject") ? "quota-subject" : "tenant";
        }
        if (before.startsWith("/api/v1/admin/api-keys/")) {
            return "spare-api-key";
        }
        if (before.startsWith("/api/v1/admin/accounts/")) {
            return "admin-account";
        }
        if (before.startsWith("/a2a/") || before.startsWith("/v1/models/")) {
            return "agent-name";
        }
        return switch (before.replaceAll("\\{[^}]+}", "*")) {
            case "/api/v1/agents/" -> "agent";
            case "/api/v1/agents/*/versions/" -> "version";
            case "/api/v1/api-keys/" -> "spare-api-key";
            case "/api/v1/approvals/" -> "approval";
            case "/api/v1/email/accounts/" -> "email-account";
            case "/api/v1/email/messages/" -> "email-message";
            case "/api/v1/models/" -> template.endsWith("}") ? "model" : "scripted-model";
            case "/api/v1/providers/" -> "provider";
            case "/api/v1/quotas/" -> "quota-subject";
            case "/api/v1/record-types/" -> "record-type";
            case "/api/v1/records/" -> "record";
            case "/api/v1/runs/" -> "run";
            case "/api/v1/sessions/" -> "session";
            case "/api/v1/sessions/*/turns/" -> "turn";
            case "/api/v1/sessions/*/confirmations/" -> "confirmation";
            case "/api/v1/tasks/" -> "task";
            case "/api/v1/tools/" -> "tool";
            case "/api/v1/tools/mcp-servers/" -> "mcp-server";
            case "/api/v1/workflows/" -> "workflow";
            case "/api/v1/routing-rules/" -> "routing-rule";
            default -> throw new IllegalStateException("what is {" + parameter + "} of " + template + "?");
        };
    }

    /** The request target with every parameter filled from the seed, but {@code replaced} with {@code raw}. */
    static String target(Operation operation, Seed seed, String replaced, String raw) {
        String target = operation.template();
        for (String parameter : operation.pathParameters()) {
            String value = parameter.equals(replaced) ? raw
                    : java.net.URLEncoder.encode(seed.get(meaning(operation.template(), parameter)),
                    java.nio.charset.StandardCharsets.UTF_8);
            target = target.replace("{" + parameter + "}", value);
        }
        return target;
    }

    /** Path parameters whose value another tenant may legitimately hold too (a name, not one of its ids). */
    static final Set<String> SHARED_NAMES = Set.of("version", "quota-subject", "record-type", "tool",
            "scripted-model", "confirmation", "admin-account");

    /**
     * A valid body for each operation that takes one, as README.md documents them ({@code <seed-name>}
     * placeholders are filled from the tenant's seed). The OpenAPI document names the request schemas but lists no
     * properties, so these are what the field mutations start from.
     */
    static final Map<String, String> SAMPLES = new LinkedHashMap<>();

    static {
        sample("POST /api/v1/admin/tenants", "{\"slug\":\"fuzz-made\",\"name\":\"Fuzz Made\"}");
        sample("POST /api/v1/admin/tenants/{id}/api-keys", "{\"name\":\"fuzz\",\"scopes\":[\"agents:read\"]}");
        sample("PUT /api/v1/admin/tenants/{tenant}/quotas/{subject}", "{\"concurrency\":50,\"perMinute\":6000}");
        sample("PUT /api/v1/admin/accounts/{email}", "{\"password\":\"a fuzzed password 123\",\"role\":\"analyst\","
                + "\"tenantId\":\"<tenant>\"}");
        sample("POST /api/v1/agents", "{\"name\":\"fuzzed\",\"kind\":\"llm\",\"model\":\"steward-scripted\","
                + "\"instructions\":\"Answer.\",\"tools\":[\"current_time\"],\"parameters\":{\"temperature\":0.2},"
                + "\"capabilities\":[{\"name\":\"chat\",\"description\":\"talk\"}],\"sessionTtlSeconds\":600,"
                + "\"doubleTexting\":\"queue\",\"priority\":\"P2\",\"fallbackModels\":[]}");
        sample("PUT /api/v1/agents/{id}", "{\"kind\":\"llm\",\"model\":\"steward-scripted\",\"instructions\":\"Hi.\","
                + "\"restorePersonalData\":false,\"tools\":[\"save_note\"],\"autoApprove\":[\"save_note\"]}");
        sample("POST /api/v1/approvals/{id}", "{\"approve\":false,\"comment\":\"no\"}");
        sample("POST /api/v1/email/accounts", "{\"name\":\"fuzzmail\",\"provider\":\"smtp\",\"address\":"
                + "\"f@example.com\",\"password\":\"pw\",\"smtp\":{\"host\":\"127.0.0.1\",\"port\":2525,"
                + "\"security\":\"none\"},\"default\":false}");
        sample("POST /api/v1/email/messages", "{\"account\":\"<email-account>\",\"to\":[\"a@example.com\"],"
                + "\"cc\":[],\"subject\":\"Hello\",\"body\":\"Text\",\"inReplyTo\":\"<m@example.com>\"}");
        sample("PUT /api/v1/masking-patterns", "{\"patterns\":[{\"name\":\"EMPLOYEE_ID\",\"pattern\":\"E-\\\\d{6}\"}]}");
        sample("POST /api/v1/models", "{\"name\":\"fuzz-model\",\"provider\":\"<provider-name>\",\"providerModel\":"
                + "\"gpt-4o-mini\",\"inputPrice\":0.15,\"outputPrice\":0.6,\"cachedInputPrice\":0.075}");
        sample("POST /api/v1/models/{name}/speech", "{\"input\":\"hello\",\"voice\":\"alloy\",\"format\":\"wav\"}");
        sample("POST /api/v1/models/{name}/try", "{\"prompt\":\"hello\",\"system\":\"be brief\"}");
        sample("POST /api/v1/providers", "{\"name\":\"fuzz-provider\",\"type\":\"openai-compatible\","
                + "\"baseUrl\":\"http://10.255.255.1/v1\",\"credentials\":{\"apiKey\":\"sk-fuzz\"}}");
        sample("PUT /api/v1/providers/{id}", "{\"name\":\"<provider-name>\",\"type\":\"openai\","
                + "\"credentials\":{\"apiKey\":\"sk-rotated\"}}");
        sample("PUT /api/v1/quotas/{subject}", "{\"concurrency\":10,\"perMinute\":100,\"tokensPerMinute\":1000,"
                + "\"perDay\":100,\"monthlyBudget\":50}");
        sample("PUT /api/v1/record-types/{name}", "{\"schema\":{\"type\":\"object\",\"required\":[\"sku\"],"
                + "\"properties\":{\"sku\":{\"type\":\"string\"}}}}");
        sample("POST /api/v1/records", "{\"type\":\"lead\",\"fields\":{\"name\":\"Ada\",\"status\":\"new\"}}");
        sample("PUT /api/v1/records/{id}", "{\"fields\":{\"name\":\"Ada\",\"status\":\"won\"},\"version\":1}");
        sample("POST /api/v1/runs", "{\"workflow\":\"<workflow-name>\",\"record\":\"<record>\",\"input\":{\"a\":1},"
                + "\"onLocked\":\"wait\"}");
        sample("POST /api/v1/sessions", "{\"agentId\":\"<agent>\"}");
        sample("POST /api/v1/sessions/{id}/confirmations/{confirmationId}", "{\"approve\":true}");
        sample("POST /api/v1/sessions/{id}/turns", "{\"input\":\"hello there\"}");
        sample("PUT /api/v1/supervisor-policy", "{\"conflictRanks\":[\"compliance\",\"sales\"],"
                + "\"confidenceThreshold\":0.6,\"approvalTtlSeconds\":3600}");
        sample("POST /api/v1/tasks", "{\"kind\":\"noop\",\"priority\":\"P1\",\"payload\":{\"x\":1},"
                + "\"idempotencyKey\":\"fuzz-1\",\"resources\":[\"provider:openai\"],\"tokens\":10}");
        sample("POST /api/v1/tasks/batch", "{\"tasks\":[{\"kind\":\"noop\",\"priority\":\"P1\",\"payload\":"
                + "{\"x\":1},\"idempotencyKey\":\"fuzz-batch-1\",\"resources\":[\"provider:openai\"],\"tokens\":10},"
                + "{\"kind\":\"webhook\",\"payload\":{\"url\":\"http://127.0.0.1:9/hook\"},"
                + "\"idempotencyKey\":\"fuzz-batch-2\",\"runAt\":\"2099-01-01T00:00:00Z\"}]}");
        sample("PUT /api/v1/tools/http-hosts", "{\"hosts\":[{\"host\":\"api.example.com\"},{\"host\":"
                + "\"*.example.org:8443\"}]}");
        sample("POST /api/v1/tools/mcp-servers", "{\"name\":\"fuzzmcp\",\"url\":\"http://10.255.255.1/mcp\","
                + "\"timeoutSeconds\":1,\"bearerToken\":\"t\",\"headers\":{\"X-Api-Key\":\"v\"},"
                + "\"readOnlyTools\":[\"search\"]}");
        sample("POST /api/v1/triggers", "{\"event\":\"fuzz.event\",\"record\":\"<record>\",\"data\":{\"a\":\"b\"}}");
        sample("POST /api/v1/workflows", "{\"name\":\"fuzz-flow\",\"priority\":\"P2\",\"nodes\":[{\"id\":\"done\","
                + "\"kind\":\"wait\",\"seconds\":0}],\"edges\":[]}");
        sample("PUT /api/v1/workflows/{id}", "{\"name\":\"<workflow-name>\",\"nodes\":[{\"id\":\"ok\",\"kind\":"
                + "\"approval\",\"label\":\"checked\"}]}");
        sample("POST /api/v1/routing-rules", "{\"name\":\"fuzz-rule\",\"on\":{\"event\":\"record.created\","
                + "\"type\":\"quiet\"},\"when\":{},\"workflow\":\"<workflow-name>\",\"order\":5,"
                + "\"onLocked\":\"wait\"}");
        sample("PUT /api/v1/routing-rules/{id}", "{\"name\":\"<routing-rule-name>\",\"on\":{\"event\":"
                + "\"record.created\",\"type\":\"quiet\"},\"workflow\":\"<workflow-name>\"}");
        sample("POST /v1/chat/completions", "{\"model\":\"<agent-name>\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hello\"}],\"stream\":false}");
        sample("POST /a2a/{agent}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"SendMessage\",\"params\":{"
                + "\"message\":{\"role\":\"ROLE_USER\",\"messageId\":\"m-1\",\"parts\":[{\"text\":\"hello\"}]},"
                + "\"configuration\":{\"returnImmediately\":true}}}");
        sample("POST /mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"agent.<agent-name>\",\"arguments\":{\"message\":\"hello\"}}}");
    }

    private static void sample(String key, String body) {
        SAMPLES.put(key, body);
    }

    /** The sample with its {@code <seed-name>} placeholders filled. */
    static String sample(Operation operation, Seed seed) {
        String body = SAMPLES.get(operation.key());
        Matcher placeholder = Pattern.compile("<([a-z-]+)>").matcher(body);
        StringBuilder filled = new StringBuilder();
        while (placeholder.find()) {
            String name = placeholder.group(1);
            placeholder.appendReplacement(filled, Matcher.quoteReplacement(seed.values.containsKey(name)
                    ? seed.get(name) : placeholder.group()));
        }
        return placeholder.appendTail(filled).toString();
    }

    /** Operations that take a JSON body but have no sample here: the suite asks for one. */
    static Set<String> missingSamples(List<Operation> operations) {
        Set<String> missing = new TreeSet<>();
        for (Operation operation : operations) {
            if ((operation.body() == Body.JSON || operation.body() == Body.ANY)
                    && !SAMPLES.containsKey(operation.key())) {
                missing.add(operation.key());
            }
        }
        return missing;
    }
}
