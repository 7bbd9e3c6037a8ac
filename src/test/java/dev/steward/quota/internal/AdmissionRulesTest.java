package dev.steward.quota.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.quota.api.Admission;
import dev.steward.quota.api.AgentKey;
import dev.steward.quota.api.Constraint;
import dev.steward.quota.api.Demand;
import dev.steward.quota.api.Verdict;
import dev.steward.shared.TenantId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AdmissionRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final Duration RECHECK = Duration.ofSeconds(1);
    private final TenantId tenant = TenantId.random();
    private final Map<Slot.Key, Slot> slots = new HashMap<>();
    private final Map<TenantId, Long> tenantRunning = new HashMap<>();
    private final Map<AgentKey, Long> agentRunning = new HashMap<>();

    @Test
    void tenantConcurrencyCountsWhatRunsAndWhatTheBatchAdmits() {
        limit(Subject.TENANT, new Limits(3, null, null, null, null, null));
        tenantRunning.put(tenant, 1L);

        Admission admission = decide(plain(), plain(), plain());

        assertThat(constraints(admission)).containsExactly(null, null, Constraint.TENANT_CONCURRENCY);
        assertThat(admission.verdicts().get(2).retryAt()).isEqualTo(NOW.plus(RECHECK));
        assertThat(admission.saturatedTenants()).containsExactly(tenant);
    }

    @Test
    void aRateAdmitsAMinutesAllowanceThenWaitsForTheBucketToRefill() {
        limit(Subject.TENANT, new Limits(null, 2, null, null, null, null));

        Admission admission = decide(plain(), plain(), plain());

        assertThat(constraints(admission)).containsExactly(null, null, Constraint.TENANT_RATE);
        // Two per minute: one more in 30 s.
        assertThat(admission.verdicts().get(2).retryAt()).isEqualTo(NOW.plusSeconds(30));
        assertThat(usage(Subject.TENANT).requestsLeft(2, NOW.plusSeconds(30))).isEqualTo(1.0);
        assertThat(admission.saturatedTenants()).isEmpty();
    }

    @Test
    void anAgentAtItsLimitHoldsBackOnlyItsOwnJobs() {
        UUID busy = UUID.randomUUID();
        UUID idle = UUID.randomUUID();
        limit(Subject.TENANT, Limits.NONE);
        limit(Subject.agent(busy), new Limits(1, null, null, null, null, null));
        limit(Subject.agent(idle), new Limits(1, null, null, null, null, null));
        agentRunning.put(new AgentKey(tenant, busy), 1L);

        Admission admission = decide(forAgent(busy), forAgent(idle), forAgent(idle));

        assertThat(constraints(admission)).containsExactly(Constraint.AGENT_CONCURRENCY, null,
                Constraint.AGENT_CONCURRENCY);
        assertThat(admission.saturatedAgents())
                .containsExactlyInAnyOrder(new AgentKey(tenant, busy), new AgentKey(tenant, idle));
    }

    @Test
    void anotherTenantNamingTheSameAgentIdDoesNotUseUpItsRoom() {
        UUID agent = UUID.randomUUID();
        TenantId other = TenantId.random();
        limit(Subject.TENANT, Limits.NONE);
        limit(Subject.agent(agent), new Limits(1, null, null, null, null, null));
        slots.put(new Slot.Key(other, Subject.TENANT), new Slot(Limits.NONE, new Usage()));
        slots.put(new Slot.Key(other, Subject.agent(agent)), new Slot(new Limits(1, null, null, null, null, null),
                new Usage()));
        agentRunning.put(new AgentKey(other, agent), 1L);

        assertThat(constraints(decide(forAgent(agent)))).containsExactly((Constraint) null);
    }

    @Test
    void providerTokensAreMeteredByTheJobsEstimate() {
        limit(Subject.TENANT, Limits.NONE);
        limit(Subject.resource("provider:openai"), new Limits(null, 100, 1_000, null, null, null));

        Admission admission = decide(model("provider:openai", 600), model("provider:openai", 600));

        assertThat(constraints(admission)).containsExactly(null, Constraint.PROVIDER_TOKENS);
        // 400 left, 600 needed, 1,000 a minute: 200 more in 12 s.
        assertThat(admission.verdicts().get(1).retryAt()).isEqualTo(NOW.plusSeconds(12));
    }

    @Test
    void aJobLargerThanAMinutesTokensWaitsForAFullBucketNotForever() {
        limit(Subject.TENANT, Limits.NONE);
        limit(Subject.resource("provider:openai"), new Limits(null, null, 1_000, null, null, null));

        Admission admission = decide(model("provider:openai", 5_000), model("provider:openai", 10));

        assertThat(constraints(admission)).containsExactly(null, Constraint.PROVIDER_TOKENS);
        // It took all it estimated: the bucket is 4,000 in debt, 4,010 tokens (4 min 0.6 s) short of the next job.
        assertThat(usage(Subject.resource("provider:openai")).tokensLeft(1_000, NOW)).isEqualTo(-4_000.0);
        assertThat(admission.verdicts().get(1).retryAt()).isEqualTo(NOW.plusMillis(240_600));
    }

    @Test
    void anAdmissionWhoseClockLagsTheLastOneRefillsNothingAndCountsInTheLaterDay() {
        limit(Subject.TENANT, Limits.NONE);
        Usage provider = limit(Subject.resource("provider:openai"), new Limits(null, 60, null, null, null, null));
        provider.requestLevel = 1.0;
        provider.requestAt = NOW.plusSeconds(5); // written by an admission whose transaction started later
        Usage channel = limit(Subject.resource("channel:mail"), new Limits(null, null, null, 5, null, null));
        channel.day = Usage.utcDay(NOW).plusDays(1);
        channel.dayUsed = 4;

        Admission admission = decide(model("provider:openai", 0), model("provider:openai", 0),
                send("channel:mail"), send("channel:mail"));

        assertThat(constraints(admission)).containsExactly(null, Constraint.PROVIDER_REQUESTS, null,
                Constraint.CHANNEL_DAILY_CAP);
        assertThat(provider.requestAt).isEqualTo(NOW.plusSeconds(5));
        assertThat(channel.day).isEqualTo(Usage.utcDay(NOW).plusDays(1));
        assertThat(channel.dayUsed).isEqualTo(5);
    }

    @Test
    void aChannelCapHoldsExactlyAndReopensAtTheNextUtcDay() {
        limit(Subject.TENANT, Limits.NONE);
        limit(Subject.resource("channel:mail"), new Limits(null, null, null, 2, null, null));

        Admission admission = decide(send("channel:mail"), send("channel:mail"), send("channel:mail"));

        assertThat(constraints(admission)).containsExactly(null, null, Constraint.CHANNEL_DAILY_CAP);
        assertThat(admission.verdicts().get(2).retryAt()).isEqualTo(Instant.parse("2026-11-22T00:00:00Z"));
        assertThat(usage(Subject.resource("channel:mail")).usedOn(Usage.utcDay(NOW))).isEqualTo(2);
    }

    @Test
    void yesterdaysSendsDoNotCountToday() {
        limit(Subject.TENANT, Limits.NONE);
        Usage usage = limit(Subject.resource("channel:mail"), new Limits(null, null, null, 1, null, null));
        usage.day = Usage.utcDay(NOW).minusDays(1);
        usage.dayUsed = 1;

        assertThat(constraints(decide(send("channel:mail")))).containsExactly((Constraint) null);
    }

    @Test
    void aSpentBudgetStopsModelWorkUntilTheMonthTurnsButNotOtherWork() {
        Usage tenantUsage = limit(Subject.TENANT, new Limits(null, null, null, null, null, new BigDecimal("10.00")));
        tenantUsage.month = Usage.utcMonth(NOW);
        tenantUsage.monthSpent = new BigDecimal("10.0001");
        limit(Subject.resource("provider:openai"), Limits.NONE);

        Admission admission = decide(model("provider:openai", 10), plain());

        assertThat(constraints(admission)).containsExactly(Constraint.BUDGET, null);
        assertThat(admission.verdicts().get(0).retryAt()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    }

    @Test
    void aHeldBackJobConsumesNothing() {
        limit(Subject.TENANT, new Limits(null, 10, null, null, null, null));
        limit(Subject.resource("channel:mail"), new Limits(null, null, null, 0, null, null));

        decide(send("channel:mail"));

        assertThat(usage(Subject.TENANT).changed()).isFalse();
        assertThat(usage(Subject.TENANT).requestsLeft(10, NOW)).isEqualTo(10.0);
    }

    @Test
    void defaultsFillOnlyWhatTheSubjectLeftOpen() {
        QuotaSettings defaults = new QuotaSettings(Optional.of(100), Optional.of(60_000), Optional.of(25),
                Optional.empty(), 1_000, RECHECK);

        assertThat(new Limits(5, null, null, null, null, null).withDefaults(Subject.TENANT, defaults))
                .isEqualTo(new Limits(5, 60_000, null, null, null, null));
        assertThat(new Limits(null, null, null, null, "gmail", null)
                .withDefaults(Subject.resource("channel:sales"), defaults).perDay()).isEqualTo(2_000);
        assertThat(Limits.NONE.withDefaults(Subject.resource("channel:sales"), defaults).perDay()).isEqualTo(1_000);
        assertThat(Limits.NONE.withDefaults(Subject.resource("provider:openai"), defaults)).isEqualTo(Limits.NONE);
    }

    @Test
    void aRefundGivesBackWhatAdmissionTookAndNeverMoreThanAFullAllowance() {
        Usage tenantUsage = limit(Subject.TENANT, new Limits(null, 2, null, null, null, null));
        Usage provider = limit(Subject.resource("provider:openai"), new Limits(null, null, 1_000, null, null, null));
        Usage channel = limit(Subject.resource("channel:mail"), new Limits(null, null, null, 1, null, null));
        Demand job = new Demand(tenant, null, List.of("provider:openai", "channel:mail"), 400);

        assertThat(constraints(decide(job, job))).containsExactly(null, Constraint.CHANNEL_DAILY_CAP);
        new AdmissionRules(slots, tenantRunning, agentRunning, NOW, RECHECK).refund(List.of(job));

        assertThat(tenantUsage.requestsLeft(2, NOW)).isEqualTo(2.0);
        assertThat(provider.tokensLeft(1_000, NOW)).isEqualTo(1_000.0);
        assertThat(channel.usedOn(Usage.utcDay(NOW))).isZero();
        // A second refund of the same job cannot lift a bucket past full or a count below zero.
        new AdmissionRules(slots, tenantRunning, agentRunning, NOW, RECHECK).refund(List.of(job));
        assertThat(tenantUsage.requestsLeft(2, NOW)).isEqualTo(2.0);
        assertThat(provider.tokensLeft(1_000, NOW)).isEqualTo(1_000.0);
        assertThat(channel.usedOn(Usage.utcDay(NOW))).isZero();
    }

    private Usage limit(Subject subject, Limits limits) {
        Usage usage = new Usage();
        slots.put(new Slot.Key(tenant, subject), new Slot(limits, usage));
        return usage;
    }

    private Usage usage(Subject subject) {
        return slots.get(new Slot.Key(tenant, subject)).usage();
    }

    private Admission decide(Demand... batch) {
        return new AdmissionRules(slots, tenantRunning, agentRunning, NOW, RECHECK).decide(List.of(batch));
    }

    private Demand plain() {
        return new Demand(tenant, null, List.of(), 0);
    }

    private Demand forAgent(UUID agent) {
        return new Demand(tenant, agent, List.of(), 0);
    }

    private Demand model(String provider, int tokens) {
        return new Demand(tenant, null, List.of(provider), tokens);
    }

    private Demand send(String channel) {
        return new Demand(tenant, null, List.of(channel), 0);
    }

    private static List<Constraint> constraints(Admission admission) {
        List<Constraint> constraints = new ArrayList<>();
        for (Verdict verdict : admission.verdicts()) {
            constraints.add(verdict.constraint());
        }
        return Collections.unmodifiableList(constraints);
    }
}
