package dev.steward.quota.api;

/**
 * Channel accounts ({@code channel:<account>}) as the constraint engine counts them for the tenant in scope: an
 * account's type (gmail, o365, smtp) sets its default daily cap, which a cap the tenant set overrides.
 */
public interface ChannelAccounts {

    /** Records the account's type in the caller's transaction, keeping a daily cap the tenant set. */
    void declare(String account, String type);

    /** Forgets the account's type and cap, in the caller's transaction (the account is gone). */
    void forget(String account);

    /** Sends counted today (UTC) against the day's cap. */
    DailyUse today(String account);

    /** {@code ownCap}: the cap is one the tenant set, not its type's default. */
    record DailyUse(int used, int cap, boolean ownCap) {
    }
}
