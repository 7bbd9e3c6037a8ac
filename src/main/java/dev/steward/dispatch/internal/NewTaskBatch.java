package dev.steward.dispatch.internal;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * {@code POST /api/v1/tasks/batch}: 1 to {@value #MAX_TASKS} tasks, each as {@code POST /api/v1/tasks} takes it.
 * {@code TaskResource.submitBatch} checks the list and then each item on its own, so that every item's problems are
 * answered together; the constraints here describe the body for the OpenAPI document.
 */
public record NewTaskBatch(@NotNull @Size(min = 1, max = MAX_TASKS) List<NewTask> tasks) {

    static final int MAX_TASKS = 1_000;
}
