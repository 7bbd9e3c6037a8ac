package dev.steward.dispatch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.shared.FieldError;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchErrorsTest {

    @Test
    void itemsAreNamedByTheirIndexFromTheBodysRoot() {
        BatchErrors errors = new BatchErrors("tasks");
        assertThat(errors.name(3, "kind")).isEqualTo("tasks[3].kind");
        assertThat(errors.name(7, "payload.url")).isEqualTo("tasks[7].payload.url");
        assertThat(errors.name(2, "")).isEqualTo("tasks[2]");
        assertThat(errors.name(2, null)).isEqualTo("tasks[2]");
        assertThat(errors.name(0, "[1]")).isEqualTo("tasks[0][1]");
    }

    @Test
    void violationPathsAreNamedAsTheJsonNamesThem() {
        assertThat(BatchErrors.fieldOf(List.of(node(ElementKind.PROPERTY, "kind", null)))).isEqualTo("kind");
        // A constraint on an element of List<@Pattern String> resources.
        assertThat(BatchErrors.fieldOf(List.of(node(ElementKind.PROPERTY, "resources", null),
                node(ElementKind.CONTAINER_ELEMENT, "<list element>", 1)))).isEqualTo("resources[1]");
        // A class-level constraint: the item itself.
        assertThat(BatchErrors.fieldOf(List.of(node(ElementKind.BEAN, null, null)))).isEmpty();
    }

    @Test
    void everyItemsProblemsComeTogetherInIndexOrder() {
        BatchErrors errors = new BatchErrors("tasks");
        assertThat(errors.isEmpty()).isTrue();
        errors.add(10, "kind", "no such task kind");
        errors.addAll(2, List.of(new FieldError("payload.url", "is required"),
                new FieldError("payload.method", "must be POST or PUT")));
        errors.add(2, "", "whatever");
        errors.add(9, "priority", "must be one of P0, P1, P2, P3");
        assertThat(errors.has(10, "kind")).isTrue();
        assertThat(errors.has(9, "kind")).isFalse();
        assertThat(errors.errors()).extracting(FieldError::field).containsExactly("tasks[2]",
                "tasks[2].payload.method", "tasks[2].payload.url", "tasks[9].priority", "tasks[10].kind");
        ProblemException problem = errors.problem(12);
        assertThat(problem.type()).isEqualTo(ProblemType.VALIDATION_FAILED);
        assertThat(problem.fieldErrors()).hasSize(5);
        assertThat(problem.getMessage()).startsWith("3 of 12 items are not valid, so none was submitted: tasks[2]: ")
                .endsWith("tasks[10].kind: no such task kind");
    }

    @Test
    void theDetailStaysShortWhenManyItemsFail() {
        BatchErrors errors = new BatchErrors("tasks");
        for (int i = 0; i < 1000; i++) {
            errors.add(i, "kind", "must not be blank");
        }
        ProblemException problem = errors.problem(1000);
        assertThat(problem.fieldErrors()).hasSize(1000);
        assertThat(problem.getMessage()).contains("tasks[4].kind").doesNotContain("tasks[5].kind")
                .endsWith("and 995 more");
    }

    private static Path.Node node(ElementKind kind, String name, Integer index) {
        return new Path.Node() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public boolean isInIterable() {
                return index != null;
            }

            @Override
            public Integer getIndex() {
                return index;
            }

            @Override
            public Object getKey() {
                return null;
            }

            @Override
            public ElementKind getKind() {
                return kind;
            }

            @Override
            public <T extends Path.Node> T as(Class<T> type) {
                return type.cast(this);
            }
        };
    }
}
