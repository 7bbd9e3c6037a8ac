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
import dev.steward.quota.api.AdmissionControl;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
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
 * This node's dispatcher. Its claimer thread claims due jobs into a local buffer and hands them to workers; it claims
 * for its free workers and, for kinds it has seen finish fast ({@link RunTimes}), a bounded prefetch beyond them, so
 * that a batch is no longer as small as the number of free workers. How far it prefetches follows how fast those kinds
 * run: about {@link #PREFETCH_TARGET_MILLIS} of work for its workers, at most {@code STEWARD_DISPATCH_PREFETCH}. A P0
 * jumps the buffer, and an announced P0 makes the claimer claim at once even when the buffer is full. Buffered jobs
 * are leased to this node and count against concurrency limits; those that wait longer than the buffer's limit, and
 * all of them when the node stops, go back to the queue with their attempts and quota refunded.
 *
 * <p>Outcomes are recorded off the claim path by the {@link Completer}, in batches. The claimer, the completer and the
 * upkeep each hold a connection of the queue's own pool ({@link QueueConnection}), never one the HTTP requests wait
 * for.
 *
 * <p>The upkeep thread renews the leases of running and buffered jobs, gives up on attempts past their kind's maximum
 * run time, and, every rescue interval, refreshes this node's depth gauges and rescues jobs whose lease expired.
 * {@link Housekeeping}'s timer rescues too, but it runs on one node, and when that node dies Liberty hands
 * the timer over only after its missed-task threshold (minutes): every dispatcher rescuing (the claim skips rows
 * another node holds) keeps a dead node's jobs from waiting past their lease and one interval. It starts once Steward
 * has started and stops with the application, letting running jobs finish (or, past the grace period, leaving them
 * to the rescuer: a lease expires, the job runs again).
 */
@ApplicationScoped
class Dispatcher {

    private static final Logger LOG = Logs.of(Dispatcher.class);
    private static final int RESCUE_BATCH = 1000;
    private static final Principal SYSTEM = Principal.system("dispatch");
    private static final long SHUTDOWN_GRACE_SECONDS = 20;
    private static final long CLOCK_MARGIN_MILLIS = 25;
    /** How much work, in time, the prefetch aims to keep buffered for this node's workers. */
    static final long PREFETCH_TARGET_MILLIS = 100;
    /** What a task deferred by its handler shows in {@code deferredBy}. */
    static final String DEPENDENCY = "dependency";
    private static final int MAX_DEPENDENCY_DEFERRALS = 50;
    private static final int MAX_SCHEDULED_WAKEUPS = 10_000;
    /** The shortest time between two claims, but for an announced P0. */
    private static final long CLAIM_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How often the upkeep looks for overdue attempts and jobs waiting too long in the buffer. */
    private static final long SWEEP_MILLIS = 100;

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

    @Inject
    AdmissionControl admissionControl;

    @Resource
    ManagedThreadFactory threads;

    @Resource(lookup = "jdbc/stewardQueue")
    DataSource queueDataSource;

    private final String owner = nodeName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    /** Attempts leased to this node, buffered or running (a job and its attempt number): their leases are renewed. */
    private final Attempts running = new Attempts();
    private final LocalBuffer buffer = new LocalBuffer();
    private final RunTimes runTimes = new RunTimes();
    private final Semaphore wakeUp = new Semaphore(0);
    /** A P0 was announced: claim at once, even with a full buffer. */
    private final AtomicBoolean urgent = new AtomicBoolean();
    private volatile DispatchSettings settings;
    private volatile Pauses pauses;
    private volatile Semaphore slots;
    private volatile Completer completer;
    /** The prefetch of the last cycle: workers wake the claimer when the buffer is down to half of it. */
    private volatile int prefetchNow;
    /**
     * The workers: a fixed pool of managed threads, one per slot, so a claimed job starts at once. (The server's
     * shared executor grows its threads slowly under load, and a claimed job waited there with its lease running.)
     */
    private volatile ExecutorService workers;
    private final ConcurrentSkipListSet<Instant> scheduled = new ConcurrentSkipListSet<>();
    private volatile boolean active;
    private volatile Thread loop;
    private volatile Thread upkeep;

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
        completer = new Completer(new QueueConnection(queueDataSource, SYSTEM.tag(), "dispatch-complete"), owner,
                this::recorded, threads);
        completer.start();
        active = true;
        loop = threads.newThread(this::run);
        loop.setName("steward-dispatcher");
        loop.start();
        upkeep = threads.newThread(this::keepUp);
        upkeep.setName("steward-dispatch-upkeep");
        upkeep.start();
        arrivals.start();
        LOG.info("Dispatcher " + owner + " started for " + handlers.kinds() + " with " + settings);
    }

    /** Jobs arrived (submitted here, or notified from any node): claim now rather than at the next poll. */
    void wake() {
        wakeUp.release();
    }

    /** P0 jobs arrived: claim now, even if the buffer is full, so that they start before the buffered ones. */
    void wakeUrgently() {
        urgent.set(true);
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
        upkeep.interrupt();
        try {
            // The loop hands its buffer back as it ends.
            thread.join(TimeUnit.SECONDS.toMillis(5));
            upkeep.join(TimeUnit.SECONDS.toMillis(5));
            boolean drained = slots.tryAcquire(settings.workers(), SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
            // The workers have finished (or the grace period is over): record what they finished.
            boolean recorded = completer.stopAndFlush();
            if (drained && recorded) {
                LOG.info("Dispatcher stopped; no job left running");
            } else {
                LOG.warning("Dispatcher stopped with " + running.size() + " jobs unrecorded; their leases will expire");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            workers.shutdownNow();
        }
    }

    private void run() {
        try (QueueConnection claimer = new QueueConnection(queueDataSource, SYSTEM.tag(), "dispatch-claim")) {
            try {
                claimUntilStopped(claimer);
            } finally {
                handBack(claimer, buffer.takeAll(), "the node is stopping");
            }
        }
    }

    private void claimUntilStopped(QueueConnection claimer) {
        Instant deferredDue = null; // when the first job this node held back may run
        long lastClaim = System.nanoTime() - CLAIM_GAP_NANOS;
        while (active) {
            try {
                startBuffered();
                int free = slots.availablePermits();
                Set<String> prefetchKinds = runTimes.fastKinds(handlers.prefetchable());
                int prefetch = prefetch(prefetchKinds);
                prefetchNow = prefetch;
                int wanted = free + prefetch - buffer.size();
                int forOthers = Math.max(0, free - buffer.size());
                boolean urgentNow = urgent.getAndSet(false);
                if (urgentNow) {
                    wanted = Math.max(wanted, 1);
                    forOthers = Math.max(forOthers, 1);
                }
                boolean claiming = urgentNow || worthClaiming(wanted, prefetch);
                if (claiming && !urgentNow) {
                    // Claims come at most every CLAIM_GAP: a tenant held to its concurrency limit frees a slot with
                    // each job that finishes, and a claim per slot would cost a round trip per job.
                    long gap = lastClaim + CLAIM_GAP_NANOS - System.nanoTime();
                    if (gap > 0) {
                        TimeUnit.NANOSECONDS.sleep(gap);
                        continue;
                    }
                }
                Claims.Claim claim = claiming ? claim(claimer, wanted, forOthers, prefetchKinds) : Claims.Claim.NOTHING;
                if (claiming) {
                    lastClaim = System.nanoTime();
                }
                if (claim.claimed() > 0) {
                    pauses.claimed(claim.admitted());
                    pauses.pause(claim.saturatedTenants(), claim.saturatedAgents(), claim.recheckAt());
                    metrics.deferred(claim.deferred());
                    claim.admitted().forEach(running::add);
                    buffer.add(claim.admitted(), System.nanoTime());
                    startBuffered();
                }
                // Fewer than asked for, all held back, or no room: nothing more is due now, so wait for news (a
                // worker finishing, an arrival), or for the moment the first job held back may run.
                if (claim.claimed() < wanted || wanted <= 0) {
                    deferredDue = earliest(deferredDue, claim.nextDeferredDue());
                    wakeUp.tryAcquire(sleepMillis(earliest(deferredDue, nextScheduled())), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Dispatcher cycle failed; trying again shortly", e);
                pause();
            }
        }
    }

    /**
     * The claimer's upkeep, on a thread of its own so that a slow statement never holds up a claim: every
     * {@link #SWEEP_MILLIS}, attempts past their maximum run time and jobs waiting too long in the buffer; every
     * third of a lease, the renewal of this node's leases; every rescue interval, the depth gauges and the rescue of
     * expired leases.
     */
    private void keepUp() {
        try (QueueConnection connection = new QueueConnection(queueDataSource, SYSTEM.tag(), "dispatch-upkeep")) {
            long nextDepth = 0;
            long nextHeartbeat = 0;
            while (active) {
                try (CurrentRequest.Scope ignored = CurrentRequest.open(systemContext("dispatch-upkeep"))) {
                    long now = System.currentTimeMillis();
                    if (now >= nextDepth) {
                        metrics.depth(store.depth());
                        int rescued = store.rescueExpired(RESCUE_BATCH);
                        if (rescued > 0) {
                            LOG.info("Rescued " + rescued + " jobs whose lease expired");
                        }
                        nextDepth = now + TimeUnit.SECONDS.toMillis(settings.rescueSeconds());
                    }
                    if (now >= nextHeartbeat && !running.isEmpty()) {
                        store.heartbeat(owner, running.snapshot(), settings.leaseSeconds());
                        nextHeartbeat = now + TimeUnit.SECONDS.toMillis(settings.leaseSeconds()) / 3;
                    }
                    giveUpOverdue();
                    List<JobRow> stale = buffer.takeWaitingLongerThan(
                            TimeUnit.MILLISECONDS.toNanos(settings.bufferWaitMillis()), System.nanoTime());
                    // The workers were busier than their kinds' times promised (a kind fast for most tenants can be
                    // slow for one): those kinds are claimed only for free workers until they prove fast again, so
                    // the jobs go to a node with room rather than straight back into this buffer.
                    stale.forEach(job -> runTimes.record(job.kind(),
                            TimeUnit.MILLISECONDS.toNanos(settings.bufferWaitMillis())));
                    handBack(connection, stale, "it waited in the buffer too long");
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Dispatcher upkeep failed; trying again shortly", e);
                }
                Thread.sleep(SWEEP_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * How many jobs of fast kinds to claim beyond the free workers: enough to keep the workers busy for about
     * {@link #PREFETCH_TARGET_MILLIS} at the pace the slowest of those kinds runs, at most the configured prefetch.
     */
    private int prefetch(Set<String> prefetchKinds) {
        if (prefetchKinds.isEmpty() || settings.prefetch() == 0) {
            return 0;
        }
        long perJob = Math.max(1_000, runTimes.slowestNanos(prefetchKinds));
        long affordable = settings.workers() * TimeUnit.MILLISECONDS.toNanos(PREFETCH_TARGET_MILLIS) / perJob;
        return (int) Math.min(settings.prefetch(), affordable);
    }

    /**
     * A claim costs a round trip and a scan of every tenant's head whatever its size: with a prefetch, refill the
     * buffer once it is half empty rather than claim a job or two each time a worker finishes.
     */
    private boolean worthClaiming(int wanted, int prefetch) {
        return wanted > 0 && (prefetch == 0 || buffer.size() <= prefetch / 2);
    }

    private Claims.Claim claim(QueueConnection claimer, int limit, int forOthers, Set<String> prefetchKinds) {
        Claims.Request request = new Claims.Request(owner, handlers.kinds(), prefetchKinds, limit, forOthers,
                settings.leaseSeconds(), pauses.tenants(), pauses.agents(), pauses.caps());
        try {
            return claimer.inTransaction(db -> Claims.claim(db, admissionControl, request));
        } catch (SQLException e) {
            throw new IllegalStateException("could not claim jobs", e);
        }
    }

    /** Starts buffered jobs, most urgent first, while workers are free: on the claimer's and the workers' threads. */
    private void startBuffered() {
        while (slots.tryAcquire()) {
            JobRow job = buffer.next();
            if (job == null) {
                slots.release();
                return;
            }
            metrics.claimed(job, Instant.now());
            start(job);
        }
    }

    /** Buffered jobs that will not start here go back to the queue, their attempts and quota refunded. */
    private void handBack(QueueConnection claimer, List<JobRow> jobs, String why) {
        if (jobs.isEmpty()) {
            return;
        }
        try {
            int returned = claimer.inTransaction(db -> Claims.handBack(db, admissionControl, owner, jobs));
            LOG.fine(() -> "Handed " + returned + " buffered jobs back to the queue: " + why);
        } catch (SQLException | RuntimeException e) {
            // Still leased to this node: once the renewals stop, the rescuer gives them back.
            LOG.log(Level.WARNING, "Could not hand " + jobs.size() + " buffered jobs back; their leases will expire",
                    e);
        } finally {
            running.removeAll(jobs);
            jobs.forEach(job -> pauses.finished(job.tenant(), job.agent()));
        }
    }

    /** The completer recorded a batch of outcomes: those attempts are no longer this node's. */
    private void recorded(List<Outcome> batch, int completed, Map<Long, String> failed) {
        running.removeAll(batch.stream().map(Outcome::job).toList());
        // Only now does admission's count of running jobs drop: room for a paused tenant comes with the record,
        // not with the handler's return, or the claim it allows would be held back again.
        batch.forEach(outcome -> pauses.finished(outcome.job().tenant(), outcome.job().agent()));
        if (pauses.any()) {
            wakeUp.release(); // a paused tenant may have room now
        }
        metrics.completed(completed);
        failed.values().forEach(metrics::outcome);
        batch.stream().filter(o -> o.kind() == Outcome.Kind.DEFERRED).forEach(o -> metrics.deferredByDependency());
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
            pauses.finished(job.tenant(), job.agent());
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
            Outcome outcome;
            // The handler acts for the job's tenant, as the job: not as Steward's machinery, whose functions
            // (claiming, recording outcomes, the operator's lists) its transactions must not reach.
            RequestContext asJob = new RequestContext("job-" + job.id(), job.tenant(), Principal.job(job.id()),
                    Set.of(), null, null);
            long began = System.nanoTime();
            try (CurrentRequest.Scope ignored = CurrentRequest.open(asJob)) {
                running.begin(job, handlers.maxRunTime(job.kind()).toNanos());
                handlers.forKind(job.kind()).orElseThrow().handle(job.toJob());
                outcome = Outcome.completed(job);
            } catch (PermanentJobFailure e) {
                outcome = Outcome.failed(job, e.getMessage(), null);
            } catch (DependencyUnavailable e) {
                if (job.dependencyDeferrals() < MAX_DEPENDENCY_DEFERRALS) {
                    LOG.log(Level.FINE, "Job " + job.id() + " deferred: " + e.getMessage());
                    outcome = Outcome.deferred(job, Instant.now().plus(e.retryAfter()), DEPENDENCY);
                } else {
                    // Not for ever: a dependency that never comes back costs attempts in the end.
                    outcome = Outcome.failed(job, e.getMessage() + " (still, after " + job.dependencyDeferrals()
                            + " deferrals)", Backoff.retryAt(job.attempt(), Instant.now()));
                }
            } catch (Exception e) {
                LOG.log(Level.FINE, "Job " + job.id() + " attempt " + job.attempt() + " failed", e);
                outcome = Outcome.failed(job, String.valueOf(e), Backoff.retryAt(job.attempt(), Instant.now()));
            }
            runTimes.record(job.kind(), System.nanoTime() - began);
            if (!running.settle(job)) {
                // The dispatcher gave up on it as overdue and recorded why; the interruption is what ended it.
                return;
            }
            // Recorded by the completer with the others that finished meanwhile; the lease stays renewed until
            // then, since the attempt is still in the running set.
            completer.add(outcome);
        } catch (InterruptedException e) {
            // Stopping: the attempt's lease expires and the job runs again.
            Thread.currentThread().interrupt();
        } finally {
            slots.release();
            startBuffered();
            if (buffer.size() <= prefetchNow / 2) {
                wakeUp.release(); // time to refill
            }
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
