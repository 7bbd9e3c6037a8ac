package dev.steward.orchestration.internal;

import dev.steward.shared.CurrentRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonString;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/** The tenant's supervisor policy; a tenant that never set one has the default. */
@ApplicationScoped
class PolicyStore {

    private static final String FIND = "SELECT conflict_ranks::text AS ranks, confidence_threshold,"
            + " approval_ttl_seconds FROM orchestration.policies";
    private static final String PUT = "INSERT INTO orchestration.policies (tenant_id, conflict_ranks,"
            + " confidence_threshold, approval_ttl_seconds) VALUES (?, ?::jsonb, ?, ?) ON CONFLICT (tenant_id)"
            + " DO UPDATE SET conflict_ranks = excluded.conflict_ranks, confidence_threshold ="
            + " excluded.confidence_threshold, approval_ttl_seconds = excluded.approval_ttl_seconds,"
            + " updated_at = now()";

    /**
     * Which capabilities win a conflict over one field, first wins (an agent ranks by its best capability; an agent
     * with none of them ranks last); below which confidence a proposal waits for a person; how long it waits.
     */
    record Policy(List<String> conflictRanks, BigDecimal confidenceThreshold, Duration approvalTtl) {

        static final Policy DEFAULT = new Policy(List.of("compliance", "service", "sales"), new BigDecimal("0.6"),
                Duration.ofDays(3));

        int rank(List<String> capabilities) {
            return capabilities.stream().mapToInt(conflictRanks::indexOf).filter(i -> i >= 0).min()
                    .orElse(conflictRanks.size());
        }
    }

    @Inject
    Jdbc jdbc;

    @Transactional
    Policy get() {
        return jdbc.query(FIND, row -> new Policy(Jdbc.jsonArray(row.getString("ranks")).getValuesAs(JsonString.class)
                        .stream().map(JsonString::getString).toList(), row.getBigDecimal("confidence_threshold"),
                Duration.ofSeconds(row.getInt("approval_ttl_seconds")))).stream().findFirst().orElse(Policy.DEFAULT);
    }

    @Transactional
    Policy put(Policy policy) {
        jdbc.update(PUT, CurrentRequest.get().requireTenant().value(),
                Json.createArrayBuilder(policy.conflictRanks()).build().toString(), policy.confidenceThreshold(),
                (int) policy.approvalTtl().toSeconds());
        return get();
    }
}
