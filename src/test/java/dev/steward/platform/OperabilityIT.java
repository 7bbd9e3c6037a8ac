package dev.steward.platform;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.steward.testing.Api;
import dev.steward.testing.StewardServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Health, metrics, OpenAPI, and logs that carry the request id and an opaque tenant tag, never a key. */
@ExtendWith(StewardServer.class)
class OperabilityIT {

    @Test
    void healthEndpointsAnswer() {
        Api.anonymous().get("/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'database' }.data.detail", containsString("schema version"));
        Api.anonymous().get("/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsAndOpenApiAreServed() {
        Api.anonymous().get("/metrics").then().statusCode(200);
        Api.anonymous().accept("application/yaml").get("/openapi").then().statusCode(200)
                .body(containsString("/api/v1/admin/tenants")).body(containsString("/api/v1/me"))
                .body(containsString("application/problem+json")).body(containsString("#/components/schemas/Problem"));
        Api.anonymous().get("/openapi/ui/").then().statusCode(200);
    }

    @Test
    void logsCarryTheRequestIdAndTenantTagButNoSecret() throws IOException, InterruptedException {
        Api.TestTenant tenant = Api.newTenant("logs");
        String keyId = Api.as(tenant.key()).get("/api/v1/me").then().extract().path("keyId");
        String requestId = "log-" + UUID.randomUUID();
        Api.as(tenant.key()).header("X-Request-Id", requestId).delete("/api/v1/api-keys/" + keyId)
                .then().statusCode(204);
        String tag = Api.asOperator().get("/api/v1/admin/tenants/" + tenant.id()).then().extract().path("logTag");

        Path messages = StewardServer.rig().logDirectory().resolve("messages.log");
        String line = null;
        for (int attempt = 0; attempt < 50 && line == null; attempt++) {
            line = Files.readAllLines(messages).stream().filter(l -> l.contains(requestId)).findFirst().orElse(null);
            if (line == null) {
                Thread.sleep(100);
            }
        }
        assertTrue(line != null, "a log line carries request id " + requestId);
        assertTrue(line.contains("tenant=" + tag), line);
        String all = Files.readString(messages);
        assertFalse(all.contains(tenant.key()), "no API key in the log");
        assertFalse(all.contains(tenant.slug()), "no tenant slug in the log");
        assertFalse(all.contains(StewardServer.rig().adminToken()), "no operator token in the log");
    }
}
