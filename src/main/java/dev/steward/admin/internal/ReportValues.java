package dev.steward.admin.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The values a person gives the reports' variables (GET parameters of the same names as psql's {@code -v}),
 * checked before they reach the database so that a mistake is a 400 saying which field and why: dates ISO
 * ({@code from}, {@code to}, {@code day}), {@code as_of} a date or an ISO time, {@code alert_percent} and
 * {@code smtp_per_day} numbers. A blank field is no value: the report's default applies, except where the file's
 * default stands for one of this installation's settings, which the admin UI knows ({@link #defaults}).
 */
@ApplicationScoped
class ReportValues {

    /** What a person did wrong, in words for the page. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    private static final LocalDate EARLIEST = LocalDate.of(1970, 1, 1);
    private static final LocalDate LATEST = LocalDate.of(9999, 12, 31);

    @Inject
    @ConfigProperty(name = "steward.quota.budget-alert-percent", defaultValue = "80")
    int alertPercent;

    @Inject
    @ConfigProperty(name = "steward.quota.smtp-per-day", defaultValue = "1000")
    int smtpPerDay;

    /**
     * The installation's settings the reports' defaults stand for: the budget alert line
     * ({@code STEWARD_QUOTA_BUDGET_ALERT_PERCENT}) and the smtp daily cap ({@code STEWARD_QUOTA_SMTP_PER_DAY}).
     */
    Map<String, String> defaults() {
        return Map.of("alert_percent", String.valueOf(alertPercent), "smtp_per_day", String.valueOf(smtpPerDay));
    }

    /** The checked values of {@code variables} the request gives, with the installation's defaults for the rest. */
    Map<String, String> of(HttpServletRequest request, Collection<String> variables) throws Invalid {
        Map<String, String> values = new LinkedHashMap<>();
        for (String variable : variables) {
            String value = request.getParameter(variable);
            if (value != null && !value.isBlank()) {
                values.put(variable, check(variable, value.strip()));
            } else if (defaults().containsKey(variable)) {
                values.put(variable, defaults().get(variable));
            }
        }
        if (values.containsKey("from") && values.containsKey("to")
                && !LocalDate.parse(values.get("from")).isBefore(LocalDate.parse(values.get("to")))) {
            throw new Invalid("from must be before to (the period is from, up to but not including to)");
        }
        return values;
    }

    /** A date of a filter: ISO, in years 1970 to 9999. */
    static LocalDate date(String field, String value) throws Invalid {
        try {
            LocalDate date = LocalDate.parse(value);
            if (date.isBefore(EARLIEST) || date.isAfter(LATEST)) {
                throw new Invalid(field + " must be between years 1970 and 9999");
            }
            return date;
        } catch (DateTimeParseException e) {
            throw new Invalid(field + " must be a date such as 2026-11-01 (YYYY-MM-DD)");
        }
    }

    private static String check(String variable, String value) throws Invalid {
        switch (variable) {
            case "from", "to", "day" -> date(variable, value);
            case "as_of" -> {
                try {
                    OffsetDateTime time = OffsetDateTime.parse(value);
                    date(variable, time.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate().toString());
                } catch (DateTimeParseException e) {
                    try {
                        date(variable, value);
                    } catch (Invalid notADate) {
                        throw new Invalid("as_of must be a date or an ISO time such as 2026-11-16T12:00:00Z");
                    }
                }
            }
            case "alert_percent" -> number(variable, value, BigDecimal.ZERO, BigDecimal.valueOf(100), false);
            case "smtp_per_day" -> number(variable, value, BigDecimal.ZERO, BigDecimal.valueOf(100_000_000), true);
            default -> {
                // A variable a newer report reads: bound as a parameter like every value, so only its length.
                if (value.length() > 100) {
                    throw new Invalid(variable + " is too long");
                }
            }
        }
        return value;
    }

    private static void number(String field, String value, BigDecimal least, BigDecimal most, boolean whole)
            throws Invalid {
        String what = field + " must be " + (whole ? "a whole number" : "a number") + " from " + least + " to "
                + most;
        if (!value.matches(whole ? "\\d{1,9}" : "\\d{1,9}(\\.\\d{1,4})?")) {
            throw new Invalid(what);
        }
        BigDecimal number = new BigDecimal(value);
        if (number.compareTo(least) < 0 || number.compareTo(most) > 0) {
            throw new Invalid(what);
        }
    }
}
