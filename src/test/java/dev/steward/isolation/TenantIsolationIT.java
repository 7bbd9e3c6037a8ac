package dev.steward.isolation;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.steward.testing.Api;
import dev.steward.testing.StewardServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The isolation suite, part two: two tenants through the HTTP API. Tenant A cannot read, list, change or delete
 * B's resources; what belongs to another tenant answers 404, exactly like what does not exist. Later modules add
 * their endpoints here.
 */
@ExtendWith(StewardServer.class)
class TenantIsolationIT {

    private static Api.TestTenant a;
    private static Api.TestTenant b;
    private static String bKeyId;

    @BeforeAll
    static void twoTenants() {
        a = Api.newTenant("iso-a");
        b = Api.newTenant("iso-b");
        bKeyId = Api.as(b.key()).get("/api/v1/me").then().statusCode(200).extract().path("keyId");
    }

    @Test
    void eachKeySeesItsOwnTenant() {
        Api.as(a.key()).get("/api/v1/me").then().statusCode(200)
                .body("tenantId", equalTo(a.id())).body("tenantSlug", equalTo(a.slug()));
        Api.as(b.key()).get("/api/v1/me").then().statusCode(200)
                .body("tenantId", equalTo(b.id())).body("tenantSlug", equalTo(b.slug()));
    }

    @Test
    void listingKeysShowsOnlyTheCallersKeys() {
        Api.as(a.key()).get("/api/v1/api-keys").then().statusCode(200)
                .body("tenantId", everyItem(equalTo(a.id())))
                .body("id", not(hasItem(bKeyId)));
    }

    @Test
    void anotherTenantsKeyCannotBeRevokedAndLooksUnknown() {
        String unknown = "00000000-0000-4000-8000-000000000000";
        String notFoundType = Api.as(a.key()).delete("/api/v1/api-keys/" + unknown).then().statusCode(404)
                .extract().path("type");
        Api.as(a.key()).delete("/api/v1/api-keys/" + bKeyId).then().statusCode(404)
                .body("type", equalTo(notFoundType));
        // B's key still works.
        Api.as(b.key()).get("/api/v1/me").then().statusCode(200);
    }

    @Test
    void tasksSubmittedInABatchAreTheTenantsOwn() {
        String runAt = java.time.Instant.now().plus(java.time.Duration.ofHours(1)).toString();
        String body = "{\"tasks\":[{\"kind\":\"noop\",\"idempotencyKey\":\"iso-" + java.util.UUID.randomUUID()
                + "\",\"runAt\":\"" + runAt + "\"},{\"kind\":\"noop\",\"runAt\":\"" + runAt + "\"}]}";
        java.util.List<String> aIds = Api.as(a.key()).body(body).post("/api/v1/tasks/batch").then().statusCode(201)
                .extract().path("tasks.id");
        for (String id : aIds) {
            Api.as(b.key()).get("/api/v1/tasks/" + id).then().statusCode(404);
            Api.as(b.key()).post("/api/v1/tasks/" + id + "/cancel").then().statusCode(404);
            Api.as(b.key()).get("/api/v1/tasks").then().statusCode(200).body("id", not(hasItem(id)));
        }
        // The same body, idempotency key and all, from B: B's own new tasks, never an answer with A's.
        Api.as(b.key()).body(body).post("/api/v1/tasks/batch").then().statusCode(201)
                .body("tasks.created", everyItem(equalTo(true)))
                .body("tasks.id", not(hasItem(aIds.get(0)))).body("tasks.id", not(hasItem(aIds.get(1))));
        for (String id : aIds) {
            Api.as(a.key()).get("/api/v1/tasks/" + id).then().statusCode(200).body("state", equalTo("scheduled"));
        }
    }

    @Test
    void aTenantKeyIsNotAnOperatorCredential() {
        Api.as(a.key()).get("/api/v1/admin/tenants").then().statusCode(401);
        Api.as(a.key()).post("/api/v1/admin/tenants/" + b.id() + "/suspend").then().statusCode(401);
        Api.as(a.key()).post("/api/v1/admin/tenants/" + b.id() + "/api-keys").then().statusCode(401);
        Api.as(a.key()).delete("/api/v1/admin/api-keys/" + bKeyId).then().statusCode(401);
        Api.as(b.key()).get("/api/v1/me").then().statusCode(200);
    }

    @Test
    void pathTricksDoNotRouteAroundAuthentication() {
        // Matrix parameters and encodings change the raw path but not the resource it routes to.
        for (String path : new String[] {"/api;x/v1/admin/tenants", "/api/v1;x/admin/tenants",
                "/api/v1/admin;x/tenants", "/api/%761/admin/tenants", "/api//v1/admin/tenants"}) {
            int anonymous = Api.anonymous().urlEncodingEnabled(false).get(path).then().extract().statusCode();
            int withTenantKey = Api.as(a.key()).urlEncodingEnabled(false).get(path).then().extract().statusCode();
            org.junit.jupiter.api.Assertions.assertTrue(anonymous == 401 || anonymous == 404, path + " -> " + anonymous);
            org.junit.jupiter.api.Assertions.assertTrue(withTenantKey == 401 || withTenantKey == 404,
                    path + " with a tenant key -> " + withTenantKey);
        }
        Api.anonymous().urlEncodingEnabled(false).get("/api;x/v1/me").then().statusCode(401);
        Api.anonymous().urlEncodingEnabled(false).post("/api;x/v1/admin/tenants/" + b.id() + "/api-keys")
                .then().statusCode(401);
    }

    @Test
    void theOperatorTokenIsNotATenantCredential() {
        Api.anonymous().auth().oauth2(StewardServer.rig().adminToken()).get("/api/v1/me").then().statusCode(401);
    }
}
