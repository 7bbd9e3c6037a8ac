package dev.steward.quota.internal;

import dev.steward.quota.api.Admission;
import dev.steward.quota.api.AdmissionControl;
import dev.steward.quota.api.AgentKey;
import dev.steward.quota.api.Demand;
import dev.steward.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/**
 * Admission in three steps inside the claim's transaction, on the claim's connection: lock the counters of every
 * subject the batch draws on (so admissions of the same subjects on other nodes wait their turn), count what is
 * running, decide ({@link AdmissionRules}), and write back the counters that moved. A refund locks, gives back and
 * writes back the same way.
 */
@ApplicationScoped
class QuotaAdmission implements AdmissionControl {

    @Inject
    UsageStore usage;

    @Inject
    Config config;

    private volatile QuotaSettings settings;

    @Override
    public Admission admit(Connection connection, List<Demand> batch, RunningJobs running) {
        if (batch.isEmpty()) {
            return new Admission(List.of(), Set.of(), Set.of(), null);
        }
        try {
            UsageStore.Locked locked = usage.lock(connection, subjects(batch));
            Map<Slot.Key, Slot> slots = slots(locked);
            Admission admission = decide(batch, running, slots, locked.now());
            usage.save(connection, changed(slots));
            return admission;
        } catch (SQLException e) {
            throw new IllegalStateException("could not admit the claimed jobs", e);
        }
    }

    @Override
    public void refund(Connection connection, List<Demand> returned) {
        if (returned.isEmpty()) {
            return;
        }
        try {
            UsageStore.Locked locked = usage.lock(connection, subjects(returned));
            Map<Slot.Key, Slot> slots = slots(locked);
            new AdmissionRules(slots, Map.of(), Map.of(), locked.now(), settings().recheck()).refund(returned);
            usage.save(connection, changed(slots));
        } catch (SQLException e) {
            throw new IllegalStateException("could not refund the returned jobs", e);
        }
    }

    private Map<Slot.Key, Slot> slots(UsageStore.Locked locked) {
        Map<Slot.Key, Slot> slots = new HashMap<>();
        locked.limits().forEach((key, stored) -> slots.put(key,
                new Slot(stored.withDefaults(key.subject(), settings()), locked.usage().get(key))));
        return slots;
    }

    private Admission decide(List<Demand> batch, RunningJobs running, Map<Slot.Key, Slot> slots, Instant now) {

        Map<TenantId, Long> tenantRunning = new HashMap<>();
        Map<AgentKey, Long> agentRunning = new HashMap<>();
        Set<TenantId> tenants = new LinkedHashSet<>();
        batch.forEach(demand -> tenants.add(demand.tenant()));
        for (Running count : running.count(tenants)) {
            tenantRunning.merge(count.tenant(), count.jobs(), Long::sum);
            if (count.agent() != null) {
                agentRunning.merge(new AgentKey(count.tenant(), count.agent()), count.jobs(), Long::sum);
            }
        }
        // The batch is already marked running; what it may take is decided job by job.
        for (Demand demand : batch) {
            tenantRunning.merge(demand.tenant(), -1L, Long::sum);
            if (demand.agent() != null) {
                agentRunning.merge(new AgentKey(demand.tenant(), demand.agent()), -1L, Long::sum);
            }
        }
        return new AdmissionRules(slots, tenantRunning, agentRunning, now, settings().recheck()).decide(batch);
    }

    private static Map<Slot.Key, Usage> changed(Map<Slot.Key, Slot> slots) {
        Map<Slot.Key, Usage> changed = new LinkedHashMap<>();
        slots.forEach((key, slot) -> {
            if (slot.usage().changed()) {
                changed.put(key, slot.usage());
            }
        });
        return changed;
    }

    /** Every (tenant, subject) the batch draws on, each once. */
    private static Set<Slot.Key> subjects(List<Demand> batch) {
        Set<Slot.Key> keys = new LinkedHashSet<>();
        for (Demand demand : batch) {
            keys.add(new Slot.Key(demand.tenant(), Subject.TENANT));
            if (demand.agent() != null) {
                keys.add(new Slot.Key(demand.tenant(), Subject.agent(demand.agent())));
            }
            demand.resources().forEach(key -> keys.add(new Slot.Key(demand.tenant(), Subject.resource(key))));
        }
        return keys;
    }

    QuotaSettings settings() {
        QuotaSettings current = settings;
        if (current == null) {
            current = QuotaSettings.from(config);
            settings = current;
        }
        return current;
    }
}
