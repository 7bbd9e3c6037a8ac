package dev.steward.quota.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * One subject's counters, as locked for an admission and written back after it. Rates are token buckets holding
 * up to a minute's allowance and refilling continuously (a null level is a full bucket); the daily count belongs to
 * a UTC day and starts again the next; spend belongs to a UTC month.
 */
final class Usage {

    Double requestLevel;
    Instant requestAt;
    Double tokenLevel;
    Instant tokenAt;
    LocalDate day;
    int dayUsed;
    LocalDate month;
    BigDecimal monthSpent = BigDecimal.ZERO;
    private boolean changed;

    double requestsLeft(int perMinute, Instant now) {
        return level(requestLevel, requestAt, perMinute, now);
    }

    double tokensLeft(int perMinute, Instant now) {
        return level(tokenLevel, tokenAt, perMinute, now);
    }

    // Time never runs backwards for a counter: an admission whose transaction started before the last one that
    // moved it (it waited for the lock) refills nothing and leaves the later time, so no allowance is handed out
    // twice; and a count already in a later day stays in it.

    void takeRequest(int perMinute, Instant now) {
        requestLevel = requestsLeft(perMinute, now) - 1;
        requestAt = later(requestAt, now);
        changed = true;
    }

    /** Takes the whole estimate, even past a full bucket: a job larger than a minute's allowance leaves a debt. */
    void takeTokens(int perMinute, double tokens, Instant now) {
        tokenLevel = tokensLeft(perMinute, now) - tokens;
        tokenAt = later(tokenAt, now);
        changed = true;
    }

    /** A request taken for a job that never ran: back in the bucket, never past a full one. */
    void giveBackRequest(int perMinute, Instant now) {
        requestLevel = Math.min(perMinute, requestsLeft(perMinute, now) + 1);
        requestAt = later(requestAt, now);
        changed = true;
    }

    void giveBackTokens(int perMinute, double tokens, Instant now) {
        tokenLevel = Math.min(perMinute, tokensLeft(perMinute, now) + tokens);
        tokenAt = later(tokenAt, now);
        changed = true;
    }

    /** A send counted today for a job that never ran; one counted on an earlier day is gone with its day. */
    void uncountSend(LocalDate today) {
        if (day != null && day.equals(today) && dayUsed > 0) {
            dayUsed--;
            changed = true;
        }
    }

    int usedOn(LocalDate today) {
        return day != null && !day.isBefore(today) ? dayUsed : 0;
    }

    void countSend(LocalDate today) {
        dayUsed = usedOn(today) + 1;
        day = day != null && day.isAfter(today) ? day : today;
        changed = true;
    }

    BigDecimal spentIn(LocalDate monthStart) {
        return monthStart.equals(month) ? monthSpent : BigDecimal.ZERO;
    }

    boolean changed() {
        return changed;
    }

    /** When a bucket of {@code perMinute} holding {@code level} will hold {@code needed}. */
    static Instant refilledAt(double level, double needed, int perMinute, Instant now) {
        double seconds = (needed - level) * 60.0 / perMinute;
        return now.plus(Duration.ofNanos((long) Math.ceil(seconds * 1e9)));
    }

    static LocalDate utcDay(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC);
    }

    static Instant nextUtcDay(Instant now) {
        return utcDay(now).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static LocalDate utcMonth(Instant now) {
        return utcDay(now).withDayOfMonth(1);
    }

    private static Instant later(Instant stored, Instant now) {
        return stored != null && stored.isAfter(now) ? stored : now;
    }

    private static double level(Double stored, Instant at, int perMinute, Instant now) {
        if (stored == null || at == null) {
            return perMinute;
        }
        double refill = Math.max(0, Duration.between(at, now).toNanos() / 1e9) * perMinute / 60.0;
        return Math.min(perMinute, stored + refill);
    }
}
