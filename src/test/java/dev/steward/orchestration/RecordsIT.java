package dev.steward.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.steward.testing.Api;
import dev.steward.testing.StewardServer;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records: created, read, changed only from the version read (a stale change is a 409, nothing lost), their history,
 * queries by type and field, tenant types with a schema, the audit trail, bad input by field, and another tenant's
 * records out of reach.
 */
@ExtendWith(StewardServer.class)
class RecordsIT {

    @Test
    void aRecordChangesOnlyFromTheVersionItWasReadAtAndKeepsItsHistory() {
        Api.TestTenant tenant = Api.newTenant("records-versions");
        String id = create(tenant, "{\"type\":\"lead\",\"fields\":{\"name\":\"Ada\",\"status\":\"new\"}}");
        Api.as(tenant.key()).get("/api/v1/records/" + id).then().statusCode(200).body("version", equalTo(1))
                .body("fields.name", equalTo("Ada"));

        Api.as(tenant.key()).body("{\"fields\":{\"name\":\"Ada\",\"status\":\"qualified\"},\"version\":1}")
                .put("/api/v1/records/" + id).then().statusCode(200).body("version", equalTo(2));
        // A second writer that read version 1 loses, and is told which version is current.
        Api.as(tenant.key()).body("{\"fields\":{\"name\":\"Ada\",\"status\":\"lost\"},\"version\":1}")
                .put("/api/v1/records/" + id).then().statusCode(409).contentType("application/problem+json")
                .body("detail", equalTo("The record changed since version 1; version 2 is current"));
        Api.as(tenant.key()).get("/api/v1/records/" + id).then().body("fields.status", equalTo("qualified"));

        JsonPath history = Api.as(tenant.key()).get("/api/v1/records/" + id + "/history").then().statusCode(200)
                .extract().jsonPath();
        assertThat(history.getList("change")).containsExactly("created", "updated");
        assertThat(history.getList("fields.status")).containsExactly("new", "qualified");
        assertThat(history.getString("[1].changedBy")).startsWith("api_key:");
        Api.as(tenant.key()).get("/api/v1/audit?record=" + id).then().statusCode(200)
                .body("action", equalTo(List.of("record.updated", "record.created")));

        Api.as(tenant.key()).delete("/api/v1/records/" + id).then().statusCode(204);
        Api.as(tenant.key()).get("/api/v1/records/" + id).then().statusCode(404);
    }

    @Test
    void recordsAreFoundByTypeAndFieldValues() {
        Api.TestTenant tenant = Api.newTenant("records-query");
        create(tenant, "{\"type\":\"lead\",\"fields\":{\"status\":\"new\",\"score\":7,\"hot\":true}}");
        create(tenant, "{\"type\":\"lead\",\"fields\":{\"status\":\"qualified\",\"score\":9}}");
        create(tenant, "{\"type\":\"task\",\"fields\":{\"status\":\"new\"}}");

        Api.as(tenant.key()).get("/api/v1/records?type=lead").then().statusCode(200).body("size()", equalTo(2));
        Api.as(tenant.key()).get("/api/v1/records?field.status=new").then().body("size()", equalTo(2));
        Api.as(tenant.key()).get("/api/v1/records?type=lead&field.status=new").then().body("size()", equalTo(1))
                .body("[0].fields.score", equalTo(7));
        Api.as(tenant.key()).get("/api/v1/records?field.score=9").then().body("size()", equalTo(1));
        Api.as(tenant.key()).get("/api/v1/records?field.hot=true").then().body("size()", equalTo(1));
        Api.as(tenant.key()).get("/api/v1/records?field.status=gone").then().body("size()", equalTo(0));
    }

