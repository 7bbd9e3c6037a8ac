package dev.steward.dispatch.internal;

import dev.steward.dispatch.api.DeadLetters;
import dev.steward.dispatch.api.JobState;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.List;

/** {@link DeadLetters} over the job store's own transitions, those the tasks API uses. */
@ApplicationScoped
class DefaultDeadLetters implements DeadLetters {

    @Inject
    JobStore store;

    @Inject
    Dispatcher dispatcher;

    @Resource
    TransactionSynchronizationRegistry transactions;

    @Override
    public List<DeadLetter> list(int limit) {
        return store.list(JobState.FAILED, null, null, null, limit).stream().map(job -> new DeadLetter(job.id(),
                job.kind(), job.priority(), job.attempt(), job.lastError(), job.finishedAt())).toList();
    }

    @Override
    public Outcome retry(long job) {
        Outcome outcome = transition(JobQueries.RETRY_DEAD, job);
        if (outcome == Outcome.DONE) {
            wakeAfterCommit(); // an update notifies no node (only inserts do)
        }
        return outcome;
    }

    @Override
    public Outcome discard(long job) {
        return transition(JobQueries.DISCARD_DEAD, job);
    }

    /** Wakes this node's dispatcher once the retry is visible: after the caller's transaction commits, if any. */
    private void wakeAfterCommit() {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            dispatcher.wake();
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    dispatcher.wake();
                }
            }
        });
    }

    private Outcome transition(String query, long job) {
        if (store.transition(query, job).isPresent()) {
            return Outcome.DONE;
        }
        return store.find(job).isPresent() ? Outcome.NOT_DEAD : Outcome.UNKNOWN;
    }
}
