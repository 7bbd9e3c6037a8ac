package dev.steward.dispatch.internal;

import dev.steward.dispatch.api.JobHandler;
import dev.steward.dispatch.api.JobQueue;
import dev.steward.shared.CurrentRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

@ApplicationScoped
class DefaultJobQueue implements JobQueue {

    @Inject
    JobStore store;

    @Inject
    JobHandlers handlers;

    @Override
    public long submit(Request request) {
        // New jobs are announced to every node's dispatcher once the caller's transaction commits.
        return store.submit(CurrentRequest.get().requireTenant(), submission(request)).job().id();
    }

    @Override
    public List<Long> submitAll(List<Request> requests) {
        List<JobStore.Submission> jobs = requests.stream().map(this::submission).toList();
        return store.submitAll(CurrentRequest.get().requireTenant(), jobs).stream()
                .map(submitted -> submitted.job().id()).toList();
    }

    private JobStore.Submission submission(Request request) {
        JobHandler handler = handlers.forKind(request.kind())
                .orElseThrow(() -> new IllegalArgumentException("no handler for jobs of kind " + request.kind()));
        return new JobStore.Submission(request.kind(), request.priority(), request.payloadJson(), request.runAt(),
                request.maxAttempts() > 0 ? request.maxAttempts() : handler.maxAttempts(),
                request.idempotencyKey(), request.agentId(), request.resources(), request.tokens());
    }
}
