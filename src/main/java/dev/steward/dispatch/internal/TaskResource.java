package dev.steward.dispatch.internal;

import dev.steward.dispatch.api.JobHandler;
import dev.steward.dispatch.api.JobState;
import dev.steward.dispatch.api.Priority;
import dev.steward.shared.CurrentRequest;
import dev.steward.shared.FieldError;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import dev.steward.tenancy.api.RequiresScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonValue;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A tenant's tasks: jobs it submits and follows. Another tenant's task is a 404. */
@ApplicationScoped
@Path("api/v1/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "tasks", description = "Units of work on the durable queue")
public class TaskResource {

    static final String READ = "tasks:read";
    static final String WRITE = "tasks:write";

    @Inject
    JobStore store;

    @Inject
    JobHandlers handlers;

    @Inject
    JobAnnouncer announcer;

    @Inject
    Validator validator;

    @POST
    @RequiresScope(WRITE)
    @Operation(summary = "Submit a task",
            description = "201 with the task; 200 with the first task when the idempotency key was used before")
    public Response submit(@NotNull @Valid NewTask task) {
        JobHandler handler = submittable(task.kind())
                .orElseThrow(() -> ProblemException.invalid("kind", noSuchKind()));
        List<FieldError> payloadErrors = payloadErrors(handler, task);
        if (!payloadErrors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "The payload is not valid for a "
                    + task.kind() + " task", payloadErrors);
        }
        JobStore.Submitted submitted = store.submit(CurrentRequest.get().requireTenant(),
                task.toSubmission(handler.maxAttempts()));
        TaskView view = TaskView.of(submitted.job());
        if (!submitted.created()) {
            return Response.ok(view).build();
        }
        return Response.created(UriBuilder.fromPath("/api/v1/tasks/{id}").build(view.id())).entity(view).build();
    }

    @POST
    @Path("batch")
    @RequiresScope(WRITE)
    @Operation(summary = "Submit up to 1,000 tasks at once",
            description = "Body {\"tasks\": [task, ...]}: 1 to 1,000 tasks, each as POST /api/v1/tasks takes it. All"
                    + " or nothing: when any item is invalid, nothing is submitted and one 400 names every problem"
                    + " by the item's index (tasks[3].kind, tasks[7].payload.url). An item whose idempotencyKey was"
                    + " used before, by an earlier request or an earlier item of this one, answers with the first"
                    + " task of that key. The answer lists one task per item, in the request's order, each with"
                    + " \"created\": true or false; 201 when any was created, else 200. The new tasks are inserted"
                    + " with one statement, in one transaction.")
    public Response submitBatch(NewTaskBatch batch) {
        List<NewTask> tasks = batch == null ? null : batch.tasks();
        if (tasks == null || tasks.isEmpty() || tasks.size() > NewTaskBatch.MAX_TASKS) {
            throw ProblemException.invalid("tasks", "must hold from 1 to " + NewTaskBatch.MAX_TASKS + " tasks"
                    + (tasks == null ? "" : "; it holds " + tasks.size()));
        }
        BatchErrors errors = new BatchErrors("tasks");
        List<JobStore.Submission> submissions = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            NewTask task = tasks.get(i);
            if (task == null) {
                errors.add(i, "", "must be a task, not null");
                continue;
            }
            errors.addViolations(i, validator.validate(task));
            if (errors.has(i, "kind")) {
                continue;
            }
            Optional<JobHandler> handler = submittable(task.kind());
            if (handler.isEmpty()) {
                errors.add(i, "kind", noSuchKind());
                continue;
            }
            errors.addAll(i, payloadErrors(handler.get(), task));
            if (errors.isEmpty()) {
                submissions.add(task.toSubmission(handler.get().maxAttempts()));
            }
        }
        if (!errors.isEmpty()) {
            throw errors.problem(tasks.size());
        }
        List<JobStore.Submitted> submitted = store.submitAll(CurrentRequest.get().requireTenant(), submissions);
        boolean created = submitted.stream().anyMatch(JobStore.Submitted::created);
        return Response.status(created ? Response.Status.CREATED : Response.Status.OK)
                .entity(new SubmittedTasks(submitted.stream()
                        .map(s -> SubmittedTasks.Item.of(TaskView.of(s.job()), s.created())).toList()))
                .build();
    }

    @GET
    @Path("{id}")
    @RequiresScope(READ)
    @Operation(summary = "One task")
    public TaskView get(@PathParam("id") String id) {
        return TaskView.of(store.find(parse(id)).orElseThrow(() -> ProblemException.notFound("task", id)));
    }

    @GET
    @RequiresScope(READ)
    @Operation(summary = "The tenant's tasks, newest first",
            description = "Filters: state, kind, priority; page with before=<id of the last task seen>")
    public List<TaskView> list(@QueryParam("state") String state, @QueryParam("kind") String kind,
                               @QueryParam("priority") String priority, @QueryParam("before") Long before,
                               @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return store.list(state == null ? null : parseState(state), kind,
                        priority == null ? null : parsePriority(priority), before, limit)
                .stream().map(TaskView::of).toList();
    }

    @POST
    @Path("{id}/cancel")
    @RequiresScope(WRITE)
    @Operation(summary = "Cancel a task that has not started", description = "409 once it is running or finished")
    public TaskView cancel(@PathParam("id") String id) {
        return transition(JobQueries.CANCEL, id, "only a task that has not started can be cancelled");
    }

    @POST
    @Path("{id}/retry")
    @RequiresScope(WRITE)
    @Operation(summary = "Put a dead-lettered task back in the queue with fresh attempts")
    public TaskView retry(@PathParam("id") String id) {
        TaskView retried = transition(JobQueries.RETRY_DEAD, id, "only a failed (dead-lettered) task can be retried");
        // An update notifies no node by trigger (only inserts do): announced like a new job.
        announcer.arrived(Priority.valueOf(retried.priority()), null);
        return retried;
    }

    @POST
    @Path("{id}/discard")
    @RequiresScope(WRITE)
    @Operation(summary = "Discard a dead-lettered task")
    public TaskView discard(@PathParam("id") String id) {
        return transition(JobQueries.DISCARD_DEAD, id, "only a failed (dead-lettered) task can be discarded");
    }

    private TaskView transition(String query, String id, String refusal) {
        long jobId = parse(id);
        return store.transition(query, jobId).map(TaskView::of).orElseGet(() -> {
            JobRow current = store.find(jobId).orElseThrow(() -> ProblemException.notFound("task", id));
            throw new ProblemException(ProblemType.CONFLICT, refusal + "; this one is " + current.state().wireName());
        });
    }

    /** The kind's handler, if tenants may submit tasks of that kind. */
    private Optional<JobHandler> submittable(String kind) {
        return handlers.submittableByTenants(kind) ? handlers.forKind(kind) : Optional.empty();
    }

    private String noSuchKind() {
        return "no such task kind; tenants may submit " + submittableKinds();
    }

    private static List<FieldError> payloadErrors(JobHandler handler, NewTask task) {
        return handler.validatePayload(task.payload() == null ? JsonValue.EMPTY_JSON_OBJECT : task.payload());
    }

    private List<String> submittableKinds() {
        return handlers.kinds().stream().filter(handlers::submittableByTenants).toList();
    }

    private static long parse(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("task", id);
        }
    }

    private static JobState parseState(String state) {
        try {
            return JobState.fromWire(state);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("state", "must be one of scheduled, available, running, retryable, "
                    + "completed, failed, cancelled");
        }
    }

    private static Priority parsePriority(String priority) {
        try {
            return Priority.valueOf(priority.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("priority", "must be one of P0, P1, P2, P3");
        }
    }
}
