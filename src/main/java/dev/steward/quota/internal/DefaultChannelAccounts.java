package dev.steward.quota.internal;

import dev.steward.quota.api.ChannelAccounts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.EnumSet;

/** Channel accounts' types and daily use, kept as the {@code channel:<account>} subject's limits and counters. */
@ApplicationScoped
class DefaultChannelAccounts implements ChannelAccounts {

    @Inject
    LimitStore store;

    @Inject
    QuotaAdmission admission;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void declare(String account, String type) {
        store.put(subject(account), new Limits(null, null, null, null, type, null),
                EnumSet.of(LimitStore.Column.CHANNEL_TYPE));
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void forget(String account) {
        store.delete(subject(account));
    }

    @Override
    @Transactional
    public DailyUse today(String account) {
        Subject subject = subject(account);
        Instant now = Instant.now();
        return store.find(subject)
                .map(stored -> new DailyUse(stored.usage().usedOn(Usage.utcDay(now)),
                        stored.limits().withDefaults(subject, admission.settings()).perDay(),
                        stored.limits().perDay() != null))
                .orElseGet(() -> new DailyUse(0, Limits.NONE.withDefaults(subject, admission.settings()).perDay(),
                        false));
    }

    private static Subject subject(String account) {
        return Subject.resource("channel:" + account);
    }
}
