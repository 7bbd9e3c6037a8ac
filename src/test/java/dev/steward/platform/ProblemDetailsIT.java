package dev.steward.platform;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.steward.testing.Api;
import dev.steward.testing.StewardServer;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input gets a clear error and loses nothing: every 4xx is application/problem+json with a stable type, a
 * title, the status and the request id; validation errors name their fields; stack traces never leak.
 */
@ExtendWith(StewardServer.class)
class ProblemDetailsIT {

    private static final String PROBLEMS = "https://steward.dev/problems/";

    private static ValidatableResponse isProblem(ValidatableResponse response, int status, String type) {
        return response.statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + type))
                .body("title", notNullValue())
                .body("status", equalTo(status))
                .body("requestId", notNullValue())
                .body(not(containsString("Exception")))
                .body(not(containsString("\tat ")));
    }

    @Test
    void malformedJsonIs400() {
        isProblem(Api.asOperator().body("{\"slug\": \"x\", \"name").post("/api/v1/admin/tenants").then(),
                400, "malformed-request").body("detail", containsString("line 1"));
        isProblem(Api.asOperator().body("[1, 2]").post("/api/v1/admin/tenants").then(), 400, "malformed-request");
        isProblem(Api.asOperator().body("{\"name\": {\"nested\": true}, \"slug\": \"ok\"}")
                .post("/api/v1/admin/tenants").then(), 400, "malformed-request");
    }

    @Test
    void validationErrorsNameTheirFields() {
        isProblem(Api.asOperator().body("{\"slug\": \"Not A Slug\"}").post("/api/v1/admin/tenants").then(),
                400, "validation-failed")
                .body("errors.field", hasItems("slug", "name"));
        Api.TestTenant tenant = Api.newTenant("fields");
        isProblem(Api.asOperator().body("{\"scopes\": [\"api-keys:read\", \"launch-rockets\"]}")
                .post("/api/v1/admin/tenants/" + tenant.id() + "/api-keys").then(), 400, "validation-failed")
                .body("errors.field", equalTo(List.of("scopes[1]")));
        // Nothing was created by the refused request.
        Api.as(tenant.key()).get("/api/v1/api-keys").then().statusCode(200).body("size()", equalTo(1));
    }

    @Test
    void aMissingBodyIsRefused() {
        isProblem(Api.asOperator().post("/api/v1/admin/tenants").then(), 400, "malformed-request");
    }

    @Test
    void oversizedBodiesAre413WhetherDeclaredOrStreamed() {
        String big = "{\"slug\":\"big\",\"name\":\"" + "x".repeat(70_000) + "\"}";
        isProblem(Api.asOperator().body(big).post("/api/v1/admin/tenants").then(), 413, "payload-too-large");
        isProblem(Api.asOperator().body(new java.io.ByteArrayInputStream(big.getBytes()))
                .post("/api/v1/admin/tenants").then(), 413, "payload-too-large");
    }

    @Test
    void missingOrBadKeysAre401() {
        isProblem(Api.anonymous().get("/api/v1/me").then(), 401, "unauthenticated");
        isProblem(Api.as("stw_aaaaaaaaaaaa_" + "A".repeat(43)).get("/api/v1/me").then(), 401, "unauthenticated");
        isProblem(Api.as("not-even-a-key").get("/api/v1/me").then(), 401, "unauthenticated");
        isProblem(Api.anonymous().header("Authorization", "Basic dXNlcjpwYXNz").get("/api/v1/me").then(),
                401, "unauthenticated");
    }

    @Test
    void unknownPathsMethodsAndMediaTypesGetTheirStatus() {
        isProblem(Api.anonymous().get("/no/such/thing").then(), 404, "not-found");
        isProblem(Api.as(StewardServer.rig().demoKey()).get("/api/v1/no-such-resource").then(), 404, "not-found");
        isProblem(Api.as(StewardServer.rig().demoKey()).put("/api/v1/me").then(), 405, "method-not-allowed")
                .header("Allow", containsString("GET"));
        isProblem(Api.asOperator().contentType(ContentType.TEXT).body("slug=x").post("/api/v1/admin/tenants").then(),
                415, "unsupported-media-type");
        isProblem(Api.as(StewardServer.rig().demoKey()).accept(ContentType.XML).get("/api/v1/me").then(),
                406, "not-acceptable");
    }

    @Test
    void requestIdsAreEchoedOrMade() {
        Api.anonymous().header("X-Request-Id", "trace-me-123").get("/api/v1/me").then().statusCode(401)
                .header("X-Request-Id", "trace-me-123").body("requestId", equalTo("trace-me-123"));
        String made = Api.anonymous().header("X-Request-Id", "bad id with spaces\u0007").get("/api/v1/me").then()
                .extract().header("X-Request-Id");
        org.junit.jupiter.api.Assertions.assertTrue(made.matches("[0-9a-f-]{36}"), made);
        Api.anonymous().get("/health/ready").then().statusCode(200);
        Api.as(StewardServer.rig().demoKey()).get("/api/v1/me").then().statusCode(200)
                .header("X-Request-Id", notNullValue());
    }

    @Test
    void clientErrorsNeverCarryInternals() {
        Api.as(StewardServer.rig().demoKey()).delete("/api/v1/api-keys/'; DROP TABLE x; --").then().statusCode(404)
                .body(not(containsString("SQL")));
        Api.asOperator().get("/api/v1/admin/tenants").then().statusCode(200).body("slug", hasItem("demo"));
    }
}
