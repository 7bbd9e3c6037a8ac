package dev.steward.admin.internal;

import dev.steward.audit.api.AuditReader;
import dev.steward.shared.CurrentRequest;
import dev.steward.shared.RequestContext;
import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.TenantScope;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Verifications of tenants' audit chains, run in the background so that a long trail shows its progress instead of
 * holding a page load: one at a time per tenant, the latest kept per tenant on this node (like the admin session
 * itself, which lives on the node that signed the person in).
 */
@ApplicationScoped
public class ChainVerifications {

    private static final Logger LOG = Logger.getLogger(ChainVerifications.class.getName());

    @Resource
    ManagedExecutorService executor;

    @Inject
    AuditReader reader;

    @Inject
    TenantScope scope;

    private final Map<TenantId, Check> checks = new ConcurrentHashMap<>();

    /**
     * A verification: running (with how far it got), or done with its result, or failed (the walk itself could
     * not finish; the result says nothing about the chain then).
     */
    public record Check(boolean running, long checked, long of, Instant startedAt, Instant finishedAt,
                        AuditReader.Verification result, boolean failed) {

        static Check started() {
            return new Check(true, 0, 0, Instant.now(), null, null, false);
        }

        Check walked(long walked, long total) {
            return new Check(true, walked, total, startedAt, null, null, false);
        }

        Check done(AuditReader.Verification verification) {
            return new Check(false, verification.checked(), verification.entries(), startedAt, Instant.now(),
                    verification, false);
        }

        Check gaveUp() {
            return new Check(false, checked, of, startedAt, Instant.now(), null, true);
        }

        /** Whether this is a result (or a failure) that finished more than {@code age} ago. */
        boolean olderThan(Duration age) {
            return !running && finishedAt.isBefore(Instant.now().minus(age));
        }

        /** How far the walk got, in whole percent of the entries the trail held when it began. */
        public int percent() {
            return of == 0 ? (running ? 0 : 100) : (int) Math.min(100, checked * 100 / of);
        }
    }

    Optional<Check> of(TenantId tenant) {
        return Optional.ofNullable(checks.get(tenant));
    }

    /** Starts a verification of the tenant's chain unless one is running; whether this call started it. */
    boolean start(TenantId tenant) {
        Check started = Check.started();
        Check current = checks.compute(tenant, (key, existing) -> existing != null && existing.running() ? existing
                : started);
        if (current != started) {
            return false;
        }
        RequestContext asker = CurrentRequest.get();
        try {
            executor.execute(() -> walk(tenant, asker));
        } catch (RejectedExecutionException e) {
            checks.put(tenant, started.gaveUp()); // the server is stopping
        }
        return true;
    }

    private void walk(TenantId tenant, RequestContext asker) {
        try (CurrentRequest.Scope ignored = CurrentRequest.open(asker)) {
            AuditReader.Verification result = scope.call(tenant, () -> reader.verify((walked, total) ->
                    checks.computeIfPresent(tenant, (key, check) -> check.walked(walked, total))));
            checks.computeIfPresent(tenant, (key, check) -> check.done(result));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Verifying a tenant's audit chain failed", e);
            checks.computeIfPresent(tenant, (key, check) -> check.gaveUp());
        }
    }
}
