package dev.steward.orchestration.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.shared.FieldError;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.InputStream;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkflowDefinitionTest {

    @Test
    void aCycleIsRefusedNamingTheNodesOnIt() {
        List<FieldError> problems = WorkflowDefinition.problems(json("{\"nodes\":[" + node("start") + ","
                + node("a") + "," + node("b") + "," + node("c") + "],\"edges\":[" + edge("start", "a") + ","
                + edge("a", "b") + "," + edge("b", "c") + "," + edge("c", "a") + "]}"));
        assertThat(problems).extracting(FieldError::field).containsExactly("edges");
        assertThat(problems.get(0).message()).startsWith("form a cycle through a, b, c");
    }

    @Test
    void aDiamondIsAcyclicAndItsCommitCollectsTheSpecialistsBeforeIt() {
        JsonObject body = json("{\"nodes\":[{\"id\":\"q\",\"kind\":\"agent\",\"agent\":\"x\"},{\"id\":\"r\","
                + "\"kind\":\"agent\",\"capability\":\"y\"},{\"id\":\"c1\",\"kind\":\"commit\"},{\"id\":\"e\",\"kind\":"
                + "\"agent\",\"agent\":\"z\"},{\"id\":\"c2\",\"kind\":\"commit\"}],\"edges\":[" + edge("q", "c1") + ","
                + edge("r", "c1") + "," + edge("c1", "e") + "," + edge("e", "c2") + "]}");
        assertThat(WorkflowDefinition.problems(body)).isEmpty();
        WorkflowDefinition workflow = WorkflowDefinition.of(body);
        assertThat(workflow.proposersFor("c1")).containsExactly("q", "r");
        // The second commit takes only what came after the first.
        assertThat(workflow.proposersFor("c2")).containsExactly("e");
    }

    @Test
    void danglingAndRepeatedEdgesAndBadNodesAreNamed() {
        List<FieldError> problems = WorkflowDefinition.problems(json("{\"priority\":\"P9\",\"nodes\":["
                + node("a") + "," + node("a") + ",{\"id\":\"t\",\"kind\":\"tool\"},{\"id\":\"g\",\"kind\":\"agent\"}],"
                + "\"edges\":[" + edge("a", "ghost") + "," + edge("a", "a") + ",{\"from\":\"a\",\"to\":\"t\","
                + "\"when\":{\"path\":\"x\",\"op\":\"near\"}}]}"));
        assertThat(problems).extracting(FieldError::field).containsExactlyInAnyOrder("priority", "nodes[1].id",
                "nodes[2].tool", "nodes[3].agent", "edges[0].to", "edges[1]", "edges[2].when.op");
    }

    @Test
    void theDemoFlowsAreValid() throws Exception {
        for (String file : DemoFlow.FILES) {
            try (InputStream in = DemoFlow.class.getResourceAsStream(file);
                 JsonReader reader = Json.createReader(in)) {
                JsonObject flow = reader.readObject();
                for (JsonObject workflow : flow.getJsonArray("workflows").getValuesAs(JsonObject.class)) {
                    assertThat(WorkflowDefinition.problems(workflow)).as(file).isEmpty();
                }
                for (JsonObject rule : flow.getJsonArray("routingRules").getValuesAs(JsonObject.class)) {
                    assertThat(RoutingRule.problems(rule)).as(file).isEmpty();
                }
            }
        }
    }

    private static String node(String id) {
        return "{\"id\":\"" + id + "\",\"kind\":\"condition\",\"condition\":{\"path\":\"x\",\"op\":\"exists\"}}";
    }

    private static String edge(String from, String to) {
        return "{\"from\":\"" + from + "\",\"to\":\"" + to + "\"}";
    }

    static JsonObject json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
