package dev.forumdesk.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
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

  /** Audit 20a F2, F4, F5: a lunch break, other hours on Saturday, closed dates. */
  static final BusinessCalendar SPLIT = BusinessCalendar.of(BusinessHours.of("Europe/Berlin",
      List.of("Mon-Fri 09:00-12:00", "Mon-Fri 13:00-18:00", "Sat 10:00-14:00"), List.of()));

  @ParameterizedTest(name = "{0} + {1} = {2}")
  @CsvSource({
    // Wednesday 11:55 Berlin + 10 min: 5 before lunch, 5 after it → 13:05
    "2026-11-25T10:55:00Z, PT10M, 2026-11-25T12:05:00Z",
    // at lunch: from 13:00
    "2026-11-25T11:30:00Z, PT10M, 2026-11-25T12:10:00Z",
    // Friday 17:55 + 10 min: 5 on Friday, 5 from Saturday 10:00
    "2026-11-27T16:55:00Z, PT10M, 2026-11-28T09:05:00Z",
    // Saturday 13:55 + 10 min: 5 on Saturday, 5 from Monday 09:00
    "2026-11-28T12:55:00Z, PT10M, 2026-11-30T08:05:00Z",
    // Sunday: Monday 09:00; a whole weekday is 8 hours
    "2026-11-29T12:00:00Z, PT8H, 2026-11-30T17:00:00Z",
  })
  void splitHoursSkipTheLunchBreakAndKeepSaturdaysOwnHours(String start, String amount, String expected) {
    assertThat(SPLIT.plus(Instant.parse(start), Duration.parse(amount))).isEqualTo(Instant.parse(expected));
    assertThat(SPLIT.between(Instant.parse(start), Instant.parse(expected))).isEqualTo(Duration.parse(amount));
  }

  @Test
  void splitHoursCountOnlyTheirRanges() {
    // Wednesday 08:00 to 20:00 Berlin: 3 + 5 hours; the week: 5 × 8 + 4
    assertThat(SPLIT.between(Instant.parse("2026-11-25T07:00:00Z"), Instant.parse("2026-11-25T19:00:00Z")))
        .isEqualTo(Duration.ofHours(8));
    assertThat(SPLIT.between(Instant.parse("2026-11-29T23:00:00Z"), Instant.parse("2026-12-06T23:00:00Z")))
        .isEqualTo(Duration.ofHours(44));
    assertThat(SPLIT.inAYear()).isEqualTo(Duration.ofHours(52 * 44));
    assertThat(SPLIT.toString()).isEqualTo("Mon-Fri 09:00-12:00, Mon-Fri 13:00-18:00, Sat 10:00-14:00 Europe/Berlin");
    // overlapping entries are counted once
    BusinessCalendar overlapping = BusinessCalendar.of(BusinessHours.of("UTC", List.of("Mon 09:00-12:00", "Mon 11:00-13:00"), List.of()));
    assertThat(overlapping.between(Instant.parse("2026-11-30T08:00:00Z"), Instant.parse("2026-11-30T14:00:00Z")))
        .isEqualTo(Duration.ofHours(4));
  }

  /** A night desk: an overnight entry gives its day the evening and the next day the morning, as for shifts. */
  @Test
  void anOvernightEntryRunsIntoTheNextMorning() {
    BusinessCalendar nights = BusinessCalendar.of(BusinessHours.of("UTC", List.of("Sun-Thu 22:00-06:00"), List.of()));
    // Monday 05:00 (Sunday's night) + 2 h: 1 h until 06:00, 1 h from Monday 22:00
    assertThat(nights.plus(Instant.parse("2026-11-30T05:00:00Z"), Duration.ofHours(2)))
        .isEqualTo(Instant.parse("2026-11-30T23:00:00Z"));
    // Friday: only the morning of Thursday's night; Saturday nothing
    assertThat(nights.between(Instant.parse("2026-12-04T00:00:00Z"), Instant.parse("2026-12-06T00:00:00Z")))
        .isEqualTo(Duration.ofHours(6));
    assertThat(nights.inAYear()).isEqualTo(Duration.ofHours(52 * 40));
  }

  /** Closed dates: Christmas on a Friday in 2026. */
  static final BusinessCalendar BERLIN_WITH_CHRISTMAS = BusinessCalendar.of(
      new BusinessHours("Europe/Berlin", "MON-FRI", "09:00", "18:00").withHolidays(List.of("2026-12-25", "2027-01-01")));

  @Test
  void aHolidayIsClosedAllDay() {
    // Thursday 24 Dec 17:50 Berlin + 30 min: 10 on Thursday, Friday is Christmas, 20 from Monday 09:00
    assertThat(BERLIN_WITH_CHRISTMAS.plus(Instant.parse("2026-12-24T16:50:00Z"), Duration.ofMinutes(30)))
        .isEqualTo(Instant.parse("2026-12-28T08:20:00Z"));
    assertThat(berlin.plus(Instant.parse("2026-12-24T16:50:00Z"), Duration.ofMinutes(30)))
        .as("without it: Friday").isEqualTo(Instant.parse("2026-12-25T08:20:00Z"));
    assertThat(BERLIN_WITH_CHRISTMAS.between(Instant.parse("2026-12-24T23:00:00Z"), Instant.parse("2026-12-27T23:00:00Z")))
        .isZero();
    // split hours take holidays too
    BusinessCalendar split = BusinessCalendar.of(BusinessHours.of("Europe/Berlin",
        List.of("Mon-Fri 09:00-12:00", "Mon-Fri 13:00-18:00", "Sat 10:00-14:00"), List.of("2026-12-26")));
    assertThat(split.plus(Instant.parse("2026-12-25T16:55:00Z"), Duration.ofMinutes(10)))
        .as("Friday 17:55, Saturday 26 Dec closed: Monday 09:05").isEqualTo(Instant.parse("2026-12-28T08:05:00Z"));
    // both holidays fall in one 52 weeks, each a 9-hour Friday
    assertThat(BERLIN_WITH_CHRISTMAS.inAYear()).isEqualTo(Duration.ofHours(52 * 45 - 18));
    assertThat(BERLIN_WITH_CHRISTMAS.toString()).isEqualTo("MON-FRI 09:00-18:00 Europe/Berlin, closed on 2 holidays");
  }

  @Test
  void hoursWrittenAsEntriesAreTheSameCalendarAsDaysFromTo() {
    BusinessCalendar entries = BusinessCalendar.of(BusinessHours.of("Europe/Berlin", List.of("Mon-Fri 09:00-18:00"), List.of()));
    Random random = new Random(20);
    Instant base = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 2000; i++) {
      Instant start = base.plusSeconds(random.nextInt(2 * 366 * 86_400));
      Duration amount = Duration.ofSeconds(random.nextInt(200 * 3600));
      assertThat(entries.plus(start, amount)).isEqualTo(berlin.plus(start, amount));
      assertThat(entries.between(start, start.plus(amount))).isEqualTo(berlin.between(start, start.plus(amount)));
    }
  }

  /**
   * Determinism: a policy recorded before hours and holidays (days/from/to) computes exactly as the
   * calendar of before did (its code, kept here), DST changes and hours until 24:00 included.
   */
  @ParameterizedTest
  @CsvSource({
    "Europe/Berlin, MON-FRI, 09:00, 18:00",
    "UTC, SUN, 00:58, 01:00",
    "Europe/Berlin, Sun, 01:30, 03:30",
    "America/New_York, SAT-MON, 20:00, 24:00",
    "Asia/Tbilisi, MON;WED;FRI, 08:15, 12:45",
  })
  void aPolicyRecordedBeforeComputesAsBefore(String zone, String days, String from, String to) {
    BusinessHours hours = new BusinessHours(zone, days.replace(';', ','), from, to);
    BusinessCalendar now = BusinessCalendar.of(hours);
    Before before = new Before(ZoneId.of(zone), BusinessCalendar.parseDays(hours.days()),
        LocalTime.parse(from), to.equals("24:00") ? LocalTime.MIDNIGHT : LocalTime.parse(to), to.equals("24:00"));
    Random random = new Random(zone.hashCode());
    Instant base = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 1500; i++) {
      Instant start = base.plusSeconds(random.nextInt(2 * 366 * 86_400));
      Duration amount = Duration.ofSeconds(random.nextInt(30 * 3600));
      assertThat(now.reach(start, amount)).isEqualTo(before.plus(start, amount));
      Instant end = start.plusSeconds(random.nextInt(40 * 86_400));
      assertThat(now.between(start, end)).isEqualTo(before.between(start, end));
    }
  }

  /** BusinessCalendar as it was before hours and holidays (commit 6f487cc6), for the comparison above. */
  private record Before(ZoneId zone, Set<DayOfWeek> days, LocalTime from, LocalTime to, boolean untilMidnight) {
    private Instant close(LocalDate date) {
      return untilMidnight ? date.plusDays(1).atStartOfDay(zone).toInstant() : ZonedDateTime.of(date, to, zone).toInstant();
    }

    Optional<Instant> plus(Instant start, Duration amount) {
      Duration left = amount;
      LocalDate date = start.atZone(zone).toLocalDate();
      for (int i = 0; i < 3660; i++, date = date.plusDays(1)) {
        if (!days.contains(date.getDayOfWeek())) {
          continue;
        }
        Instant open = ZonedDateTime.of(date, from, zone).toInstant();
        Instant close = close(date);
        Instant begin = start.isAfter(open) ? start : open;
        if (!begin.isBefore(close)) {
          continue;
        }
        Duration available = Duration.between(begin, close);
        if (available.compareTo(left) >= 0) {
          return Optional.of(begin.plus(left));
        }
        left = left.minus(available);
      }
      return Optional.empty();
    }

    Duration between(Instant start, Instant end) {
      if (!end.isAfter(start)) {
        return Duration.ZERO;
      }
      Duration total = Duration.ZERO;
      LocalDate date = start.atZone(zone).toLocalDate();
      LocalDate last = end.atZone(zone).toLocalDate();
      for (int i = 0; i < 3660 && !date.isAfter(last); i++, date = date.plusDays(1)) {
        if (!days.contains(date.getDayOfWeek())) {
          continue;
        }
        Instant open = ZonedDateTime.of(date, from, zone).toInstant();
        Instant close = close(date);
        Instant a = start.isAfter(open) ? start : open;
        Instant b = end.isBefore(close) ? end : close;
        if (b.isAfter(a)) {
          total = total.plus(Duration.between(a, b));
        }
      }
      return total;
    }
  }

  /** The policy is the running tickets' workflow input: a policy of before reads and writes as before. */
  @Test
  void theJsonOfARecordedPolicyStaysAsItWas() {
    var json = dev.forumdesk.ticket.HistoryJson.converter();
    String before = "{\"zone\":\"Europe/Berlin\",\"days\":\"MON-FRI\",\"from\":\"09:00\",\"to\":\"18:00\"}";
    BusinessHours read = json.fromPayload(io.temporal.api.common.v1.Payload.newBuilder()
        .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
        .setData(com.google.protobuf.ByteString.copyFromUtf8(before)).build(), BusinessHours.class, BusinessHours.class);
    assertThat(read).isEqualTo(new BusinessHours("Europe/Berlin", "MON-FRI", "09:00", "18:00"));
    assertThat(read.hours()).isNull();
    assertThat(json.toPayload(read).orElseThrow().getData().toStringUtf8()).isEqualTo(before);

    BusinessHours split = BusinessHours.of("Europe/Berlin", List.of("Mon-Fri 09:00-12:00", "Sat 10:00-14:00"), List.of("2026-12-25"));
    String written = json.toPayload(split).orElseThrow().getData().toStringUtf8();
    assertThat(written).isEqualTo("{\"zone\":\"Europe/Berlin\",\"hours\":[\"Mon-Fri 09:00-12:00\",\"Sat 10:00-14:00\"],"
        + "\"holidays\":[\"2026-12-25\"]}");
    assertThat(json.fromPayload(json.toPayload(split).orElseThrow(), BusinessHours.class, BusinessHours.class)).isEqualTo(split);
  }
}
