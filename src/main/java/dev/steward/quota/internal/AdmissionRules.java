package dev.steward.quota.internal;

import dev.steward.quota.api.Admission;
import dev.steward.quota.api.AgentKey;
import dev.steward.quota.api.Constraint;
import dev.steward.quota.api.Demand;
import dev.steward.quota.api.Verdict;
import dev.steward.shared.TenantId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admission decision, free of I/O: given the locked slots and what is running, it walks the batch in order and
 * admits each job whose every limit has room, consuming that room; a job that does not fit is held back by the first
 * limit it hits, until that limit can have room again, and the jobs after it are still considered.
 */
final class AdmissionRules {

    private final Map<Slot.Key, Slot> slots;
    private final Map<TenantId, Long> tenantRunning;
    private final Map<AgentKey, Long> agentRunning;
    private final Instant now;
    private final Duration recheck;
    private final Set<TenantId> saturatedTenants = new HashSet<>();
    private final Set<AgentKey> saturatedAgents = new HashSet<>();

    /**
     * @param tenantRunning running jobs per tenant, not counting the batch; updated as jobs are admitted
     * @param agentRunning  running jobs per agent, likewise
     */
    AdmissionRules(Map<Slot.Key, Slot> slots, Map<TenantId, Long> tenantRunning, Map<AgentKey, Long> agentRunning,
                   Instant now, Duration recheck) {
        this.slots = slots;
        this.tenantRunning = new HashMap<>(tenantRunning);
        this.agentRunning = new HashMap<>(agentRunning);
        this.now = now;
        this.recheck = recheck;
    }

    Admission decide(List<Demand> batch) {
        List<Verdict> verdicts = new ArrayList<>(batch.size());
        for (Demand demand : batch) {
            Verdict verdict = check(demand);
            if (verdict.admitted()) {
                consume(demand);
            }
            verdicts.add(verdict);
        }
        return new Admission(verdicts, saturatedTenants, saturatedAgents, now.plus(recheck));
    }

    /** Gives back what {@link #consume} took for jobs that go back to the queue without having run. */
    void refund(List<Demand> returned) {
        for (Demand demand : returned) {
            giveBackRequest(slot(demand.tenant(), Subject.TENANT));
            if (demand.agent() != null) {
                giveBackRequest(slot(demand.tenant(), Subject.agent(demand.agent())));
            }
            for (String key : demand.resources()) {
                Subject subject = Subject.resource(key);
                Slot slot = slot(demand.tenant(), subject);
                if (subject.kind() == Subject.Kind.CHANNEL) {
                    if (slot.limits().perDay() != null) {
                        slot.usage().uncountSend(Usage.utcDay(now));
                    }
                    continue;
                }
                giveBackRequest(slot);
                Integer tokensPerMinute = slot.limits().tokensPerMinute();
                if (tokensPerMinute != null && demand.tokens() > 0) {
                    slot.usage().giveBackTokens(tokensPerMinute, demand.tokens(), now);
                }
            }
        }
    }

    private void giveBackRequest(Slot slot) {
        if (slot.limits().perMinute() != null) {
            slot.usage().giveBackRequest(slot.limits().perMinute(), now);
        }
    }

    private Verdict check(Demand demand) {
        Slot tenant = slot(demand.tenant(), Subject.TENANT);
        Integer tenantConcurrency = tenant.limits().concurrency();
        if (tenantConcurrency != null && tenantRunning.getOrDefault(demand.tenant(), 0L) >= tenantConcurrency) {
            saturatedTenants.add(demand.tenant());
            return new Verdict(Constraint.TENANT_CONCURRENCY, now.plus(recheck));
        }
        Verdict refused = rate(tenant, Constraint.TENANT_RATE);
        if (refused != null) {
            return refused;
        }
        if (demand.agent() != null) {
            Slot agent = slot(demand.tenant(), Subject.agent(demand.agent()));
            Integer agentConcurrency = agent.limits().concurrency();
            AgentKey key = new AgentKey(demand.tenant(), demand.agent());
            if (agentConcurrency != null && agentRunning.getOrDefault(key, 0L) >= agentConcurrency) {
                saturatedAgents.add(key);
                return new Verdict(Constraint.AGENT_CONCURRENCY, now.plus(recheck));
            }
            refused = rate(agent, Constraint.AGENT_RATE);
            if (refused != null) {
                return refused;
            }
        }
        boolean spendsOnModels = false;
        for (String key : demand.resources()) {
            Subject subject = Subject.resource(key);
            Slot slot = slot(demand.tenant(), subject);
            refused = subject.kind() == Subject.Kind.PROVIDER ? provider(slot, demand.tokens()) : channel(slot);
            if (refused != null) {
                return refused;
            }
            spendsOnModels |= subject.kind() == Subject.Kind.PROVIDER;
        }
        return spendsOnModels ? budget(tenant) : Verdict.ADMITTED;
    }

