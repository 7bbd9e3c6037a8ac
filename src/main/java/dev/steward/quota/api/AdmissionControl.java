package dev.steward.quota.api;

import dev.steward.shared.TenantId;
import java.sql.Connection;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Checks claimed jobs against every limit that applies to them and consumes what the admitted ones draw on. It runs
 * in the caller's transaction on the caller's connection (the dispatcher's own, outside JTA), as Steward's system
 * principal, and locks the counters it reads until that transaction ends, so concurrent admissions on any node take
 * turns and no limit is ever overrun.
 */
public interface AdmissionControl {

    /**
     * @param connection the claim's connection, in its transaction
     * @param batch      the claimed jobs, most urgent first: earlier ones get capacity first
     * @param running    counts the running jobs of the given tenants (including this batch, which the caller has
     *                   already marked running); called once the counters are locked
     */
    Admission admit(Connection connection, List<Demand> batch, RunningJobs running);

    /**
     * Gives back what admitted jobs took but never used: they are going back to the queue without having started
     * (a node's buffer held them too long, or the node is stopping). Their requests, tokens and channel sends return
     * to the counters (never past a full allowance); running counts need nothing, since the jobs stop being running.
     */
    void refund(Connection connection, List<Demand> returned);

    /** Running jobs by tenant and agent, as the queue counts them. */
    @FunctionalInterface
    interface RunningJobs {
        List<Running> count(Collection<TenantId> tenants);
    }

    /** {@code jobs} running for {@code tenant} on behalf of {@code agent} (null: no agent). */
    record Running(TenantId tenant, UUID agent, long jobs) {
    }
}
