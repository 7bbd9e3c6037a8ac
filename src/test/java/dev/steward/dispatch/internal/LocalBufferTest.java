package dev.steward.dispatch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.dispatch.api.JobState;
import dev.steward.dispatch.api.Priority;
import dev.steward.shared.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LocalBufferTest {

    private final TenantId tenant = TenantId.random();
    private final LocalBuffer buffer = new LocalBuffer();

    @Test
    void aP0ClaimedAfterABufferOfP3sStartsFirstAndTheP3sKeepTheirClaimOrder() {
        buffer.add(List.of(job(1, Priority.P3), job(2, Priority.P3), job(3, Priority.P2)), 0);
        buffer.add(List.of(job(4, Priority.P0), job(5, Priority.P3)), 10);

        List<Long> order = new ArrayList<>();
        for (JobRow next = buffer.next(); next != null; next = buffer.next()) {
            order.add(next.id());
        }

        assertThat(order).containsExactly(4L, 3L, 1L, 2L, 5L);
    }

    @Test
    void jobsThatWaitedTooLongAreTakenOutAndTheOthersStay() {
        long second = TimeUnit.SECONDS.toNanos(1);
        buffer.add(List.of(job(1, Priority.P2), job(2, Priority.P2)), 0);
        buffer.add(List.of(job(3, Priority.P2)), 3 * second);

        assertThat(buffer.takeWaitingLongerThan(2 * second, 4 * second)).extracting(JobRow::id)
                .containsExactlyInAnyOrder(1L, 2L);
        assertThat(buffer.size()).isEqualTo(1);
        assertThat(buffer.takeAll()).extracting(JobRow::id).containsExactly(3L);
        assertThat(buffer.size()).isZero();
    }

    private JobRow job(long id, Priority priority) {
        return new JobRow(id, tenant, "noop", priority, "{}", JobState.RUNNING, 1, 5, Instant.EPOCH, Instant.EPOCH,
                Instant.EPOCH, null, null, null, null, List.of(), 0, 0, null, 0);
    }
}
