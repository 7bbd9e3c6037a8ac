package dev.steward.orchestration.internal;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A five-field cron expression (minute, hour, day of month, month, day of week) as crontab(5) writes it: {@code *},
 * numbers, ranges {@code a-b}, steps {@code * /n} and {@code a-b/n}, lists, month and day names ({@code JAN},
 * {@code MON}; Sunday is 0 or 7), and the macros {@code @hourly}, {@code @daily}, {@code @weekly},
 * {@code @monthly}, {@code @yearly}. As in Vixie cron, when both day fields are restricted a day matching either
 * fires. Times are read in the schedule's zone: a time a daylight-saving jump skips fires as late as the jump
 * (02:30 becomes 03:30), and a time a repeated hour shows twice fires once.
 */
final class Cron {

    /** How far ahead a fire time is looked for: an expression that never fires in this many years is refused. */
    private static final int HORIZON_YEARS = 5;
    private static final Map<String, String> MACROS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private Cron(String text, String[] fields) {
        this.text = text;
        minutes = field(fields[0], "minute", 0, 59, List.of(), 0);
        hours = field(fields[1], "hour", 0, 23, List.of(), 0);
        daysOfMonth = field(fields[2], "day of month", 1, 31, List.of(), 0);
        months = field(fields[3], "month", 1, 12, MONTHS, 1);
        daysOfWeek = field(fields[4], "day of week", 0, 7, DAYS, 0);
        if (daysOfWeek.get(7)) {
            daysOfWeek.set(0);
        }
        anyDayOfMonth = fields[2].startsWith("*");
        anyDayOfWeek = fields[4].startsWith("*");
    }

    /** Parses {@code text}; an {@link IllegalArgumentException} says which field is wrong and why. */
    static Cron parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        String expanded = MACROS.getOrDefault(trimmed.toLowerCase(Locale.ROOT), trimmed);
        String[] fields = expanded.split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("must have five fields (minute hour day-of-month month day-of-week)"
                    + " or be a macro such as @daily");
        }
        Cron cron = new Cron(trimmed, fields);
        if (cron.next(Instant.EPOCH, ZoneId.of("UTC")).isEmpty()) {
            throw new IllegalArgumentException("never fires");
        }
        return cron;
    }

    /** The first fire time strictly after {@code after}, read in {@code zone}; empty if none within the horizon. */
    Optional<Instant> next(Instant after, ZoneId zone) {
        LocalDateTime start = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        LocalDate last = start.toLocalDate().plusYears(HORIZON_YEARS);
        for (LocalDate day = start.toLocalDate(); !day.isAfter(last); day = day.plusDays(1)) {
            if (!months.get(day.getMonthValue())) {
                day = day.withDayOfMonth(day.lengthOfMonth()); // skip to the month's last day; the loop steps on
                continue;
            }
            if (!dayMatches(day)) {
                continue;
            }
            for (int hour = hours.nextSetBit(0); hour >= 0; hour = hours.nextSetBit(hour + 1)) {
                for (int minute = minutes.nextSetBit(0); minute >= 0; minute = minutes.nextSetBit(minute + 1)) {
                    LocalDateTime local = day.atTime(hour, minute);
                    if (local.isBefore(start)) {
                        continue;
                    }
                    Instant at = local.atZone(zone).toInstant();
                    if (at.isAfter(after)) {
                        return Optional.of(at);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private boolean dayMatches(LocalDate day) {
        boolean dayOfMonth = daysOfMonth.get(day.getDayOfMonth());
        boolean dayOfWeek = daysOfWeek.get(day.getDayOfWeek() == DayOfWeek.SUNDAY ? 0
                : day.getDayOfWeek().getValue());
        if (anyDayOfMonth || anyDayOfWeek) {
            return dayOfMonth && dayOfWeek;
        }
        return dayOfMonth || dayOfWeek;
    }

    private static BitSet field(String spec, String name, int min, int max, List<String> names, int nameBase) {
        BitSet values = new BitSet(max + 1);
        for (String part : spec.split(",", -1)) {
            String[] stepped = part.split("/", -1);
            if (stepped.length > 2) {
                throw new IllegalArgumentException(name + ": '" + part + "' has more than one step");
            }
            int from;
            int to;
            if (stepped[0].equals("*")) {
                from = min;
                to = max == 7 ? 6 : max;
            } else {
                String[] range = stepped[0].split("-", -1);
                if (range.length > 2) {
                    throw new IllegalArgumentException(name + ": '" + part + "' is not a value or a range");
                }
                from = value(range[0], name, min, max, names, nameBase);
                to = range.length == 2 ? value(range[1], name, min, max, names, nameBase)
                        : stepped.length == 2 ? (max == 7 ? 6 : max) : from;
                if (to < from) {
                    throw new IllegalArgumentException(name + ": the range '" + stepped[0] + "' runs backwards");
                }
            }
            int step = 1;
            if (stepped.length == 2) {
                step = number(stepped[1], name + " step");
                if (step < 1 || step > max) {
                    throw new IllegalArgumentException(name + ": step " + stepped[1] + " is out of range");
                }
            }
            for (int value = from; value <= to; value += step) {
                values.set(value);
            }
        }
        return values;
    }

    private static int value(String token, String name, int min, int max, List<String> names, int nameBase) {
        int index = names.indexOf(token.toUpperCase(Locale.ROOT));
        int value = index >= 0 ? index + nameBase : number(token, name);
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + ": " + token + " is outside " + min + "-" + max);
        }
        return value;
    }

    private static int number(String token, String name) {
        if (!token.matches("[0-9]{1,2}")) {
            throw new IllegalArgumentException(name + ": '" + token + "' is not a number");
        }
        return Integer.parseInt(token);
    }

    @Override
    public String toString() {
        return text;
    }
}
