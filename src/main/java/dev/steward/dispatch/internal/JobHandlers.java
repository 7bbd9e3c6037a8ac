package dev.steward.dispatch.internal;

import dev.steward.dispatch.api.JobHandler;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;

/** Every {@link JobHandler} bean, by kind. Two handlers for one kind is a deployment error. */
@ApplicationScoped
class JobHandlers {

    @Inject
    @Any
    Instance<JobHandler> discovered;

    /** No attempt runs longer than this, whatever its kind says. */
    private static final Duration LONGEST_RUN = Duration.ofDays(7);

    @Inject
    Config config;

    private final Map<String, JobHandler> byKind = new TreeMap<>();
    private final Map<String, Duration> maxRunTimes = new TreeMap<>();

    @PostConstruct
    void index() {
        for (JobHandler handler : discovered) {
            JobHandler previous = byKind.putIfAbsent(handler.kind(), handler);
            Duration maxRunTime = config
                    .getOptionalValue("steward.dispatch.max-run-seconds." + handler.kind(), Long.class)
                    .map(Duration::ofSeconds).orElse(handler.maxRunTime());
            if (maxRunTime.isNegative() || maxRunTime.isZero() || maxRunTime.compareTo(LONGEST_RUN) > 0) {
                throw new IllegalStateException("maximum run time of job kind " + handler.kind() + " must be"
                        + " between 1 s and " + LONGEST_RUN.toDays() + " days: " + maxRunTime);
            }
            maxRunTimes.put(handler.kind(), maxRunTime);
            if (previous != null) {
                throw new IllegalStateException("two handlers for job kind " + handler.kind());
            }
        }
    }

    Optional<JobHandler> forKind(String kind) {
        return Optional.ofNullable(byKind.get(kind));
    }

    /** The kind's maximum run time per attempt: the handler's own, or the configured override. */
    Duration maxRunTime(String kind) {
        return maxRunTimes.get(kind);
    }

    Set<String> kinds() {
        return byKind.keySet();
    }

    /** The kinds whose handlers allow claiming ahead of free workers. */
    Set<String> prefetchable() {
        return byKind.values().stream().filter(JobHandler::prefetchable).map(JobHandler::kind)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    boolean submittableByTenants(String kind) {
        return forKind(kind).map(JobHandler::submittableByTenants).orElse(false);
    }
}
