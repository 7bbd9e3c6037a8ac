package dev.steward.orchestration.internal;

import dev.steward.shared.CurrentRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Rows of the approvals queue of the tenant in scope, and the outbox approved messages go to. */
@ApplicationScoped
class ApprovalStore {

    private static final String COLUMNS = "id, run_id, node, record_id, agent_id, action::text AS action,"
            + " confidence, reasoning, reason, state, expires_at, created_at, decided_at, decided_by, comment";
    private static final String INSERT = "INSERT INTO orchestration.approvals (tenant_id, id, run_id, node,"
            + " record_id, agent_id, action, confidence, reasoning, reason, state, expires_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, 'pending', ?)";
    private static final String FIND = "SELECT " + COLUMNS + " FROM orchestration.approvals WHERE id = ?";
    private static final String LIST = "SELECT " + COLUMNS + " FROM orchestration.approvals"
            + " WHERE (?::text IS NULL OR state = ?::text) AND (?::uuid IS NULL OR run_id = ?::uuid)"
            + " AND (?::timestamptz IS NULL OR created_at < ?::timestamptz) ORDER BY created_at DESC, id LIMIT ?";
    private static final String OF_NODE = "SELECT " + COLUMNS + " FROM orchestration.approvals"
            + " WHERE run_id = ? AND node = ? ORDER BY created_at, id";
    private static final String DECIDE = "UPDATE orchestration.approvals SET state = ?, decided_at = now(),"
            + " decided_by = ?, comment = ? WHERE id = ? AND state = 'pending'";
    private static final String CANCEL = "UPDATE orchestration.approvals SET state = 'cancelled', decided_at = now()"
            + " WHERE run_id = ? AND state = 'pending'";
    private static final String OUTBOX = "INSERT INTO orchestration.outbox (tenant_id, id, approval_id, channel,"
            + " message, state) VALUES (?, ?, ?, ?, ?::jsonb, ?) ON CONFLICT (tenant_id, approval_id) DO NOTHING";

    @Inject
    Jdbc jdbc;

    record Approval(UUID id, UUID runId, String node, UUID recordId, UUID agentId, JsonObject action,
                    BigDecimal confidence, String reasoning, String reason, String state, Instant expiresAt,
                    Instant createdAt, Instant decidedAt, String decidedBy, String comment) {
    }

    /** A new pending approval. */
    record NewApproval(UUID runId, String node, UUID recordId, UUID agentId, JsonObject action,
                       BigDecimal confidence, String reasoning, String reason, Instant expiresAt) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    UUID insert(NewApproval approval) {
        UUID id = UUID.randomUUID();
        jdbc.update(INSERT, CurrentRequest.get().requireTenant().value(), id, approval.runId(), approval.node(),
                approval.recordId(), approval.agentId(), approval.action().toString(), approval.confidence(),
                approval.reasoning(), approval.reason(), approval.expiresAt());
        return id;
    }

    @Transactional
    Optional<Approval> find(UUID id) {
        return query(FIND, id).stream().findFirst();
    }

    @Transactional
    List<Approval> list(String state, UUID run, Instant before, int limit) {
        return query(LIST, state, state, run, run, before, before, limit);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    List<Approval> ofNode(UUID run, String node) {
        return query(OF_NODE, run, node);
    }

    /** Whether the pending approval took the decision (false: it was decided, expired or cancelled before). */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean decide(UUID id, String state, String comment) {
        return update(DECIDE, state, CurrentRequest.get().principal().tag(), comment, id) == 1;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void cancelPending(UUID run) {
        update(CANCEL, run);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void outbox(UUID approval, String channel, JsonObject message, String state) {
        update(OUTBOX, CurrentRequest.get().requireTenant().value(), UUID.randomUUID(), approval, channel,
                message.toString(), state);
    }

    private int update(String sql, Object... parameters) {
        return jdbc.update(sql, parameters);
    }

    private List<Approval> query(String sql, Object... parameters) {
        return jdbc.query(sql, ApprovalStore::approval, parameters);
    }

    private static Approval approval(ResultSet row) throws SQLException {
        return new Approval(Jdbc.uuid(row, "id"), Jdbc.uuid(row, "run_id"), row.getString("node"),
                Jdbc.uuid(row, "record_id"), Jdbc.uuid(row, "agent_id"), Jdbc.json(row.getString("action")),
                row.getBigDecimal("confidence"), row.getString("reasoning"), row.getString("reason"),
                row.getString("state"), Jdbc.instant(row, "expires_at"), Jdbc.instant(row, "created_at"),
                Jdbc.instant(row, "decided_at"), row.getString("decided_by"), row.getString("comment"));
    }
}
