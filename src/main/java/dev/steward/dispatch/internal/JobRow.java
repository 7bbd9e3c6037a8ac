package dev.steward.dispatch.internal;

import dev.steward.dispatch.api.Job;
import dev.steward.dispatch.api.JobState;
import dev.steward.dispatch.api.Priority;
import dev.steward.quota.api.Demand;
import dev.steward.shared.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** One row of {@code dispatch.jobs}, as {@link JobQueries#COLUMNS} reads it. */
record JobRow(long id, TenantId tenant, String kind, Priority priority, String payloadJson, JobState state,
              int attempt, int maxAttempts, Instant runAt, Instant createdAt, Instant startedAt, Instant finishedAt,
              String lastError, String idempotencyKey, UUID agent, List<String> resources, int tokens,
              int deferrals, String deferredBy, int dependencyDeferrals) {

    static JobRow read(ResultSet row) throws SQLException {
        return new JobRow(row.getLong("id"), new TenantId(row.getObject("tenant_id", UUID.class)),
                row.getString("kind"), Priority.ofLevel(row.getInt("priority")), row.getString("payload"),
                JobState.fromWire(row.getString("state")), row.getInt("attempt"), row.getInt("max_attempts"),
                instant(row, "run_at"), instant(row, "created_at"), instant(row, "started_at"),
                instant(row, "finished_at"), row.getString("last_error"), row.getString("idempotency_key"),
                row.getObject("agent_id", UUID.class), List.of((String[]) row.getArray("resource_keys").getArray()),
                row.getInt("tokens"), row.getInt("deferrals"), row.getString("deferred_by"),
                row.getInt("dependency_deferrals"));
    }

    /** What the job draws on, for admission. */
    Demand demand() {
        return new Demand(tenant, agent, resources, tokens);
    }

    Job toJob() {
        return new Job(id, tenant, kind, priority, payloadJson, attempt, maxAttempts);
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
