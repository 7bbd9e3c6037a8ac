package dev.steward.orchestration.internal;

import static dev.steward.orchestration.internal.WorkflowDefinitionTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.shared.FieldError;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

class ConditionTest {

    private static final JsonObject FACTS = json("{\"record\":{\"type\":\"lead\",\"fields\":{\"score\":72,"
            + "\"region\":\"emea\",\"tags\":[\"vip\"]}},\"outputs\":{\"check\":{\"result\":true}}}");

    @Test
    void comparisonsCombineAndMissingPathsAreFalseExceptForNe() {
        assertThat(holds("{\"path\":\"record.fields.score\",\"op\":\"gte\",\"value\":72.0}")).isTrue();
        assertThat(holds("{\"path\":\"record.fields.score\",\"op\":\"lt\",\"value\":50}")).isFalse();
        assertThat(holds("{\"path\":\"record.fields.region\",\"op\":\"in\",\"value\":[\"us\",\"emea\"]}")).isTrue();
        assertThat(holds("{\"path\":\"record.fields.tags\",\"op\":\"contains\",\"value\":\"vip\"}")).isTrue();
        assertThat(holds("{\"path\":\"outputs.check.result\",\"op\":\"eq\",\"value\":true}")).isTrue();
        assertThat(holds("{\"all\":[{\"path\":\"record.type\",\"op\":\"eq\",\"value\":\"lead\"},{\"not\":"
                + "{\"path\":\"record.fields.owner\",\"op\":\"exists\"}}]}")).isTrue();
        assertThat(holds("{\"any\":[{\"path\":\"nowhere\",\"op\":\"eq\",\"value\":1},{\"path\":\"nowhere\","
                + "\"op\":\"gt\",\"value\":1}]}")).isFalse();
        assertThat(holds("{\"path\":\"nowhere\",\"op\":\"ne\",\"value\":1}")).isTrue();
        // Text does not compare with numbers.
        assertThat(holds("{\"path\":\"record.fields.region\",\"op\":\"gt\",\"value\":1}")).isFalse();
    }

    @Test
    void problemsAreNamedByField() {
        assertThat(Condition.problems(json("{\"all\":[{\"path\":\"a b\",\"op\":\"eq\",\"value\":1},{\"path\":\"a\","
                + "\"op\":\"in\",\"value\":1},{\"path\":\"a\",\"op\":\"gt\"}]}"), "when"))
                .extracting(FieldError::field)
                .containsExactly("when.all[0].path", "when.all[1].value", "when.all[2].value");
    }

    private static boolean holds(String condition) {
        return Condition.holds(json(condition), FACTS);
    }
}
