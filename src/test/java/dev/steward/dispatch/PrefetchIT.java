package dev.steward.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.testing.Api;
import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.StewardServer;
import dev.steward.testing.Tasks;
import dev.steward.testing.WebhookReceiver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dispatcher's prefetch on the real server: a kind that finishes fast (webhooks to a receiver answering in a few
 * milliseconds) is claimed beyond the node's free workers into a local buffer. Its guarantees still hold: a P0 jumps
 * the buffer, and buffered jobs count against concurrency limits.
 */
@ExtendWith(StewardServer.class)
class PrefetchIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static WebhookReceiver receiver;

    @BeforeAll
    static void startReceiver() {
        receiver = WebhookReceiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void aP0StartsAheadOfP3sAlreadyClaimedIntoTheBuffer() throws Exception {
        Api.TestTenant tenant = Api.newTenant("prefetch-p0");
        makeWebhooksFast(tenant);
        receiver.delay("/lane", 10);
        // One statement, so the dispatcher finds them all at once: about 0.8 s of work for 8 workers.
        insertWebhooks(tenant, "/lane", 3, 600);
        awaitStarted(tenant, 100);

        String urgent = Tasks.submit(tenant.key(), "{\"kind\":\"webhook\",\"priority\":\"P0\",\"payload\":{\"url\":\""
                + receiver.url("/lane") + "\"}}");
        assertThat(Tasks.awaitState(tenant.key(), urgent, "completed", WAIT)).isEqualTo("completed");
        awaitNoneLeft(tenant);

        // P3s claimed before the P0 (started_at is the claim's time) but called after it: the P0 jumped them.
        Set<String> claimedEarlier = claimedBefore(tenant, Long.parseLong(urgent));
        List<String> calls = receiver.calls("/lane").stream().map(WebhookReceiver.Call::idempotencyKey).toList();
        int urgentAt = calls.indexOf("steward-" + tenant.id() + "-" + urgent);
        long jumped = calls.subList(urgentAt + 1, calls.size()).stream().filter(claimedEarlier::contains).count();
        assertThat(urgentAt).isNotNegative();
        // Eight workers racing can reorder a few calls; a P0 that waited its turn in the buffer jumps none beyond
        // those.
        assertThat(jumped).as("buffered P3s the P0 started ahead of").isGreaterThan(8);
        assertThat(calls).hasSize(601);
    }

    @Test
    void bufferedJobsCountAgainstATenantsConcurrencyLimit() throws Exception {
        Api.TestTenant tenant = Api.newTenant("prefetch-limit");
        makeWebhooksFast(tenant);
        Api.asOperator().body("{\"concurrency\":5}")
                .put("/api/v1/admin/tenants/" + tenant.id() + "/quotas/tenant").then().statusCode(200);
        receiver.delay("/limited", 10);

        insertWebhooks(tenant, "/limited", 2, 200);
        int mostRunning = 0;
        Instant deadline = Instant.now().plus(WAIT);
        while (remaining(tenant) > 0 && Instant.now().isBefore(deadline)) {
            mostRunning = Math.max(mostRunning, running(tenant));
            Thread.sleep(2);
        }

        assertThat(remaining(tenant)).isZero();
        assertThat(receiver.mostInFlight("/limited")).isEqualTo(5);
        assertThat(mostRunning).as("running and buffered jobs, as the queue counts them").isLessThanOrEqualTo(5);
        assertThat(receiver.calls("/limited")).hasSize(200);
    }

    /** Enough quick webhooks that the node's dispatcher counts the kind as fast, whatever ran before. */
    private static void makeWebhooksFast(Api.TestTenant tenant) throws Exception {
        receiver.delay("/warm-up", 1);
        insertWebhooks(tenant, "/warm-up", 2, 40);
        awaitNoneLeft(tenant);
    }

    private static void insertWebhooks(Api.TestTenant tenant, String path, int priority, int count)
            throws SQLException {
        try (Connection db = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             PreparedStatement insert = db.prepareStatement("INSERT INTO dispatch.jobs (tenant_id, kind, priority,"
                     + " state, payload) SELECT ?::uuid, 'webhook', ?, 'available', jsonb_build_object('url', ?::text)"
                     + " FROM generate_series(1, ?)")) {
            insert.setString(1, tenant.id());
            insert.setInt(2, priority);
            insert.setString(3, receiver.url(path));
            insert.setInt(4, count);
            insert.execute();
        }
    }

    private static void awaitStarted(Api.TestTenant tenant, int count) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (count(tenant, "started_at IS NOT NULL") < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(5);
        }
    }

    private static void awaitNoneLeft(Api.TestTenant tenant) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (remaining(tenant) > 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(remaining(tenant)).isZero();
    }

    private static int remaining(Api.TestTenant tenant) throws SQLException {
        return count(tenant, "state <> 'completed'");
    }

    private static int running(Api.TestTenant tenant) throws SQLException {
        return count(tenant, "state = 'running'");
    }

    private static int count(Api.TestTenant tenant, String condition) throws SQLException {
        try (Connection db = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             PreparedStatement query = db.prepareStatement("SELECT count(*) FROM dispatch.jobs"
                     + " WHERE tenant_id = ?::uuid AND " + condition)) {
            query.setString(1, tenant.id());
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    /** The idempotency keys of the tenant's P3 jobs claimed before job {@code id} was. */
    private static Set<String> claimedBefore(Api.TestTenant tenant, long id) throws SQLException {
        try (Connection db = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             PreparedStatement query = db.prepareStatement("SELECT j.id FROM dispatch.jobs j, dispatch.jobs u"
                     + " WHERE j.tenant_id = ?::uuid AND u.tenant_id = j.tenant_id AND u.id = ? AND j.priority = 3"
                     + " AND j.started_at < u.started_at")) {
            query.setString(1, tenant.id());
            query.setLong(2, id);
            Set<String> keys = new HashSet<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    keys.add("steward-" + tenant.id() + "-" + rows.getLong(1));
                }
            }
            return keys;
        }
    }
}
