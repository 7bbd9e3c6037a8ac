package dev.steward.dispatch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.dispatch.api.Priority;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ArrivalsTest {

    @Test
    void coalescedArrivalsKeepTheHighestPriorityDueNowAndTheEarliestLaterMoment() {
        Instant soon = Instant.now().plusSeconds(60);
        Instant later = soon.plusSeconds(60);

        JobAnnouncer.Arrivals merged = JobAnnouncer.Arrivals.NONE
                .and(JobAnnouncer.Arrivals.of(Priority.P3, null))
                .and(JobAnnouncer.Arrivals.of(Priority.P2, later))
                .and(JobAnnouncer.Arrivals.of(Priority.P1, null))
                .and(JobAnnouncer.Arrivals.of(Priority.P3, soon));

        assertThat(merged.dueNow()).isTrue();
        assertThat(merged.highestNow()).isEqualTo(1);
        assertThat(merged.urgentNow()).isFalse();
        assertThat(merged.later()).isEqualTo(soon);
        assertThat(merged.highestLater()).isEqualTo(2);
        assertThat(merged.and(JobAnnouncer.Arrivals.of(Priority.P0, Instant.now().minusSeconds(1))).urgentNow())
                .isTrue();
    }

    @Test
    void nothingAnnouncedIsNothingDue() {
        assertThat(JobAnnouncer.Arrivals.NONE.dueNow()).isFalse();
        assertThat(JobAnnouncer.Arrivals.NONE.later()).isNull();
        assertThat(JobAnnouncer.Arrivals.of(Priority.P2, Instant.now().plusSeconds(5)).dueNow()).isFalse();
    }
}
