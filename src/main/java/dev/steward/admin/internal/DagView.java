package dev.steward.admin.internal;

import dev.steward.orchestration.api.RunHistory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run's graph laid out for an inline SVG drawn on the server: each node a box in the column of its depth (the
 * longest path to it from a node nothing leads to, so every edge points rightwards), in the workflow's order down
 * the column; each edge a line from the right side of one box to the left side of the next. The page colours a box
 * by its {@code stateClass} in admin.css; nothing here needs a script or an inline style.
 */
public record DagView(int width, int height, List<Box> boxes, List<Line> lines) {

    static final int BOX_WIDTH = 190;
    static final int BOX_HEIGHT = 66;
    static final int COLUMN_GAP = 70;
    static final int ROW_GAP = 26;
    static final int MARGIN = 16;
    private static final int TEXT = 24; // characters a line of a box holds

    /** A node's box and what the page says about it (in the box, and in the table below keyed by its id). */
    public record Box(String id, String title, String kind, String state, String stateText, String stateClass,
                      String duration, int depth, int x, int y, RunHistory.Node node) {

        public String shortTitle() {
            return shorten(title);
        }

        public String shortState() {
            return shorten(stateText);
        }
    }

    /** An edge from box to box; conditional ones are drawn dashed. */
    public record Line(String from, String to, boolean conditional, int x1, int y1, int x2, int y2) {
    }

    static DagView of(List<RunHistory.Node> nodes, List<RunHistory.Edge> edges) {
        Map<String, List<String>> into = new HashMap<>();
        for (RunHistory.Edge edge : edges) {
            into.computeIfAbsent(edge.to(), key -> new ArrayList<>()).add(edge.from());
        }
        Map<String, Integer> depths = new HashMap<>();
        nodes.forEach(node -> depth(node.id(), into, depths, new HashSet<>()));
        Map<Integer, Integer> rows = new HashMap<>();
        Map<String, Box> boxes = new HashMap<>();
        List<Box> ordered = new ArrayList<>();
        int columns = 0;
        int maxRows = 0;
        for (RunHistory.Node node : nodes) {
            int depth = depths.get(node.id());
            int row = rows.merge(depth, 1, Integer::sum) - 1;
            columns = Math.max(columns, depth + 1);
            maxRows = Math.max(maxRows, row + 1);
            Box box = new Box(node.id(), node.label() == null ? node.id() : node.id() + ": " + node.label(),
                    node.kind(), node.state(), stateText(node), stateClass(node),
                    Durations.text(node.durationMillis()), depth, MARGIN + depth * (BOX_WIDTH + COLUMN_GAP),
                    MARGIN + row * (BOX_HEIGHT + ROW_GAP), node);
            boxes.put(node.id(), box);
            ordered.add(box);
        }
        List<Line> lines = new ArrayList<>();
        for (RunHistory.Edge edge : edges) {
            Box from = boxes.get(edge.from());
            Box to = boxes.get(edge.to());
            if (from != null && to != null) {
                lines.add(new Line(edge.from(), edge.to(), edge.conditional(), from.x() + BOX_WIDTH,
                        from.y() + BOX_HEIGHT / 2, to.x(), to.y() + BOX_HEIGHT / 2));
            }
        }
        int width = 2 * MARGIN + Math.max(columns, 1) * BOX_WIDTH + Math.max(columns - 1, 0) * COLUMN_GAP;
        int height = 2 * MARGIN + Math.max(maxRows, 1) * BOX_HEIGHT + Math.max(maxRows - 1, 0) * ROW_GAP;
        return new DagView(width, height, ordered, lines);
    }

    /** What a state is called on the page: a waiting node says what it waits for. */
    static String stateText(RunHistory.Node node) {
        if (node.state().equals("waiting") && node.waitingFor() != null) {
            return node.waitingFor().equals("approval") ? "awaiting approval" : "waiting for " + node.waitingFor();
        }
        return node.state();
    }

    /** The class that colours the box: a node awaiting a person's approval has its own. */
    static String stateClass(RunHistory.Node node) {
        return "approval".equals(node.waitingFor()) && node.state().equals("waiting") ? "state-awaiting-approval"
                : "state-" + node.state();
    }

    /** Longest path from a source; an edge that would close a cycle (workflows have none) is not followed. */
    private static int depth(String node, Map<String, List<String>> into, Map<String, Integer> depths,
                             Set<String> visiting) {
        Integer known = depths.get(node);
        if (known != null) {
            return known;
        }
        if (!visiting.add(node)) {
            return 0;
        }
        int depth = 0;
        for (String before : into.getOrDefault(node, List.of())) {
            depth = Math.max(depth, depth(before, into, depths, visiting) + 1);
        }
        visiting.remove(node);
        depths.put(node, depth);
        return depth;
    }

    private static String shorten(String text) {
        return text == null || text.length() <= TEXT ? text : text.substring(0, TEXT - 1) + "…";
    }
}
