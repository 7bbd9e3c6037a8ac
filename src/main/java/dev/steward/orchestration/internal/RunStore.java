package dev.steward.orchestration.internal;

import dev.steward.shared.CurrentRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Rows of runs, their nodes and record leases, for the tenant in scope. Callers hold the transaction; changes to a
 * run and its nodes are made under the run's row lock ({@link #lock}), so concurrent node jobs of one run apply
 * their steps one at a time.
 */
@ApplicationScoped
class RunStore {

    private static final String RUN_COLUMNS = "r.id, r.workflow_id, r.workflow_version, d.name AS workflow,"
            + " r.record_id, r.rule_id, r.rule_version, r.on_locked, r.trigger::text AS trigger, r.trigger_key,"
            + " r.state, r.merged_into, r.context::text AS context, r.context_key, r.error, r.created_at,"
            + " r.started_at, r.finished_at";
    private static final String RUNS = "SELECT " + RUN_COLUMNS + " FROM orchestration.runs r"
            + " JOIN orchestration.definitions d ON d.tenant_id = r.tenant_id AND d.id = r.workflow_id";
    private static final String LOCK = "SELECT id FROM orchestration.runs WHERE id = ? FOR UPDATE";
    private static final String INSERT = "INSERT INTO orchestration.runs (tenant_id, id, workflow_id,"
            + " workflow_version, record_id, rule_id, rule_version, on_locked, trigger, trigger_key, state)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, 'waiting')"
            + " ON CONFLICT (tenant_id, trigger_key) DO NOTHING";
    private static final String LIST = RUNS + " WHERE (?::text IS NULL OR r.state = ?::text)"
            + " AND (?::uuid IS NULL OR r.workflow_id = ?::uuid) AND (?::uuid IS NULL OR r.record_id = ?::uuid)"
            + " AND (?::timestamptz IS NULL OR r.created_at < ?::timestamptz) ORDER BY r.created_at DESC LIMIT ?";
    private static final String NODE_COLUMNS = "node, kind, label, state, attempts, output::text AS output, error,"
            + " wake_at, started_at, finished_at";
    private static final String NODES = "SELECT " + NODE_COLUMNS + " FROM orchestration.run_nodes WHERE run_id = ?"
            + " ORDER BY started_at NULLS LAST, node";
    private static final String INSERT_NODE = "INSERT INTO orchestration.run_nodes (tenant_id, run_id, node, kind,"
            + " label, state) VALUES (?, ?, ?, ?, ?, 'pending') ON CONFLICT DO NOTHING";
    private static final String SET_NODE = "UPDATE orchestration.run_nodes SET state = ?,"
            + " output = coalesce(?::jsonb, output), error = coalesce(?, error), wake_at = ?, awaits_event = NULL,"
            + " attempts = attempts + ?, started_at = CASE WHEN ? = 'running' THEN coalesce(started_at, now())"
            + " ELSE started_at END, finished_at = CASE WHEN ? IN ('succeeded', 'failed', 'skipped', 'cancelled')"
            + " THEN now() ELSE NULL END WHERE run_id = ? AND node = ?";
    private static final String END_NODES = "UPDATE orchestration.run_nodes SET state = 'cancelled',"
            + " awaits_event = NULL, finished_at = now() WHERE run_id = ? AND state IN ('pending', 'queued', 'running', 'waiting')";
    private static final String SET_RUN = "UPDATE orchestration.runs SET state = ?, error = coalesce(?, error),"
            + " merged_into = coalesce(?, merged_into),"
            + " started_at = CASE WHEN ? = 'running' THEN now() ELSE started_at END,"
            + " finished_at = CASE WHEN ? IN ('succeeded', 'failed', 'cancelled', 'rejected', 'merged') THEN now()"
            + " ELSE NULL END WHERE id = ?";
    private static final String SET_CONTEXT = "UPDATE orchestration.runs SET context = ?::jsonb, context_key = ?"
            + " WHERE id = ?";
    private static final String TAKE_LEASE = "INSERT INTO orchestration.record_leases (tenant_id, record_id, run_id)"
            + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String AWAIT = "UPDATE orchestration.run_nodes SET awaits_event = ?"
            + " WHERE run_id = ? AND node = ? AND state = 'waiting'";
    private static final String AWAITING = "SELECT n.run_id, n.node, r.record_id FROM orchestration.run_nodes n"
            + " JOIN orchestration.runs r ON r.tenant_id = n.tenant_id AND r.id = n.run_id"
            + " WHERE n.awaits_event = ? AND n.state = 'waiting' AND r.state = 'running'"
            + " AND (?::uuid IS NULL OR r.record_id IS NULL OR r.record_id = ?::uuid)"
            + " AND (?::uuid IS NULL OR r.id <> ?::uuid)"
            + " ORDER BY r.created_at, r.id, n.node LIMIT ?";
    private static final String ANY_AWAITING = "SELECT 1 FROM orchestration.run_nodes WHERE awaits_event IS NOT NULL"
            + " LIMIT 1";
    private static final String HOLDER = "SELECT run_id FROM orchestration.record_leases WHERE record_id = ?";
    private static final String RELEASE = "DELETE FROM orchestration.record_leases WHERE record_id = ? AND run_id = ?";
    private static final String NEXT_WAITING = "SELECT id FROM orchestration.runs WHERE record_id = ?"
            + " AND state = 'waiting' ORDER BY created_at, id LIMIT 1";
    private static final String ACTIVITY = "SELECT r.id, d.name AS workflow, r.state, n.node, n.label, n.state"
            + " AS node_state FROM orchestration.runs r"
            + " JOIN orchestration.definitions d ON d.tenant_id = r.tenant_id AND d.id = r.workflow_id"
            + " LEFT JOIN orchestration.run_nodes n ON n.tenant_id = r.tenant_id AND n.run_id = r.id"
            + " AND n.state IN ('queued', 'running', 'waiting')"
            + " WHERE r.record_id = ? AND r.state IN ('waiting', 'running') ORDER BY r.created_at, n.node";

