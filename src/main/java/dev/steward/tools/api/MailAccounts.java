package dev.steward.tools.api;

import java.util.List;

/**
 * The tenant in scope's mail accounts with today's sends against each one's daily cap, as people look them over (the
 * admin UI), read as {@code GET /api/v1/email/accounts} reads them. Never a password.
 */
public interface MailAccounts {

    /** By name, from {@code offset}, at most {@code limit}. */
    List<MailAccount> list(int offset, int limit);

    /**
     * An account: its type ({@code gmail}, {@code o365}, {@code smtp}), the sends the constraint engine counted today
     * (UTC) and the day's cap: the tenant's own ({@code ownCap}) or the type's default.
     */
    record MailAccount(String name, String type, String address, boolean isDefault, int sentToday, int dailyCap,
                       boolean ownCap) {
    }
}
