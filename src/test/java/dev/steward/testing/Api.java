package dev.steward.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;

/** Requests against the running Steward, as the operator, as a tenant's key, or as nobody. */
public final class Api {

    private Api() {
    }

    public static RequestSpecification anonymous() {
        return given().baseUri(StewardServer.rig().baseUri()).contentType(ContentType.JSON);
    }

    public static RequestSpecification asOperator() {
        return anonymous().auth().oauth2(StewardServer.rig().adminToken());
    }

    public static RequestSpecification as(String apiKey) {
        return anonymous().auth().oauth2(apiKey);
    }

    /** A new tenant with a unique slug and one all-scopes key. */
    public static TestTenant newTenant(String slugPrefix) {
        String slug = slugPrefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String id = asOperator().body("{\"slug\":\"" + slug + "\",\"name\":\"" + slugPrefix + " Inc\"}")
                .post("/api/v1/admin/tenants").then().statusCode(201).extract().path("id");
        String key = issueKey(id, "[\"*\"]");
        return new TestTenant(id, slug, key);
    }

    /** Issues a key for a tenant as the operator and returns the full key. */
    public static String issueKey(String tenantId, String scopesJson) {
        return asOperator().body("{\"name\":\"test key\",\"scopes\":" + scopesJson + "}")
                .post("/api/v1/admin/tenants/" + tenantId + "/api-keys").then().statusCode(201).extract().path("key");
    }

    public record TestTenant(String id, String slug, String key) {
    }
}
