package dev.steward.orchestration;

import dev.steward.testing.Api;
import dev.steward.testing.Tasks;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the workflow tests (and the admin UI's) do over the API: create things, start runs and wait for them to get
 * somewhere.
 */
public final class RunsApi {

    private RunsApi() {
    }

    /** POSTs {@code body}, expects 201 and returns the new id. */
    public static String post(Api.TestTenant tenant, String path, String body) {
        return Api.as(tenant.key()).body(body).post(path).then().statusCode(201).extract().path("id");
    }

    static Response startRun(Api.TestTenant tenant, String body, String idempotencyKey) {
        var request = Api.as(tenant.key()).body(body);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/api/v1/runs");
    }

    /** A field of one node of a run's view. */
    public static String node(JsonPath run, String node, String field) {
        return run.getString("nodes.find { it.id == '" + node + "' }." + field);
    }

    public static JsonPath awaitRun(Api.TestTenant tenant, String run, Predicate<JsonPath> done) {
        return awaitRun(tenant, run, done, Duration.ofSeconds(30));
    }

    /** Polls the run until {@code done} holds for its view, failing with the last view after {@code timeout}. */
    static JsonPath awaitRun(Api.TestTenant tenant, String run, Predicate<JsonPath> done, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        JsonPath last = null;
        while (Instant.now().isBefore(deadline)) {
            last = Api.as(tenant.key()).get("/api/v1/runs/" + run).then().statusCode(200).extract().jsonPath();
            if (done.test(last)) {
                return last;
            }
            Tasks.pause(100);
        }
        throw new AssertionError("The run did not get there in time: " + (last == null ? "" : last.prettify()));
    }

    /** Polls {@code probe} until it gives a value. */
    static <T> T await(Supplier<T> probe) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Tasks.pause(100);
        }
        throw new AssertionError("Nothing came in time");
    }
}
