package dev.steward.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.steward.orchestration.RunsApi.awaitRun;
import static dev.steward.orchestration.RunsApi.post;
import static org.hamcrest.Matchers.equalTo;

import dev.steward.testing.Api;
import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.FakeProvider;
import dev.steward.testing.LibertyServer;
import dev.steward.testing.StewardServer;
import dev.steward.testing.Tasks;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node killed (SIGKILL) while it runs a workflow's nodes: once the dead node's job leases expire, the other node
 * runs them again from the state the run had written, and the run ends with every node done and its changes
 * committed exactly once.
 */
@ExtendWith(StewardServer.class)
class WorkflowCrashIT {

    private static final int SPECIALISTS = 12;

    @Test
    void aRunWhoseNodeDiesInTheMiddleResumesAndCommitsOnce() {
        LibertyServer second = StewardServer.rig().startNode("steward-crash");
        try (FakeProvider slow = FakeProvider.start()) {
            slow.delay(Duration.ofMillis(1200));
            Api.TestTenant tenant = Api.newTenant("wf-crash");
            post(tenant, "/api/v1/providers", "{\"name\":\"slow\",\"type\":\"openai-compatible\",\"baseUrl\":\""
                    + slow.baseUrl() + "\"}");
            post(tenant, "/api/v1/models", "{\"name\":\"slow-model\",\"provider\":\"slow\",\"providerModel\":"
                    + "\"fake-gpt\",\"inputPrice\":1,\"outputPrice\":2}");
            post(tenant, "/api/v1/agents", "{\"name\":\"scorer\",\"kind\":\"llm\",\"model\":\"slow-model\","
                    + "\"proposes\":[{\"type\":\"lead\",\"actions\":[\"update\"],\"fields\":[\"score\"]}]}");
            String nodes = IntStream.rangeClosed(1, SPECIALISTS).mapToObj(i -> "{\"id\":\"s" + i + "\",\"kind\":"
                    + "\"agent\",\"agent\":\"scorer\",\"retries\":4}").collect(Collectors.joining(","));
            String edges = IntStream.rangeClosed(1, SPECIALISTS).mapToObj(i -> "{\"from\":\"s" + i + "\",\"to\":"
                    + "\"commit\"}").collect(Collectors.joining(","));
            post(tenant, "/api/v1/workflows", "{\"name\":\"fan-out\",\"nodes\":[" + nodes + ",{\"id\":\"commit\","
                    + "\"kind\":\"commit\"}],\"edges\":[" + edges + "]}");
            String lead = post(tenant, "/api/v1/records", "{\"type\":\"lead\",\"fields\":{\"score\":0}}");
            slow.reply("{\"actions\":[{\"action\":\"update\",\"record\":\"" + lead + "\",\"fields\":{\"score\":"
                    + "9}}],\"confidence\":0.9,\"reasoning\":\"fits\"}");

            String run = Api.as(tenant.key()).body("{\"workflow\":\"fan-out\",\"record\":\"" + lead + "\"}")
                    .post("/api/v1/runs").then().statusCode(201).extract().path("id");
            // Killed mid-call: a node runs at most 8 jobs at once, so with more than 8 calls in flight, and jobs
            // leased to the second node, some of them are the second node's.
            awaitTrue(() -> slow.inFlight() > 8 && runningOn("steward-crash") > 0, Duration.ofSeconds(30));
            second.kill();

            // The dead node's leases run out (a minute), then the surviving node picks its nodes up again.
            JsonPath done = awaitRun(tenant, run, r -> !List.of("running", "waiting").contains(r.getString("state")),
                    Duration.ofMinutes(3));
            assertThat(done.getString("state")).isEqualTo("succeeded");
            assertThat(done.getList("nodes.state")).containsOnly("succeeded");
            List<Integer> attempts = done.getList("nodes.attempts", Integer.class);
            // Some call was made again: the killed node had nodes in flight.
            assertThat(slow.requests().size()).isGreaterThan(SPECIALISTS);
            assertThat(attempts.stream().mapToInt(Integer::intValue).sum()).isGreaterThan(SPECIALISTS + 1);
            // Committed once: one version after the creation, whatever ran twice.
            Api.as(tenant.key()).get("/api/v1/records/" + lead).then().body("fields.score", equalTo(9))
                    .body("version", equalTo(2));
            Api.as(tenant.key()).get("/api/v1/records/" + lead + "/history").then().body("size()", equalTo(2));
            Api.as(tenant.key()).get("/api/v1/audit/verify").then().body("valid", equalTo(true));
        } finally {
            second.close();
        }
    }

    private static int runningOn(String node) {
        try (Connection db = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             PreparedStatement count = db.prepareStatement("SELECT count(*) FROM dispatch.jobs WHERE kind ="
                     + " 'workflow.node' AND state = 'running' AND lease_owner LIKE ?")) {
            count.setString(1, node + "/%");
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Not in time");
            }
            Tasks.pause(50);
        }
    }

}
