package dev.steward.quota.internal;

import dev.steward.quota.api.QuotaOverview;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link QuotaOverview} over the limit store, read as the quotas API reads it ({@link QuotaView}). */
@ApplicationScoped
class DefaultQuotaOverview implements QuotaOverview {

    @Inject
    LimitStore store;

    @Inject
    QuotaAdmission admission;

    @Override
    public List<SubjectQuota> subjects(int offset, int limit) {
        Instant now = Instant.now();
        return store.page(offset, limit).stream().map(stored -> quota(QuotaView.of(stored, admission.settings(), now)))
                .toList();
    }

    private static SubjectQuota quota(QuotaView view) {
        QuotaView.LimitsView limits = view.limits();
        QuotaView.LimitsView own = view.own();
        List<String> defaulted = new ArrayList<>();
        if (limits.concurrency() != null && own.concurrency() == null) {
            defaulted.add("concurrency");
        }
        if (limits.perMinute() != null && own.perMinute() == null) {
            defaulted.add("perMinute");
        }
        return new SubjectQuota(view.subject(), limits.concurrency(), limits.perMinute(),
                view.usage().requestsLeft(), limits.tokensPerMinute(), view.usage().tokensLeft(),
                limits.monthlyBudget(), view.usage().spentThisMonth(), defaulted);
    }
}
