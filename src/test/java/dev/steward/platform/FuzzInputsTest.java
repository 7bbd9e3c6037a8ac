package dev.steward.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fuzz suite's generators: reproducible, and making what they say they make. */
class FuzzInputsTest {

    private static final String SAMPLE = "{\"name\":\"a\",\"tags\":[\"x\",{\"deep\":1}],\"on\":{\"event\":\"e\"}}";

    @Test
    void theSameSeedMakesTheSameCases() {
        List<String> first = labelsAndBodies(new FuzzInputs(42));
        List<String> again = labelsAndBodies(new FuzzInputs(42));
        assertThat(again).isEqualTo(first);
        assertThat(labelsAndBodies(new FuzzInputs(43))).isNotEqualTo(first);
    }

    private static List<String> labelsAndBodies(FuzzInputs inputs) {
        List<String> made = new ArrayList<>();
        inputs.mutations(FuzzInputs.parse(SAMPLE), 30, 100)
                .forEach(c -> made.add(c.label() + "|" + new String(c.body(), StandardCharsets.UTF_8)));
        inputs.malformed(SAMPLE, 1000).forEach(c -> made.add(c.label() + "|" + c.body().length));
        made.addAll(inputs.oddSegments(5));
        return made;
    }

    @Test
    void everyValueAtEveryDepthIsAPlaceToMutate() {
        List<String> paths = new ArrayList<>();
        FuzzInputs.collectPaths(FuzzInputs.parse(SAMPLE), "", paths);
        assertThat(paths).containsExactly("/name", "/tags", "/tags/0", "/tags/1", "/tags/1/deep", "/on",
                "/on/event");
    }

    @Test
    void aMutationChangesOneValueAndKeepsTheRest() {
        for (FuzzInputs.Case mutated : new FuzzInputs(7).mutations(FuzzInputs.parse(SAMPLE), 500, 50)) {
            JsonNode body = FuzzInputs.parse(new String(mutated.body(), StandardCharsets.UTF_8));
            String path = mutated.label().split(" ")[0];
            JsonNode original = FuzzInputs.parse(SAMPLE);
            // Everything outside the mutated path is as it was.
            if (!path.startsWith("/on")) {
                assertThat(body.get("on")).as(mutated.label()).isEqualTo(original.get("on"));
            }
            if (!path.startsWith("/name")) {
                assertThat(body.get("name")).as(mutated.label()).isEqualTo(original.get("name"));
            }
            if (mutated.label().endsWith("left out")) {
                assertThat(body.at(path).isMissingNode() || path.startsWith("/tags/")).as(mutated.label()).isTrue();
            } else {
                assertThat(body.at(path)).as(mutated.label()).isNotEqualTo(original.at(path));
            }
        }
    }

    @Test
    void loneSurrogatesAndNulAreWrittenAsEscapes() {
        List<FuzzInputs.Case> cases = new FuzzInputs(1).mutations(FuzzInputs.parse("{\"a\":\"b\"}"), 1000, 10);
        String surrogate = cases.stream().filter(c -> c.label().equals("/a = \\ud800")).findFirst().map(
                c -> new String(c.body(), StandardCharsets.UTF_8)).orElseThrow();
        assertThat(surrogate).isEqualTo("{\"a\":\"\\uD800\"}");
        String nul = cases.stream().filter(c -> c.label().equals("/a = x\\u0000y")).findFirst().map(
                c -> new String(c.body(), StandardCharsets.UTF_8)).orElseThrow();
        assertThat(nul).isEqualTo("{\"a\":\"x\\u0000y\"}");
    }

    @Test
    void deepNestingIsAsDeepAsAskedAndOpenOrClosed() {
        String closed = FuzzInputs.nested(10_000, false, true);
        assertThat(closed).hasSize(20_001).startsWith("[[[").contains("[1]").endsWith("]]]");
        String open = FuzzInputs.nested(10_000, true, false);
        assertThat(open).startsWith("{\"a\":{\"a\":").endsWith(":1").doesNotContain("}");
        assertThat(FuzzInputs.parse(FuzzInputs.nested(50, true, true)).at("/a".repeat(49) + "/a").asInt())
                .isEqualTo(1);
    }

    @Test
    void malformedBodiesAreNotJsonAndTheLimitCasesStraddleTheLimit() {
        for (FuzzInputs.Case bad : new FuzzInputs(3).malformed(SAMPLE, 1000)) {
            String text = new String(bad.body(), StandardCharsets.UTF_8);
            switch (bad.label()) {
                case "over the body limit" -> assertThat(bad.body().length).isGreaterThan(1000);
                case "a huge unknown field under the limit" -> assertThat(bad.body().length).isBetween(900, 1000);
                case "truncated", "trailing garbage", "two documents", "empty", "10,000 { open",
                        "truncated inside an unknown object" -> assertThat(isJson(text)).as(bad.label()).isFalse();
                default -> { }
            }
        }
    }

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private static boolean isJson(String text) {
        try {
            JsonNode node = STRICT.readTree(text);
            return node != null && !node.isMissingNode();
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    @Test
    void oddSegmentsAlwaysIncludeAVeryLongOne() {
        assertThat(new FuzzInputs(5).oddSegments(4)).hasSize(4).anyMatch(s -> s.length() >= 4000);
    }
}
