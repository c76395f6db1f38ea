package dev.forumdesk.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BusinessCalendarTest {
  private final BusinessCalendar berlin =
      BusinessCalendar.of(new BusinessHours("Europe/Berlin", "MON-FRI", "09:00", "18:00"));

  @ParameterizedTest(name = "{0} + {1} = {2}")
  @CsvSource({
    // Wednesday inside hours: plain addition
    "2026-11-25T10:00:00Z, PT30M, 2026-11-25T10:30:00Z",
    // Friday 17:50 Berlin + 30 min → Monday 09:20 Berlin
    "2026-11-27T16:50:00Z, PT30M, 2026-11-30T08:20:00Z",
    // Saturday: the clock starts Monday 09:00
    "2026-11-28T12:00:00Z, PT1H, 2026-11-30T09:00:00Z",
    // before opening: starts at 09:00
    "2026-11-25T06:00:00Z, PT10M, 2026-11-25T08:10:00Z",
    // a whole business day and a bit: 9 h per day
    "2026-11-25T08:00:00Z, PT10H, 2026-11-26T09:00:00Z",
  })
  void plusSkipsNightsAndWeekends(String start, String amount, String expected) {
    assertThat(berlin.plus(Instant.parse(start), Duration.parse(amount))).isEqualTo(Instant.parse(expected));
  }

  /** Audit 12, F5: "24:00" ends the business day at midnight, as it ends a shift. */
  @Test
  void hoursUntil24EndAtMidnight() {
    BusinessCalendar evenings = BusinessCalendar.of(new BusinessHours("UTC", "MON-FRI", "20:00", "24:00"));
    // Monday 23:00 + 2 h: 1 h on Monday, 1 h from Tuesday 20:00
    assertThat(evenings.plus(Instant.parse("2026-11-30T23:00:00Z"), Duration.ofHours(2)))
        .isEqualTo(Instant.parse("2026-12-01T21:00:00Z"));
    assertThat(evenings.between(Instant.parse("2026-11-30T19:00:00Z"), Instant.parse("2026-12-01T00:00:00Z")))
        .isEqualTo(Duration.ofHours(4));
    // Friday 23:30 + 1 h: 30 min on Friday, then Monday 20:30
    assertThat(evenings.plus(Instant.parse("2026-12-04T23:30:00Z"), Duration.ofHours(1)))
        .isEqualTo(Instant.parse("2026-12-07T20:30:00Z"));
  }

  @Test
  void betweenCountsOnlyBusinessTime() {
    // Friday 17:00 Berlin → Monday 10:00 Berlin: 1 h + 1 h
    assertThat(berlin.between(Instant.parse("2026-11-27T16:00:00Z"), Instant.parse("2026-11-30T09:00:00Z")))
        .isEqualTo(Duration.ofHours(2));
    assertThat(berlin.between(Instant.parse("2026-11-30T09:00:00Z"), Instant.parse("2026-11-27T16:00:00Z")))
        .isZero();
  }

  @Test
  void plusAndBetweenAreInverse() {
    Instant start = Instant.parse("2026-11-26T15:17:00Z");
    for (long minutes : new long[] {1, 59, 600, 3000}) {
      Instant end = berlin.plus(start, Duration.ofMinutes(minutes));
      assertThat(berlin.between(start, end)).isEqualTo(Duration.ofMinutes(minutes));
    }
  }

  @Test
  void withoutBusinessHoursTheClockAlwaysRuns() {
    BusinessCalendar always = BusinessCalendar.of(null);
    Instant sat = Instant.parse("2026-11-28T23:00:00Z");
    assertThat(always.plus(sat, Duration.ofMinutes(30))).isEqualTo(sat.plusSeconds(1800));
  }

  /** Audit 20a, F1: no answer is no exception, and how much a year holds is what the loader checks against. */
  @Test
  void aTimeTheHoursCannotGiveWithinTenYearsIsNotReached() {
    BusinessCalendar twoMinutesOnSundays = BusinessCalendar.of(new BusinessHours("UTC", "SUN", "00:58", "01:00"));
    Instant start = Instant.parse("2026-12-06T00:55:00Z");
    assertThat(twoMinutesOnSundays.reach(start, Duration.ofMinutes(3))).contains(Instant.parse("2026-12-13T00:59:00Z"));
    assertThat(twoMinutesOnSundays.reach(start, Duration.ofHours(24))).as("13.8 years of Sundays").isEmpty();
    assertThatThrownBy(() -> twoMinutesOnSundays.plus(start, Duration.ofHours(24))).isInstanceOf(IllegalStateException.class);
    assertThat(twoMinutesOnSundays.inAYear()).isEqualTo(Duration.ofMinutes(104));
    assertThat(berlin.inAYear()).isEqualTo(Duration.ofHours(52 * 45));
    assertThat(BusinessCalendar.of(new BusinessHours("UTC", "MON-FRI", "20:00", "24:00")).inAYear())
        .isEqualTo(Duration.ofHours(52 * 20));
    assertThat(BusinessCalendar.of(null).inAYear()).isEqualTo(Duration.ofDays(364));
  }

  @Test
  void daysAcceptRangesAndLists() {
    assertThat(BusinessCalendar.parseDays("MON-FRI")).hasSize(5).doesNotContain(DayOfWeek.SATURDAY);
    assertThat(BusinessCalendar.parseDays("SUN-TUE")).containsExactlyInAnyOrder(DayOfWeek.SUNDAY, DayOfWeek.MONDAY, DayOfWeek.TUESDAY);
    assertThat(BusinessCalendar.parseDays("MON,WED")).containsExactlyInAnyOrder(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY);
    assertThatThrownBy(() -> BusinessCalendar.parseDays("MON-FUNDAY")).hasMessageContaining("FUNDAY");
  }
}
