package dev.steward.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.platform.FuzzTargets.Body;
import dev.steward.platform.FuzzTargets.Operation;
import dev.steward.platform.FuzzTargets.Seed;
import dev.steward.testing.Api;
import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.StewardServer;
import io.restassured.response.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input over every public endpoint (issue 8, part 4). The operations come from Steward's own OpenAPI document,
 * plus the MCP endpoint it does not describe and the admin UI's forms; each gets malformed and deeply nested JSON,
 * bodies over and under the size limit, wrong types and hostile strings in every field of a valid body, odd path
 * segments and query values, wrong content types, CR/LF in headers, missing and bad credentials, and another
 * tenant's real ids. Every answer must hold: never a 5xx or no answer at all; errors in the endpoint's format
 * (problem+json with the matching {@code status} on the API, JSON-RPC errors on A2A and MCP, OpenAI error objects
 * on /v1); no stack trace, class name or SQL in any body; another tenant's ids are a 404 and its data never shows;
 * a refused request writes nothing.
 *
 * <p>Random choices come from one seed, printed first; {@code -Dfuzz.seed=<n>} replays a run,
 * {@code -Dfuzz.mutations=<n>} sets how many field mutations each body gets (default 14).
 */
@ExtendWith(StewardServer.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FuzzIT {

    private static final long SEED = Long.getLong("fuzz.seed", 20_261_121L);
    private static final int MUTATIONS = Integer.getInteger("fuzz.mutations", 14);
    /** The rig's STEWARD_HTTP_MAX_BODY_BYTES. */
    private static final int BODY_LIMIT = 65_536;

    /** What no answer may contain: stack frames, exception and class names, SQL errors. */
    private static final Pattern LEAKS = Pattern.compile("at dev\\.steward|\\tat |\\bat [a-z]+\\.[a-z]+\\.[A-Za-z.$]+\\("
            + "|Exception|org\\.postgresql|PSQL|SQLState|SQL state|ERROR: |org\\.hibernate|java\\.lang\\.|java\\.sql|"
            + "jakarta\\.|javax\\.|io\\.modelcontextprotocol|org\\.eclipse|com\\.fasterxml|\"stackTrace\"|"
            + "RESTEASY|\\.java:\\d");
    /** What a successful answer may still not contain (it may echo the client's words, "Exception" among them). */
    private static final Pattern LEAKS_IN_SUCCESS = Pattern.compile("at dev\\.steward|\\tat |org\\.postgresql|"
            + "SQLState|\"stackTrace\"|\\.java:\\d");

    private static FuzzInputs inputs;
    private static RawHttp http;
    private static List<Operation> operations;
    private static Connection database;
    private static Api.TestTenant fuzzer;
    private static Api.TestTenant victim;
    private static Api.TestTenant other;
    private static Seed fuzzerSeed;
    private static Seed victimSeed;
    private static final List<String> failures = new ArrayList<>();
    private static final AtomicInteger requests = new AtomicInteger();
    private static final AtomicInteger containerRefusals = new AtomicInteger();

    @BeforeAll
    static void setUp() throws Exception {
        System.out.println("[fuzz] seed " + SEED + " (replay with -Dfuzz.seed=" + SEED + "), " + MUTATIONS
                + " field mutations per body");
        inputs = new FuzzInputs(SEED);
        http = new RawHttp(URI.create(StewardServer.rig().baseUri()), 20_000);
        database = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
        String openapi = Api.anonymous().accept("application/json").get("/openapi").then().statusCode(200)
                .extract().asString();
        operations = FuzzTargets.from(FuzzInputs.parse(openapi));
        fuzzer = Api.newTenant("fuzz");
        victim = Api.newTenant("victim");
        other = Api.newTenant("other");
        fuzzerSeed = seed(fuzzer, "fz");
        victimSeed = seed(victim, "victim-" + UUID.randomUUID().toString().substring(0, 6));
        System.out.println("[fuzz] " + operations.size() + " operations; victim's seed " + victimSeed.values.keySet());
    }

    @AfterAll
    static void tearDown() throws SQLException {
        System.out.println("[fuzz] " + requests.get() + " requests in all; " + containerRefusals.get()
                + " refused by Liberty before Steward saw them (an undecodable request line)");
        if (database != null) {
            database.close();
        }
    }

    /** One of each resource, named after {@code marker} so that it is recognisable in any answer. */
    private static Seed seed(Api.TestTenant tenant, String marker) {
        Seed seed = new Seed().put("tenant", tenant.id()).put("version", "1").put("tool", "current_time")
                .put("scripted-model", "steward-scripted").put("record-type", "order")
                .put("confirmation", UUID.randomUUID().toString()).put("admin-account", marker + "@example.com")
                .put("marker", marker);
        // Words only the tenant's own resources hold, which no request of another tenant carries.
        seed.put("text-instructions", marker + " instructions").put("text-turn", marker + " says hello")
                .put("text-review", marker + " review").put("text-mail", marker + " body")
                .put("text-secret", marker + "-secret");
        String agentName = marker + "-agent";
        String agent = create(tenant, "/api/v1/agents", "{\"name\":\"" + agentName + "\",\"kind\":\"llm\","
                + "\"model\":\"steward-scripted\",\"instructions\":\"" + marker + " instructions\","
                + "\"tools\":[\"save_note\"]}");
        seed.put("agent", agent).put("agent-name", agentName).put("quota-subject", "agent:" + agentName);
        String session = create(tenant, "/api/v1/sessions", "{\"agentId\":\"" + agent + "\"}");
        seed.put("session", session);
        seed.put("turn", Api.as(tenant.key()).body("{\"input\":\"" + marker + " says hello\"}")
                .post("/api/v1/sessions/" + session + "/turns").then().statusCode(202).extract().path("id"));
        String record = create(tenant, "/api/v1/records", "{\"type\":\"lead\",\"fields\":{\"name\":\"" + marker
                + "\"}}");
        seed.put("record", record);
        for (String type : List.of("order", "quiet")) { // no record of the second is ever made
            Api.as(tenant.key()).body("{\"schema\":{\"type\":\"object\"}}").put("/api/v1/record-types/" + type)
                    .then().statusCode(200);
        }
        String workflowName = marker + "-flow";
        seed.put("workflow", create(tenant, "/api/v1/workflows", "{\"name\":\"" + workflowName + "\",\"nodes\":"
                + "[{\"id\":\"ok\",\"kind\":\"approval\",\"label\":\"" + marker + " review\"}]}"));
        seed.put("workflow-name", workflowName);
        seed.put("routing-rule", create(tenant, "/api/v1/routing-rules", "{\"name\":\"" + marker + "-rule\","
                + "\"on\":{\"event\":\"record.created\",\"type\":\"quiet\"},\"workflow\":\"" + workflowName
                + "\"}")).put("routing-rule-name", marker + "-rule");
        String run = create(tenant, "/api/v1/runs", "{\"workflow\":\"" + workflowName + "\",\"record\":\"" + record
                + "\"}");
        seed.put("run", run);
        seed.put("task", String.valueOf(Api.as(tenant.key()).body("{\"kind\":\"noop\",\"payload\":{\"who\":\""
                + marker + "\"}}").post("/api/v1/tasks").then().statusCode(201).extract().<Object>path("id")));
        String provider = create(tenant, "/api/v1/providers", "{\"name\":\"" + marker + "-provider\",\"type\":"
                + "\"openai-compatible\",\"baseUrl\":\"http://10.255.255.1/v1\",\"credentials\":{\"apiKey\":\""
                + marker + "-secret\"}}");
        seed.put("provider", provider).put("provider-name", marker + "-provider");
        create(tenant, "/api/v1/models", "{\"name\":\"" + marker + "-model\",\"provider\":\"" + marker
                + "-provider\",\"providerModel\":\"m\",\"inputPrice\":1,\"outputPrice\":2}");
        seed.put("model", marker + "-model");
        Api.as(tenant.key()).body("{\"name\":\"" + marker + "-mail\",\"provider\":\"smtp\",\"address\":\"" + marker
                + "@example.com\",\"password\":\"pw\",\"smtp\":{\"host\":\"127.0.0.1\",\"port\":2525,"
                + "\"security\":\"none\"}}").post("/api/v1/email/accounts").then().statusCode(201);
        seed.put("email-account", marker + "-mail");
        seed.put("email-message", create(tenant, "/api/v1/email/messages", "{\"account\":\"" + marker + "-mail\","
                + "\"to\":[\"a@example.com\"],\"subject\":\"" + marker + "\",\"body\":\"" + marker + " body\"}"));
        seed.put("mcp-server", marker + "-mcp"); // registering one needs a live MCP server; its absence is tested
        String spare = Api.issueKey(tenant.id(), "[\"agents:read\"]");
        List<Map<String, Object>> keys = Api.as(tenant.key()).get("/api/v1/api-keys").then().statusCode(200)
                .extract().jsonPath().getList("$");
        seed.put("spare-api-key", keys.stream().filter(key -> spare.startsWith("stw_" + key.get("prefix") + "_"))
                .map(key -> (String) key.get("id")).findFirst().orElseThrow());
        seed.put("approval", await(() -> Api.as(tenant.key()).get("/api/v1/approvals?status=pending&run=" + run)
                .then().statusCode(200).extract().path("[0].id")));
        return seed;
    }

    private static String create(Api.TestTenant tenant, String path, String body) {
        Response response = Api.as(tenant.key()).body(body).post(path);
        assertThat(response.statusCode()).as("seeding %s: %s", path, response.asString()).isIn(201, 202);
        return String.valueOf(response.jsonPath().<Object>get("id"));
    }

    private static <T> T await(Supplier<T> value) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            T found = value.get();
            if (found != null) {
                return found;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("not there within 30 s");
    }

    // ---------------------------------------------------------------- the tests

    @Test
    @Order(1)
    void everyOperationWithABodyHasAValidSampleToMutate() {
        assertThat(FuzzTargets.missingSamples(operations)).as("add a sample body to FuzzTargets.SAMPLES").isEmpty();
        assertThat(operations).extracting(Operation::key).contains("POST /v1/chat/completions", "POST /a2a/{agent}",
                "POST /mcp", "POST /api/v1/agents", "POST /api/v1/tasks/batch");
    }

    @Test
    @Order(2)
    void missingAndBadCredentialsAre401() {
        List<String[]> bad = List.of(new String[] {}, new String[] {"Authorization", "Bearer stw_aaaaaaaaaaaa_"
                + "A".repeat(43)}, new String[] {"Authorization", "Basic dXNlcjpwYXNz"},
                new String[] {"Authorization", "Bearer ' OR 1=1 --"},
                new String[] {"Authorization", "Bearer " + "k".repeat(5000)},
                new String[] {"Authorization", "Bearer stw_\u0000\u202e"});
        for (Operation operation : operations) {
            if (operation.template().equals("/mcp") && operation.method().equals("GET")) {
                continue;
            }
            for (String[] credential : bad) {
                RawHttp.Request request = request(operation, FuzzTargets.target(operation, fuzzerSeed, null, null),
                        credential.length == 0 ? null : credential, sampleBytes(operation, fuzzerSeed));
                RawHttp.Response response = send(operation, request);
                boolean unreadable = credential.length > 0 && credential[1].chars().anyMatch(c -> c < 0x20 || c > 0x7E);
                expect(operation, request, response, response.status() == 401 || unreadable
                        && response.status() == 400, "expected 401 without a valid credential");
            }
        }
        // A tenant's key on the operator's API, and the operator's token on a tenant's: refused.
        for (Operation operation : operations) {
            if (operation.operatorOnly()) {
                RawHttp.Request request = request(operation, FuzzTargets.target(operation, fuzzerSeed, null, null),
                        bearer(fuzzer.key()), sampleBytes(operation, fuzzerSeed));
                RawHttp.Response response = send(operation, request);
                expect(operation, request, response, response.status() == 401 || response.status() == 403,
                        "a tenant's key on the operator's API");
            }
        }
        report("credentials");
    }

    @Test
    @Order(3)
    void malformedBodiesAndWrongContentTypesAreRefusedAndWriteNothing() throws SQLException {
        for (Operation operation : withBodies()) {
            String target = FuzzTargets.target(operation, fuzzerSeed, null, null);
            String sample = FuzzTargets.sample(operation, fuzzerSeed);
            for (FuzzInputs.Case bad : inputs.malformed(sample, BODY_LIMIT)) {
                RawHttp.Request request = request(operation, target, credentialFor(operation, fuzzer), bad.body());
                Map<String, Long> before = counts();
                RawHttp.Response response = send(operation, request);
                checkNothingWritten(operation, request, response, before);
                // Java's decoders replace bytes that are not UTF-8; A2A and MCP read one JSON document and
                // stop, as their SDKs and the JSON-RPC libraries do; the others are valid JSON.
                boolean mayPass = bad.label().equals("BOM") || bad.label().contains("UTF-8")
                        || bad.label().equals("duplicate keys") || bad.label().startsWith("a huge unknown")
                        || bad.label().startsWith("lone surrogate") || operation.body() == Body.ANY
                        && (bad.label().equals("trailing garbage") || bad.label().equals("two documents"));
                if (bad.label().equals("over the body limit")) {
                    expect(operation, request, response, response.status() == 413, "expected 413");
                } else if (!mayPass) {
                    expect(operation, request, response, refused(response), "expected a refusal (" + bad.label()
                            + ")");
                }
            }
            if (operation.body() == Body.JSON) {
                for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x", "application/json; charset=no-such-charset")) {
                    RawHttp.Request request = withContentType(request(operation, target, credentialFor(operation,
                            fuzzer), sample.getBytes(StandardCharsets.UTF_8)), type);
                    Map<String, Long> before = counts();
                    RawHttp.Response response = send(operation, request);
                    checkNothingWritten(operation, request, response, before);
                    expect(operation, request, response, refused(response), "expected 415 or 400 for " + type);
                }
            }
        }
        report("malformed bodies");
    }

    @Test
    @Order(4)
    void wrongTypesAndHostileStringsInEveryFieldNeverBreakAnything() throws SQLException {
        for (Operation operation : withBodies()) {
            String target = FuzzTargets.target(operation, fuzzerSeed, null, null);
            JsonNode sample = FuzzInputs.parse(FuzzTargets.sample(operation, fuzzerSeed));
            for (FuzzInputs.Case mutated : inputs.mutations(sample, MUTATIONS, BODY_LIMIT / 2)) {
                RawHttp.Request request = request(operation, target, credentialFor(operation, fuzzer),
                        mutated.body());
                Map<String, Long> before = counts();
                RawHttp.Response response = send(operation, request);
                checkNothingWritten(operation, request, response, before);
            }
        }
        report("field mutations");
    }

    @Test
    @Order(5)
    void oddPathSegmentsAreRefused() throws SQLException {
        for (Operation operation : operations) {
            for (String parameter : operation.pathParameters()) {
                for (String odd : inputs.oddSegments(5)) {
                    RawHttp.Request request = request(operation, FuzzTargets.target(operation, fuzzerSeed,
                            parameter, odd), credentialFor(operation, fuzzer), sampleBytes(operation, fuzzerSeed));
                    Map<String, Long> before = counts();
                    RawHttp.Response response = send(operation, request);
                    checkNothingWritten(operation, request, response, before);
                }
            }
        }
        report("path segments");
    }

    @Test
    @Order(6)
    void oddQueryValuesAreRefusedOrIgnored() {
        for (Operation operation : operations) {
            if (!operation.method().equals("GET")) {
                continue;
            }
            String target = FuzzTargets.target(operation, fuzzerSeed, null, null);
            List<String> parameters = new ArrayList<>(operation.queryParameters());
            parameters.add("field.status"); // the records list's field filters, and an unknown one elsewhere
            for (String parameter : parameters) {
                List<String> values = new ArrayList<>(FuzzInputs.ODD_QUERY_VALUES);
                java.util.Collections.shuffle(values, inputs.random());
                for (String value : values.subList(0, 4)) {
                    RawHttp.Request request = request(operation, target + "?" + parameter + "=" + value,
                            credentialFor(operation, fuzzer), new byte[0]);
                    send(operation, request);
                }
            }
        }
        report("query values");
    }

    @Test
    @Order(7)
    void headersWithCrLfAndOddBytesAreNeitherEchoedNorFatal() throws SQLException {
        List<String[]> hostile = List.of(
                new String[] {"Idempotency-Key", "key\r\nX-Injected: yes"},
                new String[] {"Idempotency-Key", "key\nX-Injected: yes"},
                new String[] {"Idempotency-Key", "' OR 1=1 --"},
                new String[] {"Idempotency-Key", "k".repeat(4000)},
                new String[] {"Idempotency-Key", "\u202e\u200d\uD83D\uDE00"},
                new String[] {"X-Request-Id", "id\r\nX-Injected: yes"},
                new String[] {"X-Request-Id", "<script>\u0000"},
                new String[] {"Last-Event-ID", "-1' OR 1=1 --"},
                new String[] {"A2A-Version", "1.0\r\nX-Injected: yes"},
                new String[] {"MCP-Protocol-Version", "\u0000"},
                new String[] {"Accept", "application/json\r\nX-Injected: yes"},
                new String[] {"Content-Type", "application/json; charset=\"\r\nX-Injected: yes\""});
        for (Operation operation : operations) {
            if (operation.method().equals("DELETE")) {
                continue;
            }
            String target = FuzzTargets.target(operation, fuzzerSeed, null, null);
            for (String[] header : pick(hostile, operation.body() == Body.NONE ? 2 : 4)) {
                RawHttp.Request request = request(operation, target, credentialFor(operation, fuzzer),
                        sampleBytes(operation, fuzzerSeed)).header(header[0], header[1]);
                Map<String, Long> before = counts();
                RawHttp.Response response = send(operation, request);
                if (!refused(response)) {
                    continue;
                }
                checkNothingWritten(operation, request, response, before);
            }
        }
        report("headers");
    }

    @Test
    @Order(8)
    void anotherTenantsIdsAre404AndNothingOfItShowsOrChanges() throws SQLException {
        Map<String, Long> victimBefore = counts(victim.id(), true);
        for (Operation operation : operations) {
            List<String> parameters = operation.pathParameters();
            boolean ownsAnId = parameters.stream().map(p -> FuzzTargets.meaning(operation.template(), p))
                    .anyMatch(meaning -> !FuzzTargets.SHARED_NAMES.contains(meaning) && !meaning.equals("tenant")
                            && !meaning.equals("spare-api-key") || meaning.equals("spare-api-key")
                            && !operation.operatorOnly());
            if (operation.operatorOnly()) {
                continue; // the operator sees every tenant by design; tenants' keys are refused there (above)
            }
            // The other tenant's key, the victim's ids where they are ids, the other tenant's own values elsewhere.
            Seed mixed = new Seed();
            mixed.values.putAll(victimSeed.values);
            for (String parameter : parameters) {
                String meaning = FuzzTargets.meaning(operation.template(), parameter);
                if (FuzzTargets.SHARED_NAMES.contains(meaning)) {
                    mixed.put(meaning, fuzzerSeed.get(meaning));
                }
            }
            byte[] body = sampleBytes(operation, mixed);
            RawHttp.Request request = request(operation, FuzzTargets.target(operation, mixed, null, null),
                    bearer(other.key()), body);
            RawHttp.Response response = send(operation, request);
            String text = response.text();
            String sent = request.target() + new String(body, StandardCharsets.UTF_8);
            List<String> leaked = victimSeed.values.entrySet().stream()
                    .filter(e -> !FuzzTargets.SHARED_NAMES.contains(e.getKey()) && !e.getKey().equals("confirmation"))
                    .map(Map.Entry::getValue).filter(value -> value.length() >= 8)
                    .filter(value -> !sent.contains(value) && !sent.contains(URLEncoder.encode(value,
                            StandardCharsets.UTF_8)))
                    .filter(text::contains)
                    .toList();
            boolean markerLeaked = text.contains(victimSeed.get("marker")) && !sent.contains(victimSeed.get("marker"));
            expect(operation, request, response, leaked.isEmpty() && !markerLeaked,
                    "another tenant's data in the answer " + leaked);
            if (ownsAnId && !parameters.isEmpty()) {
                // 400 only for a body refused before anything is looked up; never 2xx, 403 or 409.
                boolean notFound = response.status() == 404 || response.status() == 400
                        || jsonRpcError(response) != null;
                expect(operation, request, response, notFound, "expected 404 for another tenant's id");
            }
        }
        assertThat(counts(victim.id(), true)).as("the victim's rows after the other tenant's requests")
                .isEqualTo(victimBefore);
        // Its resources are all still there, unchanged, for itself.
        Api.as(victim.key()).get("/api/v1/agents/" + victimSeed.get("agent")).then().statusCode(200);
        Api.as(victim.key()).get("/api/v1/records/" + victimSeed.get("record")).then().statusCode(200);
        Api.as(victim.key()).get("/api/v1/api-keys").then().statusCode(200);
        Api.as(victim.key()).get("/api/v1/approvals/" + victimSeed.get("approval")).then().statusCode(200);
        report("another tenant's ids");
    }

    @Test
    @Order(9)
    void theAdminUiFormsTakeOddInputCalmly() {
        AdminSession admin = AdminSession.signIn(http, StewardServer.rig().adminEmail(),
                StewardServer.rig().adminPassword());
        List<String> pages = List.of("/admin", "/admin/tenants", "/admin/approvals", "/admin/queue",
                "/admin/tenants/keys", "/admin/agents", "/admin/models", "/admin/quotas",
                "/admin/agents/" + victimSeed.get("agent"));
        List<String> parameters = List.of("tenant", "page", "name", "from", "to", "done", "expired");
        for (String page : pages) {
            for (String parameter : pick(parameters, 3)) {
                for (String value : pick(FuzzInputs.ODD_QUERY_VALUES, 3)) {
                    RawHttp.Request request = new RawHttp.Request("GET", page + "?" + parameter + "=" + value
                            + "&tenant=" + victim.id(), admin.cookie(), new byte[0]);
                    sendAdmin(request);
                }
            }
            for (String odd : inputs.oddSegments(3)) {
                sendAdmin(new RawHttp.Request("GET", page + "/" + odd, admin.cookie(), new byte[0]));
            }
        }
        // Forms, with the session's CSRF token and without it, with odd values in every field.
        Map<String, List<String>> forms = new LinkedHashMap<>();
        forms.put("/admin/approvals", List.of("approval", "decision", "comment", "tenant"));
        forms.put("/admin/queue", List.of("job", "action", "tenant"));
        forms.put("/admin/signin", List.of("email", "password"));
        for (Map.Entry<String, List<String>> form : forms.entrySet()) {
            for (String field : form.getValue()) {
                for (String hostile : pick(FuzzInputs.HOSTILE_STRINGS, 4)) {
                    for (boolean withToken : List.of(true, false)) {
                        StringBuilder body = new StringBuilder(withToken ? "csrf=" + admin.csrf() : "csrf=forged");
                        for (String other : form.getValue()) {
                            String value = other.equals(field) ? hostile : other.equals("tenant") ? victim.id()
                                    : other.equals("approval") ? victimSeed.get("approval") : "x";
                            body.append('&').append(other).append('=').append(URLEncoder.encode(value,
                                    StandardCharsets.UTF_8));
                        }
                        List<String[]> headers = new ArrayList<>(admin.cookie());
                        headers.add(new String[] {"Content-Type", "application/x-www-form-urlencoded"});
                        RawHttp.Response response = sendAdmin(new RawHttp.Request("POST", form.getKey(), headers,
                                body.toString().getBytes(StandardCharsets.UTF_8)));
                        if (!withToken && response.status() != 403) {
                            failures.add("POST " + form.getKey() + " without the CSRF token answered "
                                    + response.status());
                        }
                    }
                }
            }
        }
        // The victim's approval was decided by nobody along the way: every decision above was nonsense.
        Api.as(victim.key()).get("/api/v1/approvals/" + victimSeed.get("approval")).then().statusCode(200);
        report("admin UI");
    }

    @Test
    @Order(10)
    void theContainersOwnRefusalsAreProblemsWithoutInternals() {
        // Liberty's pages for these named the exception and the class and line that threw; the same request twice,
        // because the container caches what it decided about a URI.
        Operation api = new Operation("GET", "/api/v1/tasks/{id}", Body.NONE, List.of());
        for (String target : List.of("/api/v1/tasks/..%2f..%2fetc", "/api/v1/tasks/..%2f..%2fetc", "/WEB-INF/web.xml",
                "/META-INF/MANIFEST.MF", "/api/v1/agents/%2e%2e%2f")) {
            RawHttp.Request request = request(api, target, bearer(fuzzer.key()), new byte[0]);
            RawHttp.Response response = send(api, request);
            expect(api, request, response, response.contentType().startsWith("application/problem+json"),
                    "expected problem+json");
        }
        report("the container's refusals");
    }

    // ---------------------------------------------------------------- requests

    private static List<Operation> withBodies() {
        return operations.stream().filter(op -> op.body() == Body.JSON || op.body() == Body.ANY).toList();
    }

    private static <T> List<T> pick(List<T> from, int count) {
        List<T> shuffled = new ArrayList<>(from);
        java.util.Collections.shuffle(shuffled, inputs.random());
        return shuffled.subList(0, Math.min(count, shuffled.size()));
    }

    private static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    private static String[] credentialFor(Operation operation, Api.TestTenant tenant) {
        return bearer(operation.operatorOnly() ? StewardServer.rig().adminToken() : tenant.key());
    }

    private static byte[] sampleBytes(Operation operation, Seed seed) {
        if (operation.body() == Body.AUDIO) {
            return "RIFF not really a wav".getBytes(StandardCharsets.US_ASCII);
        }
        return FuzzTargets.SAMPLES.containsKey(operation.key())
                ? FuzzTargets.sample(operation, seed).getBytes(StandardCharsets.UTF_8) : new byte[0];
    }

    private static RawHttp.Request request(Operation operation, String target, String[] credential, byte[] body) {
        List<String[]> headers = new ArrayList<>();
        if (credential != null) {
            headers.add(credential);
        }
        headers.add(new String[] {"Accept", operation.template().equals("/mcp")
                ? "application/json, text/event-stream" : "application/json"});
        if (operation.body() == Body.AUDIO) {
            headers.add(new String[] {"Content-Type", "audio/wav"});
        } else if (operation.body() != Body.NONE) {
            headers.add(new String[] {"Content-Type", "application/json"});
        }
        return new RawHttp.Request(operation.method(), target, headers, body);
    }

    private static RawHttp.Request withContentType(RawHttp.Request request, String type) {
        List<String[]> headers = new ArrayList<>(request.headers().stream()
                .filter(h -> !h[0].equalsIgnoreCase("Content-Type")).toList());
        headers.add(new String[] {"Content-Type", type});
        return new RawHttp.Request(request.method(), request.target(), headers, request.body());
    }

    private static RawHttp.Response send(Operation operation, RawHttp.Request request) {
        RawHttp.Response response = http.send(request);
        requests.incrementAndGet();
        verify(operation, request, response);
        return response;
    }

    private static RawHttp.Response sendAdmin(RawHttp.Request request) {
        RawHttp.Response response = http.send(request);
        requests.incrementAndGet();
        verify(null, request, response);
        return response;
    }

    // ---------------------------------------------------------------- what every answer must hold

    /** The properties every answer has, whatever was sent. */
    private static void verify(Operation operation, RawHttp.Request request, RawHttp.Response response) {
        String where = request.describe();
        if (response.status() < 0 || response.timedOut()) {
            failures.add("no (complete) answer within 20 s: " + where);
            return;
        }
        if (response.status() >= 500) {
            failures.add(response.status() + ": " + where + " -> " + RawHttp.abbreviate(response.text(), 300));
        }
        String text = response.text();
        boolean error = response.status() >= 400 || jsonRpcError(response) != null;
        var leak = (error ? LEAKS : LEAKS_IN_SUCCESS).matcher(text);
        if (leak.find()) {
            failures.add("leaks '" + leak.group() + "': " + where + " -> " + RawHttp.abbreviate(text, 300));
        }
        if (response.headers().containsKey("x-injected")) {
            failures.add("a header was injected into the response: " + where);
        }
        if (operation == null || response.status() < 400) {
            if (operation != null && jsonRpcError(response) != null) {
                checkJsonRpcError(where, response);
            }
            return;
        }
        String type = response.contentType();
        if (response.status() == 400 && text.contains("CWWWC0005I")) {
            // Liberty refuses a request line it cannot decode (%00, an encoded CR or LF, a bad escape) itself, before
            // choosing an application, so no error page or filter of Steward's can answer instead; the page names
            // the message and the URI (HTML-escaped), no class (the leak check above holds it to that).
            containerRefusals.incrementAndGet();
            return;
        }
        if (type.startsWith("application/problem+json")) {
            checkProblem(where, response);
        } else if (operation.template().startsWith("/v1/") && type.startsWith("application/json")) {
            JsonNode body = json(where, response);
            if (body != null && !(body.path("error").path("message").isTextual()
                    && body.path("error").path("type").isTextual())) {
                failures.add("not an OpenAI error object: " + where + " -> " + RawHttp.abbreviate(text, 300));
            }
        } else if ((operation.template().equals("/mcp") || operation.template().startsWith("/a2a/"))
                && type.startsWith("application/json")) {
            checkJsonRpcError(where, response);
        } else if (operation.template().equals("/mcp") && response.status() == 405) {
            return; // the SDK's transport takes POST only and says so with the container's plain 405
        } else {
            failures.add(response.status() + " as " + type + " rather than problem+json: " + where + " -> "
                    + RawHttp.abbreviate(text, 200));
        }
    }

    private static void checkProblem(String where, RawHttp.Response response) {
        JsonNode problem = json(where, response);
        if (problem == null) {
            return;
        }
        if (problem.path("status").asInt() != response.status() || !problem.path("type").isTextual()
                || !problem.path("title").isTextual()) {
            failures.add("problem+json without a matching status, a type and a title: " + where + " -> "
                    + RawHttp.abbreviate(response.text(), 300));
        }
    }

    private static void checkJsonRpcError(String where, RawHttp.Response response) {
        JsonNode body = json(where, response);
        if (body != null && !("2.0".equals(body.path("jsonrpc").asText()) && body.path("error").path("code").isInt()
                && body.path("error").path("message").isTextual())) {
            failures.add("not a JSON-RPC error: " + where + " -> " + RawHttp.abbreviate(response.text(), 300));
        }
    }

    private static JsonNode json(String where, RawHttp.Response response) {
        try {
            return FuzzInputs.parse(response.text());
        } catch (RuntimeException e) {
            failures.add("an error body that is not JSON: " + where + " -> " + RawHttp.abbreviate(response.text(),
                    200));
            return null;
        }
    }

    /** The JSON-RPC error of an answer (A2A and MCP answer errors with HTTP 200), or null. */
    private static JsonNode jsonRpcError(RawHttp.Response response) {
        if (!response.contentType().startsWith("application/json") || response.body().length == 0
                || response.body()[0] != '{') {
            return null;
        }
        try {
            JsonNode body = FuzzInputs.parse(response.text());
            return body.has("jsonrpc") && body.has("error") ? body.get("error") : null;
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    /** Turned away as bad input: a 4xx, or a JSON-RPC error (or a failed MCP tool call) with HTTP 200. */
    private static boolean refused(RawHttp.Response response) {
        if (response.status() >= 400 && response.status() < 500) {
            return true;
        }
        if (jsonRpcError(response) != null) {
            return true;
        }
        return response.status() == 200 && response.text().contains("\"isError\":true");
    }

    private static void expect(Operation operation, RawHttp.Request request, RawHttp.Response response,
                               boolean holds, String what) {
        if (!holds) {
            failures.add(what + ", got " + response.status() + ": " + request.describe() + " -> "
                    + RawHttp.abbreviate(response.text(), 240));
        }
    }

    // ---------------------------------------------------------------- nothing half-written

    /** Tables only requests write (no job or timer adds rows to them later), counted for the fuzzing tenant. */
    private static final List<String> WRITTEN_BY_REQUESTS = List.of("agents.agents", "agents.agent_versions",
            "orchestration.records", "orchestration.record_types", "orchestration.definitions",
            "orchestration.definition_versions", "sessions.sessions", "models.providers", "models.models",
            "models.masking_patterns", "tools.mcp_servers", "tools.email_accounts", "tools.email_messages",
            "tools.http_hosts", "tenancy.api_keys", "quota.limits", "orchestration.policies");
    /** And for a quiet tenant, everything it has. */
    private static final List<String> EVERYTHING = List.of("audit.entries", "dispatch.jobs", "billing.usage_events",
            "sessions.turns", "sessions.events", "orchestration.runs", "orchestration.approvals",
            "orchestration.record_changes", "tools.notes");

    private static Map<String, Long> counts() throws SQLException {
        Map<String, Long> counts = counts(fuzzer.id(), false);
        try (PreparedStatement statement = database.prepareStatement(
                "SELECT (SELECT count(*) FROM tenancy.tenants), (SELECT count(*) FROM admin.accounts)");
             ResultSet row = statement.executeQuery()) {
            row.next();
            counts.put("tenancy.tenants (all)", row.getLong(1));
            counts.put("admin.accounts (all)", row.getLong(2));
        }
        return counts;
    }

    private static Map<String, Long> counts(String tenant, boolean everything) throws SQLException {
        List<String> tables = new ArrayList<>(WRITTEN_BY_REQUESTS);
        if (everything) {
            tables.addAll(EVERYTHING);
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < tables.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(SELECT count(*) FROM ").append(tables.get(i))
                    .append(" WHERE tenant_id = ?::uuid)");
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        try (PreparedStatement statement = database.prepareStatement(sql.toString())) {
            for (int i = 0; i < tables.size(); i++) {
                statement.setString(i + 1, tenant);
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                for (int i = 0; i < tables.size(); i++) {
                    counts.put(tables.get(i), row.getLong(i + 1));
                }
            }
        }
        return counts;
    }

    /** After a refusal, the fuzzing tenant's rows (and all tenants and admin accounts) are as they were. */
    private static void checkNothingWritten(Operation operation, RawHttp.Request request, RawHttp.Response response,
                                            Map<String, Long> before) throws SQLException {
        if (!refused(response) || response.status() == 409 || response.status() == 429) {
            return;
        }
        Map<String, Long> after = counts();
        if (!after.equals(before)) {
            Map<String, String> changed = new LinkedHashMap<>();
            after.forEach((table, count) -> {
                if (!count.equals(before.get(table))) {
                    changed.put(table, before.get(table) + " -> " + count);
                }
            });
            failures.add("refused with " + response.status() + " but wrote " + changed + ": " + request.describe());
        }
    }

    private static void report(String phase) {
        System.out.println("[fuzz] " + phase + ": " + requests.get() + " requests so far, " + failures.size()
                + " failures");
        List<String> found = new ArrayList<>(failures);
        failures.clear();
        assertThat(found).as("[fuzz seed %d] %s: %d failures, the first: %s", SEED, phase, found.size(),
                String.join("\n", found.subList(0, Math.min(40, found.size())))).isEmpty();
    }
}