    @Inject
    Jdbc jdbc;

    record Run(UUID id, UUID workflowId, int workflowVersion, String workflow, UUID recordId, UUID ruleId,
               Integer ruleVersion, String onLocked, JsonObject trigger, String triggerKey, String state,
               UUID mergedInto, JsonObject context, String contextKey, String error, Instant createdAt,
               Instant startedAt, Instant finishedAt) {

        boolean ended() {
            return !state.equals("waiting") && !state.equals("running");
        }
    }

    record Node(String node, String kind, String label, String state, int attempts, JsonObject output,
                String error, Instant wakeAt, Instant startedAt, Instant finishedAt) {

        boolean ended() {
            return List.of("succeeded", "failed", "skipped", "cancelled").contains(state);
        }
    }

    /** What a new run starts from. */
    record NewRun(UUID workflowId, int workflowVersion, UUID recordId, UUID ruleId, Integer ruleVersion,
                  String onLocked, JsonObject trigger, String triggerKey) {
    }

    /** A node waiting for an event, in a run that works on {@code record} (null if none). */
    record Awaiting(UUID run, String node, UUID record) {
    }

    /** A record's place in the runs that hold or wait for it: the run, its workflow and what its nodes are doing. */
    record Activity(UUID run, String workflow, String state, String node, String label, String nodeState) {
    }

