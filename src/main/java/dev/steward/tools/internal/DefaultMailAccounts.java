package dev.steward.tools.internal;

import dev.steward.quota.api.ChannelAccounts;
import dev.steward.tools.api.MailAccounts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;

/** {@link MailAccounts}: the accounts, each with the constraint engine's count of its sends today. */
@ApplicationScoped
class DefaultMailAccounts implements MailAccounts {

    @Inject
    EmailAccounts accounts;

    @Inject
    ChannelAccounts channels;

    /** One transaction for the page, rather than one per account for its counter. */
    @Override
    @Transactional
    public List<MailAccount> list(int offset, int limit) {
        return accounts.list(offset, limit).stream().map(account -> {
            ChannelAccounts.DailyUse today = channels.today(account.name());
            return new MailAccount(account.name(), account.provider(), account.address(), account.isDefault(),
                    today.used(), today.cap(), today.ownCap());
        }).toList();
    }
}