    @Test
    void aTenantTypesSchemaHoldsItsRecordsFields() {
        Api.TestTenant tenant = Api.newTenant("records-types");
        Api.as(tenant.key()).body("{\"schema\":{\"type\":\"object\",\"required\":[\"sku\"],\"properties\":{"
                        + "\"sku\":{\"type\":\"string\",\"maxLength\":12},\"qty\":{\"type\":\"integer\",\"minimum\":1}}}}")
                .put("/api/v1/record-types/order").then().statusCode(200).body("name", equalTo("order"));
        create(tenant, "{\"type\":\"order\",\"fields\":{\"sku\":\"A-1\",\"qty\":2}}");
        Api.as(tenant.key()).body("{\"type\":\"order\",\"fields\":{\"qty\":0}}").post("/api/v1/records").then()
                .statusCode(400).body("errors.field", hasItem("fields.sku")).body("errors.field", hasItem("fields.qty"));
        Api.as(tenant.key()).get("/api/v1/record-types").then().statusCode(200)
                .body("name", equalTo(List.of("lead", "account", "opportunity", "case", "task", "order")));
        Api.as(tenant.key()).body("{\"schema\":{\"typo\":1}}").put("/api/v1/record-types/lead").then()
                .statusCode(400).body("errors.field", hasItem("name")).body("errors.field", hasItem("schema.typo"));
    }

    @Test
    void badInputIsRefusedByField() {
        Api.TestTenant tenant = Api.newTenant("records-input");
        Api.as(tenant.key()).body("{\"type\":\"planet\",\"fields\":{}}").post("/api/v1/records").then()
                .statusCode(400).body("errors.field", hasItem("type"));
        Api.as(tenant.key()).body("{\"type\":\"lead\"}").post("/api/v1/records").then().statusCode(400)
                .body("errors.field", hasItem("fields"));
        Api.as(tenant.key()).body("{\"type\":\"lead\",\"fields\":[1]}").post("/api/v1/records").then()
                .statusCode(400);
        String id = create(tenant, "{\"type\":\"lead\",\"fields\":{}}");
        Api.as(tenant.key()).body("{\"fields\":{}}").put("/api/v1/records/" + id).then().statusCode(400)
                .body("errors.field", hasItem("version"));
        Api.as(tenant.key()).get("/api/v1/records/not-an-id").then().statusCode(404);
        Api.as(tenant.key()).get("/api/v1/records?before=yesterday").then().statusCode(400)
                .body("errors.field", hasItem("before"));
    }

    @Test
    void anotherTenantsRecordsAreOutOfReach() {
        Api.TestTenant owner = Api.newTenant("records-owner");
        Api.TestTenant other = Api.newTenant("records-other");
        String id = create(owner, "{\"type\":\"account\",\"fields\":{\"name\":\"Secret Corp\"}}");
        Api.as(owner.key()).body("{\"schema\":{\"type\":\"object\"}}").put("/api/v1/record-types/private")
                .then().statusCode(200);

        Api.as(other.key()).get("/api/v1/records/" + id).then().statusCode(404);
        Api.as(other.key()).get("/api/v1/records/" + id + "/history").then().statusCode(404);
        Api.as(other.key()).body("{\"fields\":{\"name\":\"Mine\"},\"version\":1}").put("/api/v1/records/" + id)
                .then().statusCode(404);
        Api.as(other.key()).delete("/api/v1/records/" + id).then().statusCode(404);
        Api.as(other.key()).get("/api/v1/records?field.name=Secret%20Corp").then().body("size()", equalTo(0));
        Api.as(other.key()).body("{\"type\":\"private\",\"fields\":{}}").post("/api/v1/records").then()
                .statusCode(400).body("errors.field", hasItem("type"));
        Api.as(owner.key()).get("/api/v1/records/" + id).then().statusCode(200).body("version", equalTo(1));
        String readOnly = Api.issueKey(owner.id(), "[\"records:read\"]");
        Api.as(readOnly).body("{\"type\":\"lead\",\"fields\":{}}").post("/api/v1/records").then().statusCode(403);
    }

    private static String create(Api.TestTenant tenant, String json) {
        return Api.as(tenant.key()).body(json).post("/api/v1/records").then().statusCode(201).extract().path("id");
    }
}
