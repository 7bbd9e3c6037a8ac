package dev.steward.dispatch.internal;

import dev.steward.dispatch.api.DependencyUnavailable;
import dev.steward.dispatch.api.PermanentJobFailure;
import dev.steward.shared.CurrentRequest;
import dev.steward.shared.Logs;
import dev.steward.shared.Principal;
import dev.steward.shared.RequestContext;
import dev.steward.shared.StewardStarted;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * This node's dispatcher: one thread that claims as many due jobs as it has free workers, hands each to a worker,
 * and otherwise sleeps until the poll interval passes or {@link JobArrivals} reports new jobs. Between claims it renews
 * the leases of running jobs, gives up on attempts past their kind's maximum run time, and, every rescue interval,
 * refreshes this node's depth gauges and rescues jobs whose lease expired. {@link Housekeeping}'s timer rescues
 * too, but it runs on one node, and when that node dies Liberty hands the timer over only after its missed-task
 * threshold (minutes): every dispatcher rescuing (the claim skips rows another node holds) keeps a dead node's jobs
 * from waiting past their lease and one interval. It starts once Steward has started and stops with the application, letting running jobs finish (or, past the grace period, leaving them to the
 * rescuer: a lease expires, the job runs again).
 */
@ApplicationScoped
class Dispatcher {

    private static final Logger LOG = Logs.of(Dispatcher.class);
    private static final int RESCUE_BATCH = 1000;
    private static final Principal SYSTEM = Principal.system("dispatch");
    private static final long SHUTDOWN_GRACE_SECONDS = 20;
    private static final long CLOCK_MARGIN_MILLIS = 25;
    /** What a task deferred by its handler shows in {@code deferredBy}. */
    static final String DEPENDENCY = "dependency";
    private static final int MAX_DEPENDENCY_DEFERRALS = 50;
    private static final int MAX_SCHEDULED_WAKEUPS = 10_000;

    @Inject
    Config config;

    @Inject
    JobStore store;

    @Inject
    JobHandlers handlers;

    @Inject
    DispatchMetrics metrics;

    @Inject
    JobArrivals arrivals;

    @Resource
    ManagedThreadFactory threads;


    private final String owner = nodeName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    /** Attempts running on this node (a job and its attempt number): their leases are renewed. */
    private final Attempts running = new Attempts();
    /** Jobs whose handler returned, waiting for the next cycle to record them all in one round trip. */
    private final Queue<JobRow> done = new ConcurrentLinkedQueue<>();
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile DispatchSettings settings;
    private volatile Pauses pauses;
    private volatile Semaphore slots;
    /**
     * The workers: a fixed pool of managed threads, one per slot, so a claimed job starts at once. (The server's
     * shared executor grows its threads slowly under load, and a claimed job waited there with its lease running.)
     */
    private volatile ExecutorService workers;
    private final ConcurrentSkipListSet<Instant> scheduled = new ConcurrentSkipListSet<>();
    private volatile boolean active;
    private volatile Thread loop;

    synchronized void start(@Observes StewardStarted started) {
        if (loop != null) {
            return;
        }
        settings = DispatchSettings.from(config);
        if (!settings.enabled() || handlers.kinds().isEmpty()) {
            LOG.info("Dispatcher off on this node");
            return;
        }
        settings.validate();
        slots = new Semaphore(settings.workers());
        workers = Executors.newFixedThreadPool(settings.workers(), threads);
        pauses = new Pauses();
        active = true;
        loop = threads.newThread(this::run);
        loop.setName("steward-dispatcher");
        loop.start();
        arrivals.start();
        LOG.info("Dispatcher " + owner + " started for " + handlers.kinds() + " with " + settings);
    }

    /** Jobs arrived (submitted here, or notified from any node): claim now rather than at the next poll. */
    void wake() {
        wakeUp.release();
    }

    /**
     * Jobs arrived that are due at {@code due}: claim then rather than at the next poll after it. A bounded number
     * of moments is kept; past that, polling covers.
     */
    void wakeAt(Instant due) {
        if (scheduled.size() < MAX_SCHEDULED_WAKEUPS) {
            scheduled.add(due);
        }
        wakeUp.release();
    }

