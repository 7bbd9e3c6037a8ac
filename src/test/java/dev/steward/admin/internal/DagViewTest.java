package dev.steward.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.orchestration.api.RunHistory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The run graph's layout: columns by longest path, rows in workflow order, edges from box to box, states' classes. */
class DagViewTest {

    @Test
    void nodesStandInTheColumnOfTheirLongestPathAndEdgesPointRightwards() {
        // a -> b -> d, a -> c, c -> d: d is two steps from a however it is reached.
        DagView dag = DagView.of(List.of(node("a", "succeeded", null), node("b", "waiting", "approval"),
                        node("c", "skipped", null), node("d", "pending", null)),
                List.of(edge("a", "b"), edge("a", "c"), edge("b", "d"), edge("c", "d")));
        Map<String, DagView.Box> boxes = dag.boxes().stream().collect(Collectors.toMap(DagView.Box::id, box -> box));
        assertThat(boxes.get("a").depth()).isZero();
        assertThat(boxes.get("b").depth()).isEqualTo(1);
        assertThat(boxes.get("c").depth()).isEqualTo(1);
        assertThat(boxes.get("d").depth()).isEqualTo(2);
        assertThat(boxes.get("c").y()).isGreaterThan(boxes.get("b").y());
        assertThat(boxes.get("b").x()).isEqualTo(boxes.get("c").x());
        assertThat(dag.lines()).hasSize(4).allSatisfy(line -> assertThat(line.x2()).isGreaterThan(line.x1()));
        assertThat(dag.width()).isEqualTo(2 * DagView.MARGIN + 3 * DagView.BOX_WIDTH + 2 * DagView.COLUMN_GAP);
        assertThat(dag.height()).isEqualTo(2 * DagView.MARGIN + 2 * DagView.BOX_HEIGHT + DagView.ROW_GAP);
        assertThat(boxes.get("b").stateClass()).isEqualTo("state-awaiting-approval");
        assertThat(boxes.get("b").stateText()).isEqualTo("awaiting approval");
        assertThat(boxes.get("c").stateClass()).isEqualTo("state-skipped");
        assertThat(boxes.get("a").duration()).isEqualTo("1.5 s");
    }

    @Test
    void aLoneNodeAndALongTitleFit() {
        DagView dag = DagView.of(List.of(new RunHistory.Node("only", "wait", "a label far too long for one box line",
                "waiting", "event order.paid", 0, null, null, null, null, null, null)), List.of());
        assertThat(dag.boxes()).singleElement().satisfies(box -> {
            assertThat(box.shortTitle()).hasSize(24).endsWith("…");
            assertThat(box.stateText()).isEqualTo("waiting for event order.paid");
            assertThat(box.stateClass()).isEqualTo("state-waiting");
            assertThat(box.duration()).isEmpty();
        });
        assertThat(dag.lines()).isEmpty();
    }

    private static RunHistory.Node node(String id, String state, String waitingFor) {
        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        return new RunHistory.Node(id, "wait", null, state, waitingFor, 1, start, state.equals("succeeded")
                ? start.plusMillis(1500) : null, null, null, null, null);
    }

    private static RunHistory.Edge edge(String from, String to) {
        return new RunHistory.Edge(from, to, false);
    }
}
