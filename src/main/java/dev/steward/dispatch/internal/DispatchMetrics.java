package dev.steward.dispatch.internal;

import dev.steward.dispatch.api.JobState;
import dev.steward.dispatch.api.Priority;
import dev.steward.quota.api.Constraint;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The queue's metrics under {@code /metrics}: jobs claimed and their outcomes, insert-to-start latency by tier, jobs
 * held back by each constraint, and depth by tier and state (a snapshot the dispatcher refreshes every few seconds,
 * not a query per scrape).
 */
@ApplicationScoped
class DispatchMetrics {

    private static final List<JobState> DEPTH_STATES =
            List.of(JobState.SCHEDULED, JobState.AVAILABLE, JobState.RETRYABLE, JobState.RUNNING);

    @Inject
    MetricRegistry registry;

    private final Map<Priority, Timer> pickup = new EnumMap<>(Priority.class);
    private volatile Map<Priority, Map<JobState, Long>> depth = Map.of();
    private Counter claimed;
    private Counter completed;
    private Counter retried;
    private Counter deadLettered;
    private final Map<Constraint, Counter> deferrals = new EnumMap<>(Constraint.class);
    private Counter dependencyDeferrals;

    @PostConstruct
    void register() {
        claimed = registry.counter("steward.dispatch.claimed");
        completed = registry.counter("steward.dispatch.outcomes", new Tag("outcome", "completed"));
        retried = registry.counter("steward.dispatch.outcomes", new Tag("outcome", "retryable"));
        deadLettered = registry.counter("steward.dispatch.outcomes", new Tag("outcome", "failed"));
        for (Constraint constraint : Constraint.values()) {
            deferrals.put(constraint, registry.counter("steward.dispatch.deferrals",
                    new Tag("constraint", constraint.wireName())));
        }
        dependencyDeferrals = registry.counter("steward.dispatch.deferrals",
                new Tag("constraint", Dispatcher.DEPENDENCY));
        for (Priority tier : Priority.values()) {
            Tag tierTag = new Tag("tier", tier.name());
            pickup.put(tier, registry.timer("steward.dispatch.pickup", tierTag));
            for (JobState state : DEPTH_STATES) {
                registry.gauge("steward.dispatch.depth", this,
                        metrics -> metrics.depth.getOrDefault(tier, Map.of()).getOrDefault(state, 0L),
                        tierTag, new Tag("state", state.name().toLowerCase(Locale.ROOT)));
            }
        }
    }

    /** A job was claimed: how long it waited since it was due. */
    void claimed(JobRow job, Instant now) {
        claimed.inc();
        Instant due = job.runAt().isAfter(job.createdAt()) ? job.runAt() : job.createdAt();
        pickup.get(job.priority()).update(Duration.between(due, now).isNegative() ? Duration.ZERO
                : Duration.between(due, now));
    }

    void outcome(String state) {
        if ("retryable".equals(state)) {
            retried.inc();
        } else if ("failed".equals(state)) {
            deadLettered.inc();
        }
    }

    /** Jobs held back at admission, by the constraint that held them. */
    void deferred(Map<Constraint, Integer> byConstraint) {
        byConstraint.forEach((constraint, jobs) -> deferrals.get(constraint).inc(jobs));
    }

    /** A handler found a dependency unavailable; its job was deferred. */
    void deferredByDependency() {
        dependencyDeferrals.inc();
    }

    void completed(int jobs) {
        completed.inc(jobs);
    }

    void depth(Map<Priority, Map<JobState, Long>> snapshot) {
        depth = snapshot;
    }
}
