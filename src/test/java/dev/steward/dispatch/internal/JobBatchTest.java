package dev.steward.dispatch.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.dispatch.api.JobState;
import dev.steward.dispatch.api.Priority;
import dev.steward.shared.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobBatchTest {

    private static final TenantId TENANT = new TenantId(UUID.randomUUID());

    @Test
    void aKeyRepeatedInTheListIsInsertedOnceAndLaterItemsGetItsJob() {
        JobBatch batch = new JobBatch(List.of(job("a"), job(null), job("a"), job("b"), job(null), job("b")));
        assertThat(batch.distinct()).extracting(JobStore.Submission::idempotencyKey)
                .containsExactly("a", null, "b", null);
        // The insert took a and both keyless ones; b was used before.
        List<JobRow> inserted = List.of(row(12, null), row(10, "a"), row(11, null));
        assertThat(batch.conflicted(inserted)).containsExactly("b");
        List<JobStore.Submitted> outcomes = batch.resolve(inserted, List.of(row(3, "b")));
        assertThat(outcomes).extracting(s -> s.job().id()).containsExactly(10L, 11L, 10L, 3L, 12L, 3L);
        assertThat(outcomes).extracting(JobStore.Submitted::created)
                .containsExactly(true, true, false, false, true, false);
    }

    @Test
    void keylessJobsAreMatchedInOrderOfTheirIds() {
        JobBatch batch = new JobBatch(List.of(job(null), job(null), job(null)));
        List<JobStore.Submitted> outcomes = batch.resolve(List.of(row(7, null), row(5, null), row(6, null)),
                List.of());
        assertThat(outcomes).extracting(s -> s.job().id()).containsExactly(5L, 6L, 7L);
        assertThat(outcomes).allMatch(JobStore.Submitted::created);
    }

    @Test
    void nothingCreatedWhenEveryKeyWasUsedBefore() {
        JobBatch batch = new JobBatch(List.of(job("x"), job("y"), job("x")));
        assertThat(batch.conflicted(List.of())).containsExactly("x", "y");
        assertThat(batch.resolve(List.of(), List.of(row(2, "y"), row(1, "x"))))
                .extracting(s -> s.job().id() + ":" + s.created()).containsExactly("1:false", "2:false", "1:false");
    }

    @Test
    void rowsThatDoNotAddUpAreAnError() {
        JobBatch batch = new JobBatch(List.of(job(null), job("k")));
        assertThatThrownBy(() -> batch.resolve(List.of(row(1, "k")), List.of()))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> batch.resolve(List.of(row(1, null)), List.of()))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> batch.resolve(List.of(row(1, null), row(2, null), row(3, "k")), List.of()))
                .isInstanceOf(IllegalStateException.class);
    }

    private static JobStore.Submission job(String key) {
        return new JobStore.Submission("noop", Priority.P2, "{}", null, 5, key, null, List.of(), 0);
    }

    private static JobRow row(long id, String key) {
        Instant now = Instant.now();
        return new JobRow(id, TENANT, "noop", Priority.P2, "{}", JobState.AVAILABLE, 0, 5, now, now, null, null,
                null, key, null, List.of(), 0, 0, null, 0);
    }
}
