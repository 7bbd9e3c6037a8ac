package dev.steward.dispatch.internal;

import dev.steward.dispatch.api.DeadLetters;
import dev.steward.dispatch.api.JobState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/** {@link DeadLetters} over the job store's own transitions, those the tasks API uses. */
@ApplicationScoped
class DefaultDeadLetters implements DeadLetters {

    @Inject
    JobStore store;

    @Inject
    JobAnnouncer announcer;

    @Override
    public List<DeadLetter> list(int limit) {
        return store.list(JobState.FAILED, null, null, null, limit).stream().map(job -> new DeadLetter(job.id(),
                job.kind(), job.priority(), job.attempt(), job.lastError(), job.finishedAt())).toList();
    }

    @Override
    public Outcome retry(long job) {
        Optional<JobRow> retried = store.transition(JobQueries.RETRY_DEAD, job);
        // An update notifies no node by trigger (only inserts do): announced like a new job, after commit.
        retried.ifPresent(row -> announcer.arrived(row.priority(), null));
        return retried.isPresent() ? Outcome.DONE : outcome(job);
    }

    @Override
    public Outcome discard(long job) {
        return transition(JobQueries.DISCARD_DEAD, job);
    }

    private Outcome transition(String query, long job) {
        return store.transition(query, job).isPresent() ? Outcome.DONE : outcome(job);
    }

    /** Why a transition did not apply: the job is not dead, or not there (another tenant's is not there). */
    private Outcome outcome(long job) {
        return store.find(job).isPresent() ? Outcome.NOT_DEAD : Outcome.UNKNOWN;
    }
}
