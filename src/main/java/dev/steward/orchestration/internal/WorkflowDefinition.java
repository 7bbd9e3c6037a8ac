package dev.steward.orchestration.internal;

import dev.steward.shared.FieldError;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A workflow version: a DAG of nodes and the edges between them. Nodes are {@code agent} (a specialist, named or
 * found by capability, proposes), {@code commit} (the supervisor validates and commits the proposals before it),
 * {@code approval} (waits for a person), {@code wait} (for some seconds, or for an event), {@code condition}
 * (evaluates to true or false) and {@code tool} (calls one of the tenant's tools). An edge may carry a condition
 * ({@code when}) over the run's facts; a node runs when every node before it has ended and at least one edge into it was taken, and is
 * skipped when none was.
 */
record WorkflowDefinition(String priority, List<Node> nodes, List<Edge> edges) {

    static final int MAX_NODES = 200;
    static final Set<String> KINDS = Set.of("agent", "commit", "approval", "wait", "condition", "tool");
    static final long MAX_WAIT_SECONDS = 30L * 24 * 3600;
    private static final String NODE_ID = "[a-z][a-z0-9_-]{0,39}";

    /** A node: its id, kind and the rest of its specification as written. */
    record Node(String id, String kind, JsonObject spec) {

        String label() {
            return spec.getString("label", null);
        }

        /** Attempts its job gets: one more than the retries it allows (two by default). */
        int attempts() {
            return spec.getInt("retries", 2) + 1;
        }
    }

    record Edge(String from, String to, JsonValue when) {
    }

    static WorkflowDefinition of(JsonObject body) {
        List<Node> nodes = body.getJsonArray("nodes").getValuesAs(JsonObject.class).stream()
                .map(node -> new Node(node.getString("id"), node.getString("kind"), node)).toList();
        JsonArray edgeArray = body.getJsonArray("edges");
        List<Edge> edges = edgeArray == null ? List.of() : edgeArray.getValuesAs(JsonObject.class).stream()
                .map(edge -> new Edge(edge.getString("from"), edge.getString("to"), edge.get("when"))).toList();
        return new WorkflowDefinition(body.getString("priority", "P2"), nodes, edges);
    }

    Node node(String id) {
        return nodes.stream().filter(node -> node.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + id));
    }

    List<Edge> into(String node) {
        return edges.stream().filter(edge -> edge.to().equals(node)).toList();
    }

    /**
     * The agent nodes whose proposals a commit node commits: those before it, not counting those behind an earlier
     * commit node (that one committed them).
     */
    List<String> proposersFor(String commitNode) {
        List<String> proposers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(into(commitNode).stream().map(Edge::from).toList());
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (!seen.add(id)) {
                continue;
            }
            Node node = node(id);
            if (node.kind().equals("commit")) {
                continue;
            }
            if (node.kind().equals("agent")) {
                proposers.add(id);
            }
            into(id).forEach(edge -> todo.push(edge.from()));
        }
        proposers.sort(null);
        return proposers;
    }

    /** What is wrong with a workflow body, each problem named by its field. */
    static List<FieldError> problems(JsonObject body) {
        List<FieldError> errors = new ArrayList<>();
        if (body.containsKey("priority") && !body.getString("priority", "").matches("P[0-3]")) {
            errors.add(new FieldError("priority", "must be one of P0, P1, P2, P3"));
        }
        if (!(body.get("nodes") instanceof JsonArray nodes) || nodes.isEmpty() || nodes.size() > MAX_NODES) {
            errors.add(new FieldError("nodes", "must be an array of 1 to " + MAX_NODES + " nodes"));
            return errors;
        }
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            String field = "nodes[" + i + "]";
            if (!(nodes.get(i) instanceof JsonObject node)) {
                errors.add(new FieldError(field, "must be an object"));
                continue;
            }
            String id = node.get("id") instanceof JsonString s ? s.getString() : "";
            if (!id.matches(NODE_ID)) {
                errors.add(new FieldError(field + ".id", "must be lowercase letters, digits, dashes or underscores,"
                        + " starting with a letter, at most 40"));
            } else if (ids.putIfAbsent(id, i) != null) {
                errors.add(new FieldError(field + ".id", "is used by nodes[" + ids.get(id) + "] too"));
            }
            nodeProblems(node, field, errors);
        }
        JsonValue edgeValue = body.get("edges");
        if (edgeValue != null && !(edgeValue instanceof JsonArray)) {
            errors.add(new FieldError("edges", "must be an array"));
            return errors;
        }
        JsonArray edges = edgeValue == null ? JsonValue.EMPTY_JSON_ARRAY : (JsonArray) edgeValue;
        Set<String> pairs = new HashSet<>();
        for (int i = 0; i < edges.size(); i++) {
            String field = "edges[" + i + "]";
            if (!(edges.get(i) instanceof JsonObject edge)) {
                errors.add(new FieldError(field, "must be an object {from, to, when}"));
                continue;
            }
            for (String end : List.of("from", "to")) {
                String id = edge.get(end) instanceof JsonString s ? s.getString() : null;
                if (id == null || !ids.containsKey(id)) {
                    errors.add(new FieldError(field + "." + end, "must name a node (" + (id == null ? "missing"
                            : "no node " + id) + ")"));
                }
            }
            if (edge.getString("from", "").equals(edge.getString("to", null))) {
                errors.add(new FieldError(field, "joins a node to itself"));
            } else if (!pairs.add(edge.getString("from", "") + "->" + edge.getString("to", ""))) {
                errors.add(new FieldError(field, "repeats an edge"));
            }
            if (edge.containsKey("when")) {
                errors.addAll(Condition.problems(edge.get("when"), field + ".when"));
            }
        }
        if (errors.isEmpty()) {
            List<String> cycle = cycle(ids.keySet(), edges);
            if (!cycle.isEmpty()) {
                errors.add(new FieldError("edges", "form a cycle through " + String.join(", ", cycle)
                        + "; a workflow must be acyclic"));
            }
        }
        return errors;
    }

    private static void nodeProblems(JsonObject node, String field, List<FieldError> errors) {
        String kind = node.get("kind") instanceof JsonString s ? s.getString() : "";
        if (!KINDS.contains(kind)) {
            errors.add(new FieldError(field + ".kind", "must be one of " + KINDS));
            return;
        }
        if (node.containsKey("label") && !(node.get("label") instanceof JsonString label
                && label.getString().length() <= 100)) {
            errors.add(new FieldError(field + ".label", "must be text of at most 100 characters"));
        }
        if (node.containsKey("retries") && !(node.get("retries") instanceof JsonNumber retries
                && retries.isIntegral() && retries.intValue() >= 0 && retries.intValue() <= 10)) {
            errors.add(new FieldError(field + ".retries", "must be a whole number from 0 to 10"));
        }
        switch (kind) {
            case "agent":
                if (node.containsKey("agent") == node.containsKey("capability")) {
                    errors.add(new FieldError(field + ".agent", "name either an agent or a capability"));
                }
                break;
            case "wait":
                waitProblems(node, field, errors);
                break;
            case "condition":
                if (!node.containsKey("condition")) {
                    errors.add(new FieldError(field + ".condition", "is required for a condition node"));
                } else {
                    errors.addAll(Condition.problems(node.get("condition"), field + ".condition"));
                }
                break;
            case "tool":
                if (!(node.get("tool") instanceof JsonString tool) || tool.getString().isBlank()) {
                    errors.add(new FieldError(field + ".tool", "is required for a tool node"));
                }
                if (node.containsKey("arguments") && !(node.get("arguments") instanceof JsonObject)) {
                    errors.add(new FieldError(field + ".arguments", "must be an object"));
                }
                break;
            default:
                break;
        }
    }

    /** A wait is for some seconds, or for an event (with a condition on it and a timeout, both optional). */
    private static void waitProblems(JsonObject node, String field, List<FieldError> errors) {
        if (node.containsKey("event") == node.containsKey("seconds")) {
            errors.add(new FieldError(field + ".seconds", "a wait node waits either some seconds or for an event"));
        } else if (node.containsKey("seconds") && !seconds(node.get("seconds"), 0)) {
            errors.add(new FieldError(field + ".seconds", "must be a whole number of seconds up to 30 days"));
        } else if (node.containsKey("event")) {
            if (!(node.get("event") instanceof JsonString event && event.getString().matches(RoutingRule.EVENT))) {
                errors.add(new FieldError(field + ".event", "must be record.created, record.updated, record.deleted"
                        + " or an event name (lowercase letters, digits, dots, dashes)"));
            }
            if (node.containsKey("timeoutSeconds") && !seconds(node.get("timeoutSeconds"), 1)) {
                errors.add(new FieldError(field + ".timeoutSeconds", "must be a whole number of seconds from 1 up to"
                        + " 30 days"));
            }
            if (node.containsKey("when")) {
                errors.addAll(Condition.problems(node.get("when"), field + ".when"));
            }
        }
    }

    private static boolean seconds(JsonValue value, long min) {
        return value instanceof JsonNumber seconds && seconds.isIntegral() && seconds.longValue() >= min
                && seconds.longValue() <= MAX_WAIT_SECONDS;
    }

    /** Kahn's algorithm: the nodes left with incoming edges once every source is peeled off; empty if acyclic. */
    private static List<String> cycle(Set<String> ids, JsonArray edges) {
        Map<String, Integer> incoming = new HashMap<>();
        Map<String, List<String>> next = new HashMap<>();
        ids.forEach(id -> incoming.put(id, 0));
        for (JsonObject edge : edges.getValuesAs(JsonObject.class)) {
            next.computeIfAbsent(edge.getString("from"), k -> new ArrayList<>()).add(edge.getString("to"));
            incoming.merge(edge.getString("to"), 1, Integer::sum);
        }
        Deque<String> ready = new ArrayDeque<>();
        incoming.forEach((id, count) -> {
            if (count == 0) {
                ready.add(id);
            }
        });
        while (!ready.isEmpty()) {
            for (String to : next.getOrDefault(ready.pop(), List.of())) {
                if (incoming.merge(to, -1, Integer::sum) == 0) {
                    ready.add(to);
                }
            }
        }
        return ids.stream().filter(id -> incoming.get(id) > 0).toList();
    }
}
