package dev.steward.orchestration.internal;

import dev.steward.orchestration.api.RunHistory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@link RunHistory} over the runs, their nodes, the workflow version each run follows (for its edges and node
 * order) and the approvals, in the tenant in scope.
 */
@ApplicationScoped
class DefaultRunHistory implements RunHistory {

    private static final String SUMMARY = "SELECT r.id, d.name AS workflow, r.workflow_version, r.state,"
            + " r.record_id, r.error, r.created_at, r.started_at, r.finished_at, r.workflow_id"
            + " FROM orchestration.runs r"
            + " JOIN orchestration.definitions d ON d.tenant_id = r.tenant_id AND d.id = r.workflow_id";
    private static final String LIST = SUMMARY + " WHERE (?::text IS NULL OR d.name = ?::text)"
            + " AND (?::text IS NULL OR r.state = ?::text) ORDER BY r.created_at DESC, r.id LIMIT ? OFFSET ?";
    private static final String NODES = "SELECT node, kind, label, state, attempts, error, wake_at, started_at,"
            + " finished_at, awaits_event, output->'agent'->>'name' AS agent, (output->'proposal')::text AS proposal"
            + " FROM orchestration.run_nodes WHERE run_id = ?";
    private static final String WORKFLOWS = "SELECT DISTINCT name FROM orchestration.definitions"
            + " WHERE kind = 'workflow' ORDER BY name LIMIT 500";
    private static final int APPROVALS = 500;

    @Inject
    Jdbc jdbc;

    @Inject
    DefinitionStore definitions;

    @Inject
    ApprovalStore approvals;

    private record Found(Summary summary, UUID workflowId) {
    }

    @Override
    @Transactional
    public List<Summary> list(String workflow, String state, int offset, int limit) {
        return jdbc.query(LIST, row -> found(row).summary(), workflow, workflow, state, state, limit, offset);
    }

    @Override
    @Transactional
    public Optional<Detail> find(UUID runId) {
        Optional<Found> found = jdbc.query(SUMMARY + " WHERE r.id = ?", DefaultRunHistory::found, runId).stream()
                .findFirst();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Summary run = found.get().summary();
        List<ApprovalStore.Approval> asked = new ArrayList<>(approvals.list(null, runId, null, APPROVALS));
        asked.sort(Comparator.comparing(ApprovalStore.Approval::createdAt));
        Set<String> pending = asked.stream().filter(approval -> approval.state().equals("pending"))
                .map(ApprovalStore.Approval::node).collect(Collectors.toSet());
        Map<String, Node> byId = new LinkedHashMap<>();
        jdbc.query(NODES, row -> node(row, pending), runId).forEach(node -> byId.put(node.id(), node));
        WorkflowDefinition workflow = definitions.version(found.get().workflowId(), run.workflowVersion())
                .map(definition -> WorkflowDefinition.of(definition.body())).orElse(null);
        List<Node> nodes = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        if (workflow != null) {
            workflow.nodes().stream().map(node -> byId.remove(node.id())).filter(node -> node != null)
                    .forEach(nodes::add);
            workflow.edges().forEach(edge -> edges.add(new Edge(edge.from(), edge.to(), edge.when() != null)));
        }
        nodes.addAll(byId.values()); // none, unless the version is gone
        return Optional.of(new Detail(run, nodes, edges, asked.stream().map(approval -> new Approval(approval.id(),
                approval.node(), approval.state(), approval.reason(), approval.action().toString(),
                approval.confidence(), approval.createdAt(), approval.decidedAt(), approval.decidedBy(),
                approval.comment())).toList()));
    }

    @Override
    @Transactional
    public List<String> workflows() {
        return jdbc.query(WORKFLOWS, row -> row.getString("name"));
    }

    private static Found found(ResultSet row) throws SQLException {
        return new Found(new Summary(Jdbc.uuid(row, "id"), row.getString("workflow"), row.getInt("workflow_version"),
                row.getString("state"), Jdbc.uuid(row, "record_id"), row.getString("error"),
                Jdbc.instant(row, "created_at"), Jdbc.instant(row, "started_at"), Jdbc.instant(row, "finished_at")),
                Jdbc.uuid(row, "workflow_id"));
    }

    private static Node node(ResultSet row, Set<String> pendingApprovals) throws SQLException {
        String id = row.getString("node");
        String state = row.getString("state");
        String event = row.getString("awaits_event");
        String waitingFor = !state.equals("waiting") ? null : pendingApprovals.contains(id) ? "approval"
                : event != null ? "event " + event : row.getObject("wake_at") != null ? "time" : null;
        return new Node(id, row.getString("kind"), row.getString("label"), state, waitingFor, row.getInt("attempts"),
                Jdbc.instant(row, "started_at"), Jdbc.instant(row, "finished_at"), Jdbc.instant(row, "wake_at"),
                row.getString("error"), row.getString("agent"), row.getString("proposal"));
    }
}
