package dev.steward.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.steward.testing.Api;
import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.StewardServer;
import dev.steward.testing.Tasks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The queue's housekeeping on its persistent EJB timer (every 2 s in the test rig): a job left running by a node
 * that died comes back and runs again; finished jobs past retention are pruned.
 */
@ExtendWith(StewardServer.class)
class HousekeepingIT {

    @Test
    void aJobWhoseNodeDiedMidRunComesBackAndRunsAgain() throws Exception {
        Api.TestTenant tenant = Api.newTenant("housekeeping");
        // As a node that claimed the job and then died would leave it: running, its lease run out.
        long id = insert("INSERT INTO dispatch.jobs (tenant_id, kind, state, attempt, lease_owner,"
                + " lease_expires_at, started_at) VALUES ('" + tenant.id() + "', 'noop', 'running', 1, 'dead-node/1',"
                + " now() - interval '1 minute', now() - interval '2 minutes') RETURNING id");

        assertThat(Tasks.awaitState(tenant.key(), String.valueOf(id), "completed", Duration.ofSeconds(20)))
                .isEqualTo("completed");
        Api.as(tenant.key()).get("/api/v1/tasks/" + id).then().statusCode(200)
                .body("attempt", equalTo(2));
    }

    @Test
    void finishedJobsPastRetentionArePruned() throws Exception {
        Api.TestTenant tenant = Api.newTenant("housekeeping-prune");
        long old = insert("INSERT INTO dispatch.jobs (tenant_id, kind, state, finished_at) VALUES ('" + tenant.id()
                + "', 'noop', 'completed', now() - interval '100 days') RETURNING id");
        long recent = insert("INSERT INTO dispatch.jobs (tenant_id, kind, state, finished_at) VALUES ('"
                + tenant.id() + "', 'noop', 'completed', now()) RETURNING id");

        Instant deadline = Instant.now().plusSeconds(20);
        int status = 200;
        while (Instant.now().isBefore(deadline) && status == 200) {
            status = Api.as(tenant.key()).get("/api/v1/tasks/" + old).then().extract().statusCode();
            Tasks.pause(200);
        }
        assertThat(status).isEqualTo(404);
        Api.as(tenant.key()).get("/api/v1/tasks/" + recent).then().statusCode(200);
    }

    private static long insert(String sql) throws Exception {
        try (Connection db = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             Statement statement = db.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
