package dev.steward.shared;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Times as clients write them in filters ({@code from}, {@code to}, {@code before}), read the same way everywhere. */
public final class Times {

    /** What the database's timestamps hold comfortably; anything outside is a client's mistake, not a 500. */
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private Times() {
    }

    /** A filter's time: {@code null} when absent; anything but an ISO-8601 time in range is a 400 naming the field. */
    public static Instant fromQuery(String field, String value) {
        if (value == null) {
            return null;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, "must be an ISO-8601 time such as 2026-11-21T10:00:00Z");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw ProblemException.invalid(field, "must be between years 1970 and 9999");
        }
        return instant;
    }
}