    private Verdict rate(Slot slot, Constraint constraint) {
        Integer perMinute = slot.limits().perMinute();
        if (perMinute == null) {
            return null;
        }
        double left = slot.usage().requestsLeft(perMinute, now);
        return left >= 1 ? null : new Verdict(constraint, Usage.refilledAt(left, 1, perMinute, now));
    }

    private Verdict provider(Slot slot, int tokens) {
        Verdict refused = rate(slot, Constraint.PROVIDER_REQUESTS);
        Integer tokensPerMinute = slot.limits().tokensPerMinute();
        if (refused != null || tokensPerMinute == null || tokens == 0) {
            return refused;
        }
        // A job larger than a whole minute's allowance waits for a full bucket rather than forever, and then takes
        // all it estimated, leaving the bucket in debt.
        double needed = Math.min(tokens, tokensPerMinute);
        double left = slot.usage().tokensLeft(tokensPerMinute, now);
        return left >= needed ? null
                : new Verdict(Constraint.PROVIDER_TOKENS, Usage.refilledAt(left, needed, tokensPerMinute, now));
    }

    private Verdict channel(Slot slot) {
        Integer perDay = slot.limits().perDay();
        if (perDay == null || slot.usage().usedOn(Usage.utcDay(now)) < perDay) {
            return null;
        }
        return new Verdict(Constraint.CHANNEL_DAILY_CAP, Usage.nextUtcDay(now));
    }

    /** A tenant past its monthly budget runs no more model work until the month turns or the budget is raised. */
    private Verdict budget(Slot tenant) {
        BigDecimal budget = tenant.limits().monthlyBudget();
        LocalDate month = Usage.utcMonth(now);
        if (budget == null || tenant.usage().spentIn(month).compareTo(budget) < 0) {
            return Verdict.ADMITTED;
        }
        return new Verdict(Constraint.BUDGET, month.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    private void consume(Demand demand) {
        tenantRunning.merge(demand.tenant(), 1L, Long::sum);
        takeRequest(slot(demand.tenant(), Subject.TENANT));
        if (demand.agent() != null) {
            agentRunning.merge(new AgentKey(demand.tenant(), demand.agent()), 1L, Long::sum);
            takeRequest(slot(demand.tenant(), Subject.agent(demand.agent())));
        }
        for (String key : demand.resources()) {
            Subject subject = Subject.resource(key);
            Slot slot = slot(demand.tenant(), subject);
            if (subject.kind() == Subject.Kind.CHANNEL) {
                if (slot.limits().perDay() != null) {
                    slot.usage().countSend(Usage.utcDay(now));
                }
                continue;
            }
            takeRequest(slot);
            Integer tokensPerMinute = slot.limits().tokensPerMinute();
            if (tokensPerMinute != null && demand.tokens() > 0) {
                slot.usage().takeTokens(tokensPerMinute, demand.tokens(), now);
            }
        }
    }

    private void takeRequest(Slot slot) {
        if (slot.limits().perMinute() != null) {
            slot.usage().takeRequest(slot.limits().perMinute(), now);
        }
    }

    private Slot slot(TenantId tenant, Subject subject) {
        Slot slot = slots.get(new Slot.Key(tenant, subject));
        if (slot == null) {
            throw new IllegalStateException("admission without the lock on " + subject + " of " + tenant);
        }
        return slot;
    }
}
