package dev.steward.quota.api;

import java.math.BigDecimal;
import java.util.List;

/**
 * The tenant in scope's limits with their use now, as people look them over (the admin UI), read as
 * {@code GET /api/v1/quotas} reads them. Channel accounts are {@link ChannelAccounts}' (their sends against the
 * day's cap); this lists the tenant itself, its agents and its model provider accounts.
 */
public interface QuotaOverview {

    /** The tenant first (always, limits of its own or not), then agents and provider accounts by key. */
    List<SubjectQuota> subjects(int offset, int limit);

    /**
     * One subject ({@code tenant}, {@code agent:<uuid>}, {@code provider:<account>}) with the limits that apply to
     * it (its own, else the platform default; null: no limit) and what is left of each now: requests and tokens left
     * in this minute's buckets, the spend this month (UTC) against the monthly budget. Concurrency is counted from the
     * subject's running jobs at each admission, not kept. {@code defaulted} names the limits that are the platform's
     * default rather than the subject's own.
     */
    record SubjectQuota(String subject, Integer concurrency, Integer perMinute, Integer requestsLeft,
                        Integer tokensPerMinute, Integer tokensLeft, BigDecimal monthlyBudget,
                        BigDecimal spentThisMonth, List<String> defaulted) {

        public SubjectQuota {
            defaulted = List.copyOf(defaulted);
        }

        /** The agent a subject {@code agent:<uuid>} is about; null for other subjects. */
        public String agentId() {
            return subject.startsWith("agent:") ? subject.substring("agent:".length()) : null;
        }
    }
}