    /** The new run's id (in state waiting); empty when a run with the same trigger key exists. */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<UUID> insert(NewRun run) {
        UUID id = UUID.randomUUID();
        int inserted = jdbc.work(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setObject(1, CurrentRequest.get().requireTenant().value());
                insert.setObject(2, id);
                insert.setObject(3, run.workflowId());
                insert.setInt(4, run.workflowVersion());
                insert.setObject(5, run.recordId());
                insert.setObject(6, run.ruleId());
                insert.setObject(7, run.ruleVersion(), Types.INTEGER);
                insert.setString(8, run.onLocked());
                insert.setString(9, run.trigger().toString());
                insert.setString(10, run.triggerKey());
                return insert.executeUpdate();
            }
        });
        return inserted == 1 ? Optional.of(id) : Optional.empty();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    Optional<Run> byTriggerKey(String key) {
        return runs(RUNS + " WHERE r.trigger_key = ?", key).stream().findFirst();
    }

    /** The run, its row locked until the transaction ends. */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<Run> lock(UUID id) {
        boolean found = !jdbc.query(LOCK, row -> true, id).isEmpty();
        return found ? find(id) : Optional.empty();
    }

    @Transactional
    Optional<Run> find(UUID id) {
        return runs(RUNS + " WHERE r.id = ?", id).stream().findFirst();
    }

    @Transactional
    List<Run> list(String state, UUID workflow, UUID record, Instant before, int limit) {
        return runs(LIST, state, state, workflow, workflow, record, record, before, before, limit);
    }

    @Transactional
    List<Node> nodes(UUID run) {
        return jdbc.query(NODES, row -> new Node(row.getString("node"), row.getString("kind"),
                row.getString("label"), row.getString("state"), row.getInt("attempts"),
                Jdbc.json(row.getString("output")), row.getString("error"), Jdbc.instant(row, "wake_at"),
                Jdbc.instant(row, "started_at"), Jdbc.instant(row, "finished_at")), run);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void insertNodes(UUID run, WorkflowDefinition workflow) {
        jdbc.work(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_NODE)) {
                for (WorkflowDefinition.Node node : workflow.nodes()) {
                    insert.setObject(1, CurrentRequest.get().requireTenant().value());
                    insert.setObject(2, run);
                    insert.setString(3, node.id());
                    insert.setString(4, node.kind());
                    insert.setString(5, node.label());
                    insert.addBatch();
                }
                return insert.executeBatch().length;
            }
        });
    }

    /**
     * Moves a node: its new state, its output and error when given (kept otherwise), when a waiting node wakes, and
     * whether this begins an attempt.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void setNode(UUID run, String node, String state, JsonObject output, String error, Instant wakeAt,
                 boolean attempt) {
        update(SET_NODE, state, output == null ? null : output.toString(), error, wakeAt, attempt ? 1 : 0, state,
                state, run, node);
    }

    /** The waiting node waits for {@code event}: the next such event that its condition accepts wakes it. */
    @Transactional(Transactional.TxType.MANDATORY)
    void awaitEvent(UUID run, String node, String event) {
        update(AWAIT, event, run, node);
    }

    /**
     * Nodes of running runs that wait for {@code event}: in runs on {@code record} or on none (any run when it is
     * null), not in {@code exceptRun}; oldest run first, at most {@code limit}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    List<Awaiting> awaiting(String event, UUID record, UUID exceptRun, int limit) {
        return jdbc.query(AWAITING, row -> new Awaiting(Jdbc.uuid(row, "run_id"), row.getString("node"),
                Jdbc.uuid(row, "record_id")), event, record, record, exceptRun, exceptRun, limit);
    }

    /** Whether any node of the tenant waits for an event (if none, record changes need not become triggers). */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean anyAwaiting() {
        return !jdbc.query(ANY_AWAITING, row -> true).isEmpty();
    }

    /** Cancels the run's nodes that have not ended. */
    @Transactional(Transactional.TxType.MANDATORY)
    void endNodes(UUID run) {
        update(END_NODES, run);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void setState(UUID run, String state, String error, UUID mergedInto) {
        update(SET_RUN, state, error, mergedInto, state, state, run);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void setContext(UUID run, JsonObject context, String key) {
        update(SET_CONTEXT, context.toString(), key, run);
    }

    /** Whether the run now holds the record's lease (it may have held it already). */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean takeLease(UUID record, UUID run) {
        update(TAKE_LEASE, CurrentRequest.get().requireTenant().value(), record, run);
        return holder(record).map(run::equals).orElse(false);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    Optional<UUID> holder(UUID record) {
        return jdbc.query(HOLDER, row -> Jdbc.uuid(row, "run_id"), record).stream().findFirst();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void releaseLease(UUID record, UUID run) {
        update(RELEASE, record, run);
    }

    /** The oldest run waiting for the record's lease. */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<UUID> nextWaiting(UUID record) {
        return jdbc.query(NEXT_WAITING, row -> Jdbc.uuid(row, "id"), record).stream().findFirst();
    }

    @Transactional
    List<Activity> activity(UUID record) {
        return jdbc.query(ACTIVITY, row -> new Activity(Jdbc.uuid(row, "id"), row.getString("workflow"),
                row.getString("state"), row.getString("node"), row.getString("label"), row.getString("node_state")),
                record);
    }

    private void update(String sql, Object... parameters) {
        jdbc.update(sql, parameters);
    }

    private List<Run> runs(String sql, Object... parameters) {
        return jdbc.query(sql, RunStore::run, parameters);
    }

    private static Run run(ResultSet row) throws SQLException {
        return new Run(Jdbc.uuid(row, "id"), Jdbc.uuid(row, "workflow_id"), row.getInt("workflow_version"),
                row.getString("workflow"), Jdbc.uuid(row, "record_id"), Jdbc.uuid(row, "rule_id"),
                row.getObject("rule_version", Integer.class), row.getString("on_locked"),
                Jdbc.json(row.getString("trigger")),
                row.getString("trigger_key"), row.getString("state"), Jdbc.uuid(row, "merged_into"),
                Jdbc.json(row.getString("context")), row.getString("context_key"), row.getString("error"),
                Jdbc.instant(row, "created_at"), Jdbc.instant(row, "started_at"), Jdbc.instant(row, "finished_at"));
    }
}
