package dev.steward.admin.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A list page's GET filters, read leniently: a blank field filters nothing, and a field that cannot be read filters
 * nothing either but is named in {@code filterErrors}, so the page says which one it ignored instead of failing.
 * Times are read in UTC: a date alone means the whole day (from its start, to its end), a date and time (as
 * {@code <input type="datetime-local">} sends it) or an ISO instant means that moment.
 */
final class Filters {

    private final HttpServletRequest request;
    private final List<String> errors = new ArrayList<>();

    Filters(HttpServletRequest request) {
        this.request = request;
        request.setAttribute("filterErrors", errors);
    }

    /** The field's text, trimmed; null when blank or longer than {@code max}. */
    String text(String field, int max) {
        String value = request.getParameter(field);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > max) {
            errors.add(field + ": longer than " + max + " characters, ignored");
            return null;
        }
        return value.trim();
    }

    /** The field's text if it is one of {@code allowed}; null otherwise. */
    String oneOf(String field, List<String> allowed) {
        String value = text(field, 40);
        if (value != null && !allowed.contains(value)) {
            errors.add(field + ": not one of " + String.join(", ", allowed) + ", ignored");
            return null;
        }
        return value;
    }

    /** The start of a time range (inclusive). */
    Instant from(String field) {
        return time(field, false);
    }

    /** The end of a time range (exclusive): a date alone ends with that day. */
    Instant to(String field) {
        return time(field, true);
    }

    private Instant time(String field, boolean end) {
        String value = text(field, 40);
        if (value == null) {
            return null;
        }
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (value.endsWith("Z") || value.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return java.time.OffsetDateTime.parse(value).toInstant();
            }
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            errors.add(field + ": not a date or time (2026-01-31 or 2026-01-31T09:30), ignored");
            return null;
        }
    }
}
