package dev.steward.dispatch.internal;

import dev.steward.shared.FieldError;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The problems of a batch's items, gathered so that all of them are answered in one 400, each field named from the
 * body's root with the item's index as the client wrote it: {@code tasks[3].kind}, {@code tasks[7].payload.url},
 * {@code tasks[2].resources[0]}, {@code tasks[5]} for the item itself.
 */
final class BatchErrors {

    /** How many field errors the problem's detail spells out; the errors list has them all. */
    static final int DETAILED = 5;

    private final String list;
    private final Map<Integer, List<FieldError>> byItem = new TreeMap<>();

    /** {@code list}: the name of the body's array, {@code tasks}. */
    BatchErrors(String list) {
        this.list = list;
    }

    /** A problem of item {@code index}; {@code field} as within the item ({@code payload.url}), empty for the item. */
    void add(int index, String field, String message) {
        byItem.computeIfAbsent(index, i -> new ArrayList<>()).add(new FieldError(name(index, field), message));
    }

    /** Problems an item's handler found, named within the item ({@code payload.url}). */
    void addAll(int index, List<FieldError> errors) {
        errors.forEach(error -> add(index, error.field(), error.message()));
    }

    /** Bean Validation's violations of an item validated on its own. */
    void addViolations(int index, Iterable<? extends ConstraintViolation<?>> violations) {
        violations.forEach(violation -> add(index, fieldOf(violation.getPropertyPath()), violation.getMessage()));
    }

    /** Whether item {@code index} already has a problem with {@code field} (as within the item). */
    boolean has(int index, String field) {
        String name = name(index, field);
        return byItem.getOrDefault(index, List.of()).stream().anyMatch(error -> error.field().equals(name));
    }

    boolean isEmpty() {
        return byItem.isEmpty();
    }

    /** Every error, by item index, then by field and message within an item. */
    List<FieldError> errors() {
        List<FieldError> all = new ArrayList<>();
        byItem.values().forEach(errors -> all.addAll(errors.stream()
                .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::message)).toList()));
        return all;
    }

    /** The 400 for a batch of {@code size} items with these problems: nothing of it is submitted. */
    ProblemException problem(int size) {
        List<FieldError> errors = errors();
        StringBuilder detail = new StringBuilder().append(byItem.size()).append(" of ").append(size)
                .append(size == 1 ? " item is" : " items are").append(" not valid, so none was submitted: ");
        for (int i = 0; i < Math.min(DETAILED, errors.size()); i++) {
            detail.append(i == 0 ? "" : "; ").append(errors.get(i).field()).append(": ")
                    .append(errors.get(i).message());
        }
        if (errors.size() > DETAILED) {
            detail.append("; and ").append(errors.size() - DETAILED).append(" more");
        }
        return new ProblemException(ProblemType.VALIDATION_FAILED, detail.toString(), errors);
    }

    /** {@code tasks[3]}, {@code tasks[3].kind}. */
    String name(int index, String field) {
        String item = list + "[" + index + "]";
        return field == null || field.isEmpty() ? item : field.startsWith("[") ? item + field : item + "." + field;
    }

    /**
     * A violation's path within the validated item as the JSON names it: {@code kind}, {@code resources[1]}
     * (Bean Validation's own rendering would be {@code resources[1].<list element>}); empty for the item itself.
     */
    static String fieldOf(Iterable<Path.Node> path) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER
                    || node.getKind() == ElementKind.CROSS_PARAMETER || node.getKind() == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (node.getIndex() != null && field.length() > 0) {
                field.append('[').append(node.getIndex()).append(']');
            }
            if (node.getName() != null && node.getKind() != ElementKind.CONTAINER_ELEMENT
                    && node.getKind() != ElementKind.BEAN) {
                if (field.length() > 0) {
                    field.append('.');
                }
                field.append(node.getName());
            }
        }
        return field.toString();
    }
}
