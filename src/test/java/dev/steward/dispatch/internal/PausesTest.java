package dev.steward.dispatch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.dispatch.api.JobState;
import dev.steward.dispatch.api.Priority;
import dev.steward.quota.api.AgentKey;
import dev.steward.shared.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PausesTest {

    private final TenantId busy = TenantId.random();
    private final Pauses pauses = new Pauses();

    @Test
    void aSaturatedTenantIsPassedOverThenGetsRoomForAsManyJobsAsFinished() {
        pauses.pause(Set.of(busy), Set.of(), Instant.now().plusSeconds(60));
        assertThat(pauses.tenants()).containsExactly(busy);
        assertThat(pauses.caps()).isEmpty();

        pauses.finished(busy, null);
        pauses.finished(busy, null);
        assertThat(pauses.tenants()).isEmpty();
        assertThat(pauses.caps()).isEqualTo(Map.of(busy, 2));

        pauses.claimed(List.of(job(busy), job(busy)));
        assertThat(pauses.tenants()).containsExactly(busy);
        assertThat(pauses.caps()).isEmpty();
    }

    @Test
    void pausesEndAtTheirRecheckTimeAndAnAgentsWhenOneOfItsJobsFinishes() {
        UUID agent = UUID.randomUUID();
        pauses.pause(Set.of(busy), Set.of(new AgentKey(busy, agent)), Instant.now().minusMillis(1));
        assertThat(pauses.tenants()).isEmpty();
        assertThat(pauses.caps()).isEmpty();

        pauses.pause(Set.of(), Set.of(new AgentKey(busy, agent)), Instant.now().plusSeconds(60));
        assertThat(pauses.agents()).containsExactly(new AgentKey(busy, agent));
        pauses.finished(busy, agent);
        assertThat(pauses.agents()).isEmpty();
    }

    private static JobRow job(TenantId tenant) {
        return new JobRow(1, tenant, "noop", Priority.P2, "{}", JobState.RUNNING, 1, 5, Instant.EPOCH, Instant.EPOCH,
                Instant.EPOCH, null, null, null, null, List.of(), 0, 0, null, 0);
    }
}