    @PreDestroy
    void stop() {
        active = false;
        Thread thread = loop;
        if (thread == null) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
            boolean drained = slots.tryAcquire(settings.workers(), SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
            // The loop has ended: record here what finished during the grace period.
            try (CurrentRequest.Scope ignored = CurrentRequest.open(systemContext("dispatch-stop"))) {
                recordDone();
            }
            if (drained) {
                LOG.info("Dispatcher stopped; no job left running");
            } else {
                LOG.warning("Dispatcher stopped with " + running.size() + " jobs running; their leases will expire");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not record the last finished jobs; they will run again", e);
        } finally {
            workers.shutdownNow();
        }
    }

    private void run() {
        long nextDepth = 0;
        long nextHeartbeat = 0;
        Instant deferredDue = null; // when the first job this node held back may run
        while (active) {
            try (CurrentRequest.Scope ignored = CurrentRequest.open(systemContext("dispatch"))) {
                long now = System.currentTimeMillis();
                if (now >= nextDepth) {
                    metrics.depth(store.depth());
                    int rescued = store.rescueExpired(RESCUE_BATCH);
                    if (rescued > 0) {
                        LOG.info("Rescued " + rescued + " jobs whose lease expired");
                    }
                    nextDepth = now + TimeUnit.SECONDS.toMillis(settings.rescueSeconds());
                }
                giveUpOverdue();
                if (now >= nextHeartbeat && !running.isEmpty()) {
                    store.heartbeat(owner, running.snapshot(), settings.leaseSeconds());
                    nextHeartbeat = now + TimeUnit.SECONDS.toMillis(settings.leaseSeconds()) / 3;
                }
                int free = slots.availablePermits();
                JobStore.Claim claim = recordAndClaim(free);
                pauses.pause(claim.saturatedTenants(), claim.saturatedAgents(), claim.recheckAt());
                metrics.deferred(claim.deferred());
                List<JobRow> claimed = claim.admitted();
                Instant claimedAt = Instant.now();
                for (JobRow job : claimed) {
                    metrics.claimed(job, claimedAt);
                    slots.acquire();
                    running.add(job);
                    start(job);
                }
                // Fewer than asked for, all held back or none: nothing more is due now, so wait for news, or for the
                // moment the first job held back may run.
                if (claim.claimed() < free || free == 0) {
                    deferredDue = earliest(deferredDue, claim.nextDeferredDue());
                    wakeUp.tryAcquire(sleepMillis(earliest(deferredDue, nextScheduled())), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Dispatcher cycle failed; trying again shortly", e);
                pause();
            }
        }
    }

    /**
     * One transaction per cycle: completes the jobs whose handlers returned since the last cycle (one statement) and
     * claims up to {@code free} more. If it fails the finished jobs go back for the next cycle; their leases are
     * renewed meanwhile.
     */
    private JobStore.Claim recordAndClaim(int free) {
        List<JobRow> finished = drainDone();
        if (finished.isEmpty() && free == 0) {
            return JobStore.Claim.NOTHING;
        }
        try {
            JobStore.Claim claim = store.claim(owner, finished, handlers.kinds(), free, settings.leaseSeconds(),
                    pauses.tenants(), pauses.agents());
            running.removeAll(finished);
            metrics.completed(claim.completed());
            return claim;
        } catch (RuntimeException e) {
            done.addAll(finished);
            throw e;
        }
    }

    /** At shutdown: completes what finished during the grace period. */
    private void recordDone() {
        List<JobRow> batch = drainDone();
        if (batch.isEmpty()) {
            return;
        }
        try {
            metrics.completed(store.completeMany(owner, batch));
        } catch (RuntimeException e) {
            done.addAll(batch);
            throw e;
        }
        running.removeAll(batch);
    }

    private List<JobRow> drainDone() {
        List<JobRow> batch = new ArrayList<>();
        for (JobRow job = done.poll(); job != null; job = done.poll()) {
            batch.add(job);
        }
        return batch;
    }

    /**
     * Attempts past their kind's maximum run time are interrupted and recorded as failed (retried with backoff while
     * attempts remain): a hung handler does not keep its job, or its lease, for ever. Its worker slot comes back
     * only when the handler really returns.
     */
    private void giveUpOverdue() {
        for (JobRow job : running.takeOverdue(System.nanoTime())) {
            String error = "ran longer than its maximum of " + handlers.maxRunTime(job.kind()).toSeconds()
                    + " s and was interrupted";
            LOG.warning("Job " + job.id() + " attempt " + job.attempt() + " " + error);
            store.fail(owner, job, error, Backoff.retryAt(job.attempt(), Instant.now())).ifPresent(metrics::outcome);
        }
    }

    /** Hands a claimed job to a worker; if the executor refuses (Steward is stopping), the job goes back at once. */
    private void start(JobRow job) {
        try {
            running.attach(job, workers.submit(() -> runJob(job)));
        } catch (RejectedExecutionException e) {
            running.remove(job);
            slots.release();
            store.fail(owner, job, "the node stopped before the job could start", Instant.now());
        }
    }

    private void runJob(JobRow job) {
        try {
            boolean succeeded = false;
            String error = null;
            Instant retryAt = null;
            Instant deferUntil = null;
            // The handler acts for the job's tenant, as the job: not as Steward's machinery, whose functions
            // (claiming, recording outcomes, the operator's lists) its transactions must not reach.
            RequestContext asJob = new RequestContext("job-" + job.id(), job.tenant(), Principal.job(job.id()),
                    Set.of(), null, null);
            try (CurrentRequest.Scope ignored = CurrentRequest.open(asJob)) {
                running.begin(job, handlers.maxRunTime(job.kind()).toNanos());
                handlers.forKind(job.kind()).orElseThrow().handle(job.toJob());
                succeeded = true;
            } catch (PermanentJobFailure e) {
                error = e.getMessage();
            } catch (DependencyUnavailable e) {
                if (job.dependencyDeferrals() < MAX_DEPENDENCY_DEFERRALS) {
                    LOG.log(Level.FINE, "Job " + job.id() + " deferred: " + e.getMessage());
                    deferUntil = Instant.now().plus(e.retryAfter());
                } else {
                    // Not for ever: a dependency that never comes back costs attempts in the end.
                    error = e.getMessage() + " (still, after " + job.dependencyDeferrals() + " deferrals)";
                    retryAt = Backoff.retryAt(job.attempt(), Instant.now());
                }
            } catch (Exception e) {
                LOG.log(Level.FINE, "Job " + job.id() + " attempt " + job.attempt() + " failed", e);
                error = String.valueOf(e);
                retryAt = Backoff.retryAt(job.attempt(), Instant.now());
            }
            if (!running.settle(job)) {
                // The dispatcher gave up on it as overdue and recorded why; the interruption is what ended it.
                return;
            }
            if (succeeded) {
                // Recorded by the dispatcher's next cycle, with the others that finished meanwhile; the lease
                // stays renewed until then, since the attempt is still in the running set.
                done.add(job);
            } else {
                running.remove(job);
                try (CurrentRequest.Scope ignored = CurrentRequest.open(systemContext("job-" + job.id()))) {
                    if (deferUntil != null) {
                        store.defer(owner, job, deferUntil, DEPENDENCY);
                        metrics.deferredByDependency();
                    } else {
                        store.fail(owner, job, error, retryAt).ifPresent(metrics::outcome);
                    }
                }
            }
        } catch (RuntimeException e) {
            // Recording the outcome failed (the database went away): the lease expires and the job runs again.
            LOG.log(Level.WARNING, "Could not record the outcome of job " + job.id(), e);
        } finally {
            pauses.finished(job.tenant(), job.agent());
            slots.release();
            wakeUp.release();
        }
    }

    private long sleepMillis(Instant deferredDue) {
        // A little past the moment, so that the database's clock has reached it too.
        long untilDue = deferredDue == null ? Long.MAX_VALUE
                : Duration.between(Instant.now(), deferredDue).toMillis() + CLOCK_MARGIN_MILLIS;
        return Math.max(1, Math.min(settings.pollMillis(), untilDue));
    }

    /** The first moment a scheduled job is due, forgetting those that have passed. */
    private Instant nextScheduled() {
        Instant now = Instant.now();
        for (Instant first = scheduled.pollFirst(); first != null; first = scheduled.pollFirst()) {
            if (first.isAfter(now)) {
                scheduled.add(first);
                return first;
            }
        }
        return null;
    }

    /** The earlier of two moments, forgetting one already past. */
    private static Instant earliest(Instant known, Instant next) {
        Instant now = Instant.now();
        Instant a = known != null && known.isAfter(now) ? known : null;
        Instant b = next != null && next.isAfter(now) ? next : null;
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static RequestContext systemContext(String requestId) {
        return new RequestContext(requestId, null, SYSTEM, Set.of(), null, null);
    }

    private void pause() {
        try {
            Thread.sleep(settings.pollMillis() * 4);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            active = false;
        }
    }

    /** {@code STEWARD_NODE_NAME}, or the host's name: what this node's leases are owned as, before a random part. */
    private static String nodeName() {
        Optional<String> configured = ConfigProvider.getConfig().getOptionalValue("steward.node.name", String.class);
        if (configured.isPresent()) {
            return configured.get();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "node";
        }
    }
}
