package dev.steward.tenancy;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.steward.testing.Api;
import dev.steward.testing.StewardServer;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The platform operator's API and the tenant's own key management, over real HTTP. */
@ExtendWith(StewardServer.class)
class OperatorApiIT {

    @Test
    void createsListsAndGetsTenants() {
        String slug = "acme-" + UUID.randomUUID().toString().substring(0, 8);
        ValidatableResponse created = Api.asOperator().body("{\"slug\":\"" + slug + "\",\"name\":\"Acme\"}")
                .post("/api/v1/admin/tenants").then().statusCode(201)
                .header("Location", startsWith("http"))
                .body("slug", equalTo(slug)).body("status", equalTo("active")).body("id", notNullValue())
                .body("logTag", startsWith("t-"));
        String id = created.extract().path("id");
        Api.asOperator().get("/api/v1/admin/tenants").then().statusCode(200).body("slug", hasItem(slug));
        Api.asOperator().get("/api/v1/admin/tenants/" + id).then().statusCode(200).body("name", equalTo("Acme"));
    }

    @Test
    void aTakenSlugIsAConflictAndChangesNothing() {
        Api.TestTenant existing = Api.newTenant("dup");
        Api.asOperator().body("{\"slug\":\"" + existing.slug() + "\",\"name\":\"Other\"}")
                .post("/api/v1/admin/tenants").then().statusCode(409)
                .contentType("application/problem+json").body("type", equalTo("https://steward.dev/problems/conflict"));
        List<String> names = Api.asOperator().get("/api/v1/admin/tenants").then().extract().path("name");
        org.junit.jupiter.api.Assertions.assertFalse(names.contains("Other"), "no half-created tenant");
    }

    @Test
    void issuedKeysAreShownOnceAndStoredWithoutTheirSecret() {
        Api.TestTenant tenant = Api.newTenant("keys");
        ValidatableResponse issued = Api.asOperator().body("{\"name\":\"ci\",\"scopes\":[\"api-keys:read\"]}")
                .post("/api/v1/admin/tenants/" + tenant.id() + "/api-keys").then().statusCode(201)
                .body("key", startsWith("stw_")).body("scopes", equalTo(List.of("api-keys:read")));
        String key = issued.extract().path("key");
        String keyId = issued.extract().path("id");
        Api.asOperator().get("/api/v1/admin/tenants/" + tenant.id() + "/api-keys").then().statusCode(200)
                .body("id", hasItem(keyId)).body("key", not(hasItem(key))).body("find { it.id == '" + keyId + "' }.key",
                        nullValue());
        Api.as(key).get("/api/v1/me").then().statusCode(200).body("keyId", equalTo(keyId));
    }

    @Test
    void aKeyWithoutAScopeIsForbiddenThatAction() {
        Api.TestTenant tenant = Api.newTenant("scopes");
        String readOnly = Api.issueKey(tenant.id(), "[\"api-keys:read\"]");
        Api.as(readOnly).get("/api/v1/api-keys").then().statusCode(200);
        String someKeyId = Api.as(readOnly).get("/api/v1/api-keys").then().extract().path("[0].id");
        Api.as(readOnly).delete("/api/v1/api-keys/" + someKeyId).then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo("https://steward.dev/problems/forbidden"));
        Api.as(tenant.key()).get("/api/v1/me").then().statusCode(200);
    }

    @Test
    void revokedKeysStopWorkingAtOnce() {
        Api.TestTenant tenant = Api.newTenant("revoke");
        String second = Api.issueKey(tenant.id(), "[\"*\"]");
        String secondId = Api.as(second).get("/api/v1/me").then().extract().path("keyId");
        Api.as(tenant.key()).delete("/api/v1/api-keys/" + secondId).then().statusCode(204);
        Api.as(second).get("/api/v1/me").then().statusCode(401);
        Api.as(tenant.key()).get("/api/v1/api-keys").then().statusCode(200)
                .body("find { it.id == '" + secondId + "' }.revokedAt", notNullValue());

        String third = Api.issueKey(tenant.id(), "[\"*\"]");
        String thirdId = Api.as(third).get("/api/v1/me").then().extract().path("keyId");
        Api.asOperator().delete("/api/v1/admin/api-keys/" + thirdId).then().statusCode(204);
        Api.as(third).get("/api/v1/me").then().statusCode(401);
        Api.asOperator().delete("/api/v1/admin/api-keys/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void aSuspendedTenantsKeysStopWorkingAtOnceAndComeBackOnActivation() {
        Api.TestTenant tenant = Api.newTenant("suspend");
        Api.as(tenant.key()).get("/api/v1/me").then().statusCode(200);
        Api.asOperator().post("/api/v1/admin/tenants/" + tenant.id() + "/suspend").then().statusCode(200)
                .body("status", equalTo("suspended"));
        Api.as(tenant.key()).get("/api/v1/me").then().statusCode(403)
                .body("type", equalTo("https://steward.dev/problems/tenant-suspended"));
        Api.asOperator().post("/api/v1/admin/tenants/" + tenant.id() + "/activate").then().statusCode(200)
                .body("status", equalTo("active"));
        Api.as(tenant.key()).get("/api/v1/me").then().statusCode(200);
    }

    @Test
    void unknownTenantsAreNotFound() {
        String unknown = UUID.randomUUID().toString();
        Api.asOperator().get("/api/v1/admin/tenants/" + unknown).then().statusCode(404);
        Api.asOperator().post("/api/v1/admin/tenants/" + unknown + "/suspend").then().statusCode(404);
        Api.asOperator().body("{}").post("/api/v1/admin/tenants/" + unknown + "/api-keys").then().statusCode(404);
        Api.asOperator().get("/api/v1/admin/tenants/not-a-uuid").then().statusCode(404);
    }

    @Test
    void theOperatorApiNeedsTheOperatorToken() {
        Api.anonymous().get("/api/v1/admin/tenants").then().statusCode(401);
        Api.anonymous().auth().oauth2("wrong-token").get("/api/v1/admin/tenants").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void theDemoTenantIsSeededWithTheConfiguredKey() {
        Api.as(StewardServer.rig().demoKey()).get("/api/v1/me").then().statusCode(200)
                .body("tenantSlug", equalTo("demo")).body("scopes", equalTo(List.of("*")));
    }
}
