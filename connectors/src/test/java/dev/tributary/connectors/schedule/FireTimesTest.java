package dev.tributary.connectors.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.dsl.model.TriggerSource;
import dev.tributary.dsl.model.TriggerSource.Cron;
import dev.tributary.dsl.model.TriggerSource.Every;
import dev.tributary.dsl.model.TriggerSource.Misfire;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FireTimesTest {

    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Cron cron(String expression) {
        return new Cron(expression, UTC, Misfire.RUN_ONCE);
    }

    private static Cron cron(String expression, ZoneId zone) {
        return new Cron(expression, zone, Misfire.RUN_ONCE);
    }

    private static Cron cron(String expression, Misfire misfire) {
        return new Cron(expression, UTC, misfire);
    }

    private static Every every(Duration interval) {
        return new Every(interval);
    }

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    private static List<Instant> instants(String... isos) {
        return java.util.Arrays.stream(isos).map(Instant::parse).toList();
    }

    @Nested
    class MonthEnds {

        @Test
        void lastDayOfMonthFollowsFebruaryInALeapYear() {
            assertThat(FireTimes.next(cron("0 0 2 L * ?"), at("2024-01-15T00:00:00Z"), 4)).isEqualTo(instants(
                    "2024-01-31T02:00:00Z", "2024-02-29T02:00:00Z", "2024-03-31T02:00:00Z", "2024-04-30T02:00:00Z"));
        }

        @Test
        void lastDayOfFebruaryInCommonAndCenturyYears() {
            assertThat(FireTimes.next(cron("0 0 2 L * ?"), at("2023-02-01T00:00:00Z"), 1)).containsExactly(at("2023-02-28T02:00:00Z"));
            assertThat(FireTimes.next(cron("0 0 2 L * ?"), at("2100-02-01T00:00:00Z"), 1)).containsExactly(at("2100-02-28T02:00:00Z"));
            assertThat(FireTimes.next(cron("0 0 2 L * ?"), at("2000-02-01T00:00:00Z"), 1)).containsExactly(at("2000-02-29T02:00:00Z"));
        }

        @Test
        void daysBeforeTheLastDay() {
            assertThat(FireTimes.next(cron("0 0 0 L-2 * ?"), at("2024-02-01T00:00:00Z"), 1)).containsExactly(at("2024-02-27T00:00:00Z"));
            assertThat(FireTimes.next(cron("0 0 0 L-2 * ?"), at("2023-02-01T00:00:00Z"), 1)).containsExactly(at("2023-02-26T00:00:00Z"));
        }

        @Test
        void lastWeekdayMovesBackFromAWeekend() {
            // 2024-03-31 and 2024-06-30 are Sundays, 2024-08-31 a Saturday, 2024-11-30 a Saturday
            assertThat(FireTimes.next(cron("0 0 9 LW * ?"), at("2024-03-01T00:00:00Z"), 1)).containsExactly(at("2024-03-29T09:00:00Z"));
            assertThat(FireTimes.next(cron("0 0 9 LW * ?"), at("2024-06-01T00:00:00Z"), 1)).containsExactly(at("2024-06-28T09:00:00Z"));
            assertThat(FireTimes.next(cron("0 0 9 LW * ?"), at("2024-08-01T00:00:00Z"), 1)).containsExactly(at("2024-08-30T09:00:00Z"));
            assertThat(FireTimes.next(cron("0 0 9 LW * ?"), at("2024-11-01T00:00:00Z"), 1)).containsExactly(at("2024-11-29T09:00:00Z"));
        }

        @Test
        void lastFridayOfTheMonth() {
            // 6 = Friday in Quartz (1 = Sunday); 2024-02-29 is a Thursday
            assertThat(FireTimes.next(cron("0 0 12 ? * 6L"), at("2024-02-01T00:00:00Z"), 1)).containsExactly(at("2024-02-23T12:00:00Z"));
            assertThat(FireTimes.next(cron("0 0 12 ? * 6L"), at("2024-11-01T00:00:00Z"), 1)).containsExactly(at("2024-11-29T12:00:00Z"));
            assertThat(FireTimes.next(cron("0 0 12 ? * 6L"), at("2025-05-01T00:00:00Z"), 1)).containsExactly(at("2025-05-30T12:00:00Z"));
        }

        @Test
        void nthWeekdayOfTheMonth() {
            assertThat(FireTimes.next(cron("0 0 10 ? * 2#1"), at("2024-09-01T00:00:00Z"), 2))
                    .isEqualTo(instants("2024-09-02T10:00:00Z", "2024-10-07T10:00:00Z"));
            assertThat(FireTimes.next(cron("0 0 10 ? * 6#3"), at("2024-09-01T00:00:00Z"), 1)).containsExactly(at("2024-09-20T10:00:00Z"));
        }

        @Test
        void aFifthWeekdaySkipsMonthsWithoutOne() {
            // the fifth Thursday: February 2024 has one (the 29th); March, April, June... do not all
            assertThat(FireTimes.next(cron("0 0 10 ? * 5#5"), at("2024-02-01T00:00:00Z"), 2))
                    .isEqualTo(instants("2024-02-29T10:00:00Z", "2024-05-30T10:00:00Z"));
        }
    }

    @Nested
    class TimeZones {

        @Test
        void aCronRunsOnItsZonesWallClock() {
            assertThat(FireTimes.next(cron("0 0 9 * * ?", BERLIN), at("2024-01-10T00:00:00Z"), 1)).containsExactly(at("2024-01-10T08:00:00Z"));
            assertThat(FireTimes.next(cron("0 0 9 * * ?", BERLIN), at("2024-07-10T00:00:00Z"), 1)).containsExactly(at("2024-07-10T07:00:00Z"));
            assertThat(FireTimes.next(cron("0 0 0 * * ?", ZoneId.of("Asia/Kolkata")), at("2024-07-10T00:00:00Z"), 1))
                    .containsExactly(at("2024-07-10T18:30:00Z"));
        }

        @Test
        void aDailyCronKeepsItsLocalHourAcrossSpringForward() {
            ZoneId newYork = ZoneId.of("America/New_York"); // EST -5 until 2024-03-10 02:00, then EDT -4
            assertThat(FireTimes.next(cron("0 0 9 * * ?", newYork), at("2024-03-09T00:00:00Z"), 3))
                    .isEqualTo(instants("2024-03-09T14:00:00Z", "2024-03-10T13:00:00Z", "2024-03-11T13:00:00Z"));
        }

        @Test
        void aTimeThatDoesNotExistOnTheSpringForwardDayIsSkipped() {
            // Berlin: 2024-03-31 02:00 CET jumps to 03:00 CEST, so there is no 02:30 that day
            assertThat(FireTimes.next(cron("0 30 2 * * ?", BERLIN), at("2024-03-29T12:00:00Z"), 3))
                    .isEqualTo(instants("2024-03-30T01:30:00Z", "2024-04-01T00:30:00Z", "2024-04-02T00:30:00Z"));
        }

        @Test
        void aTimeThatHappensTwiceOnTheFallBackDayFiresOnce() {
            // Berlin: 2024-10-27 03:00 CEST falls back to 02:00 CET, so 02:30 is 00:30Z and again 01:30Z
            List<Instant> fires = FireTimes.next(cron("0 30 2 * * ?", BERLIN), at("2024-10-26T12:00:00Z"), 3);

            assertThat(fires).hasSize(3);
            assertThat(fires.get(0)).as("the second 02:30, in CET").isEqualTo(at("2024-10-27T01:30:00Z"));
            assertThat(fires.get(1)).isEqualTo(at("2024-10-28T01:30:00Z"));
            assertThat(fires.stream().filter(t -> t.atZone(BERLIN).toLocalDate().equals(LocalDate.of(2024, 10, 27)))).hasSize(1);
        }

        @Test
        void anHourlyCronSkipsTheMissingHourAndFiresTheRepeatedHourOnce() {
            // the spring-forward day has 23 hours, the fall-back day 25, but Quartz fires 02:00 once
            assertThat(FireTimes.next(cron("0 0 * * * ?", BERLIN), at("2024-03-30T22:59:59Z"), 30).stream()
                    .filter(t -> t.atZone(BERLIN).toLocalDate().equals(LocalDate.of(2024, 3, 31)))).hasSize(23);
            assertThat(FireTimes.next(cron("0 0 * * * ?", BERLIN), at("2024-10-26T21:59:59Z"), 30).stream()
                    .filter(t -> t.atZone(BERLIN).toLocalDate().equals(LocalDate.of(2024, 10, 27)))).hasSize(24);
        }
    }

    @Nested
    class Next {

        @Test
        void isStrictlyAfterTheInstant() {
            assertThat(FireTimes.next(cron("0 * * * * ?"), at("2024-05-05T10:03:00Z"), 2))
                    .isEqualTo(instants("2024-05-05T10:04:00Z", "2024-05-05T10:05:00Z"));
            assertThat(FireTimes.next(cron("0 * * * * ?"), at("2024-05-05T10:02:59.999Z"), 1)).containsExactly(at("2024-05-05T10:03:00Z"));
        }

        @Test
        void stopsWhenTheCronHasNoMoreYears() {
            assertThat(FireTimes.next(cron("0 0 0 1 1 ? 2030"), at("2024-05-05T10:03:00Z"), 3)).containsExactly(at("2030-01-01T00:00:00Z"));
        }

        @Test
        void everyIsAnchoredAtTheEpoch() {
            assertThat(FireTimes.next(every(Duration.ofMinutes(5)), at("2024-05-05T10:03:17Z"), 3))
                    .isEqualTo(instants("2024-05-05T10:05:00Z", "2024-05-05T10:10:00Z", "2024-05-05T10:15:00Z"));
            assertThat(FireTimes.next(every(Duration.ofMinutes(5)), at("2024-05-05T10:05:00Z"), 1)).containsExactly(at("2024-05-05T10:10:00Z"));
            assertThat(FireTimes.next(every(Duration.ofSeconds(1)), at("2024-05-05T10:05:00.250Z"), 2))
                    .isEqualTo(instants("2024-05-05T10:05:01Z", "2024-05-05T10:05:02Z"));
        }

        @Test
        void everyDayIsMidnightUtcWhateverTheZone() {
            assertThat(FireTimes.next(every(Duration.ofDays(1)), at("2024-03-30T23:00:00Z"), 2))
                    .isEqualTo(instants("2024-03-31T00:00:00Z", "2024-04-01T00:00:00Z"));
        }

        @Test
        void everyThatDoesNotDivideADayDriftsThroughTheDays() {
            // 2024-05-05T00:00Z is minute 28,581,120 since the epoch, 1 past a multiple of 7
            assertThat(FireTimes.next(every(Duration.ofMinutes(7)), at("2024-05-04T23:55:00Z"), 2))
                    .isEqualTo(instants("2024-05-04T23:59:00Z", "2024-05-05T00:06:00Z"));
        }

        @Test
        void rejectsABadCronOrInterval() {
            assertThatThrownBy(() -> FireTimes.next(cron("0 0 2 L * 3"), at("2024-01-01T00:00:00Z"), 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Expected a Quartz cron expression, but '0 0 2 L * 3'");
            assertThatThrownBy(() -> FireTimes.next(every(Duration.ZERO), at("2024-01-01T00:00:00Z"), 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1ms");
        }
    }

    @Nested
    class CatchUp {

        private final Instant last = at("2024-05-05T10:00:00Z");
        private final Instant now = at("2024-05-05T13:30:00Z");

        @Test
        void runOnceHandsOverTheNewestMissedSlotOnly() {
            assertThat(FireTimes.catchUp(cron("0 0 * * * ?", Misfire.RUN_ONCE), last, now)).containsExactly(at("2024-05-05T13:00:00Z"));
        }

        @Test
        void skipHandsOverNothing() {
            assertThat(FireTimes.catchUp(cron("0 0 * * * ?", Misfire.SKIP), last, now)).isEmpty();
        }

        @Test
        void runAllHandsOverEveryMissedSlotOldestFirst() {
            assertThat(FireTimes.catchUp(cron("0 0 * * * ?", Misfire.RUN_ALL), last, now))
                    .isEqualTo(instants("2024-05-05T11:00:00Z", "2024-05-05T12:00:00Z", "2024-05-05T13:00:00Z"));
        }

        @Test
        void theLastFiredSlotIsNotMissedButASlotAtNowIs() {
            assertThat(FireTimes.catchUp(cron("0 0 * * * ?", Misfire.RUN_ALL), last, at("2024-05-05T12:00:00Z")))
                    .isEqualTo(instants("2024-05-05T11:00:00Z", "2024-05-05T12:00:00Z"));
        }

        @Test
        void nothingIsMissedWhenNoSlotPassed() {
            assertThat(FireTimes.catchUp(cron("0 0 * * * ?", Misfire.RUN_ALL), last, at("2024-05-05T10:59:59Z"))).isEmpty();
            assertThat(FireTimes.catchUp(cron("0 0 * * * ?", Misfire.RUN_ALL), last, last)).isEmpty();
            assertThat(FireTimes.catchUp(cron("0 0 * * * ?", Misfire.RUN_ALL), now, last)).isEmpty();
        }

        @Test
        void runAllKeepsTheNewestHundred() {
            List<Instant> slots = FireTimes.catchUp(cron("* * * * * ?", Misfire.RUN_ALL), at("2024-04-05T13:30:00Z"), now);

            assertThat(slots).hasSize(FireTimes.MAX_CATCH_UP);
            assertThat(slots.get(0)).isEqualTo(now.minusSeconds(99));
            assertThat(slots.get(99)).isEqualTo(now);
        }

        @Test
        void runOnceFindsARareSlotAcrossYearsOfDowntime() {
            assertThat(FireTimes.catchUp(cron("0 0 0 1 1 ?", Misfire.RUN_ONCE), at("2010-06-01T00:00:00Z"), now))
                    .containsExactly(at("2024-01-01T00:00:00Z"));
            assertThat(FireTimes.catchUp(cron("0 0 0 1 1 ?", Misfire.RUN_ALL), at("2010-06-01T00:00:00Z"), now))
                    .hasSize(14).startsWith(at("2011-01-01T00:00:00Z")).endsWith(at("2024-01-01T00:00:00Z"));
        }

        @Test
        void catchUpFollowsTheTriggersZone() {
            Cron berlinNine = new Cron("0 0 9 * * ?", BERLIN, Misfire.RUN_ALL);

            assertThat(FireTimes.catchUp(berlinNine, at("2024-03-29T12:00:00Z"), at("2024-04-01T12:00:00Z")))
                    .isEqualTo(instants("2024-03-30T08:00:00Z", "2024-03-31T07:00:00Z", "2024-04-01T07:00:00Z"));
        }

        @Test
        void everyCatchesUpLikeRunOnce() {
            TriggerSource fiveMinutes = every(Duration.ofMinutes(5));

            assertThat(FireTimes.misfire(fiveMinutes)).isEqualTo(Misfire.RUN_ONCE);
            assertThat(FireTimes.catchUp(fiveMinutes, last, now)).containsExactly(at("2024-05-05T13:30:00Z"));
            assertThat(FireTimes.catchUp(fiveMinutes, last, at("2024-05-05T10:04:59Z"))).isEmpty();
        }

        @Test
        void everyRunAllSlotsAreWholeIntervals() {
            assertThat(FireTimes.newest(every(Duration.ofMinutes(5)), at("2024-05-05T10:02:00Z"), at("2024-05-05T10:16:00Z"), 100))
                    .isEqualTo(instants("2024-05-05T10:05:00Z", "2024-05-05T10:10:00Z", "2024-05-05T10:15:00Z"));
        }
    }
}
