package dev.steward.orchestration.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CronTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    private static String next(String cron, String after, ZoneId zone) {
        return Cron.parse(cron).next(Instant.parse(after), zone).map(Instant::toString).orElse("never");
    }

    @Test
    void nextFireTimesFollowEachFieldStrictlyAfterTheGivenInstant() {
        assertThat(next("* * * * *", "2026-11-21T10:15:30Z", UTC)).isEqualTo("2026-11-21T10:16:00Z");
        assertThat(next("* * * * *", "2026-11-21T10:15:00Z", UTC)).isEqualTo("2026-11-21T10:16:00Z");
        assertThat(next("*/15 9-17 * * *", "2026-11-21T17:50:00Z", UTC)).isEqualTo("2026-11-22T09:00:00Z");
        assertThat(next("0 9 * * MON-FRI", "2026-11-21T08:00:00Z", UTC)) // a Saturday
                .isEqualTo("2026-11-23T09:00:00Z");
        assertThat(next("30 6 1,15 * *", "2026-11-15T06:30:00Z", UTC)).isEqualTo("2026-12-01T06:30:00Z");
        assertThat(next("0 0 29 FEB *", "2026-03-01T00:00:00Z", UTC)).isEqualTo("2028-02-29T00:00:00Z");
        assertThat(next("@monthly", "2026-12-31T23:59:00Z", UTC)).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(next("0 12 * * 7", "2026-11-21T13:00:00Z", UTC)).isEqualTo("2026-11-22T12:00:00Z"); // Sunday
        assertThat(next("5-20/5 * * * *", "2026-11-21T10:20:00Z", UTC)).isEqualTo("2026-11-21T11:05:00Z");
    }

    @Test
    void bothDayFieldsRestrictedFireOnEitherAsVixieCronDoes() {
        // The 13th, or any Friday: 2026-11-27 is the first Friday after the 21st, before December 13th.
        assertThat(next("0 0 13 * FRI", "2026-11-21T00:00:00Z", UTC)).isEqualTo("2026-11-27T00:00:00Z");
        // A star in one of them leaves the other alone deciding.
        assertThat(next("0 0 13 * *", "2026-11-21T00:00:00Z", UTC)).isEqualTo("2026-12-13T00:00:00Z");
    }

    @Test
    void timesAreReadInTheScheduleZoneAcrossDaylightSavingJumps() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        assertThat(next("0 9 * * *", "2026-11-21T09:00:00Z", berlin)).isEqualTo("2026-11-22T08:00:00Z");
        // 02:30 does not exist on 2027-03-28 in Berlin: it fires an hour later, as the zone shifts it.
        assertThat(next("30 2 * * *", "2027-03-27T12:00:00Z", berlin)).isEqualTo("2027-03-28T01:30:00Z");
        // 02:30 happens twice on 2027-10-31: it fires once, at the first.
        assertThat(next("30 2 * * *", "2027-10-30T12:00:00Z", berlin)).isEqualTo("2027-10-31T00:30:00Z");
        assertThat(next("30 2 * * *", "2027-10-31T00:30:00Z", berlin)).isEqualTo("2027-11-01T01:30:00Z");
    }

    @Test
    void badExpressionsNameTheFieldAndWhy() {
        assertThatThrownBy(() -> Cron.parse("* * * *")).hasMessageContaining("five fields");
        assertThatThrownBy(() -> Cron.parse("60 * * * *")).hasMessage("minute: 60 is outside 0-59");
        assertThatThrownBy(() -> Cron.parse("* 5-2 * * *")).hasMessageContaining("hour: the range '5-2' runs");
        assertThatThrownBy(() -> Cron.parse("* * * FOO *")).hasMessage("month: 'FOO' is not a number");
        assertThatThrownBy(() -> Cron.parse("*/0 * * * *")).hasMessageContaining("minute: step 0");
        assertThatThrownBy(() -> Cron.parse("0 0 30 2 *")).hasMessage("never fires");
        assertThatThrownBy(() -> Cron.parse(null)).hasMessageContaining("five fields");
    }
}
