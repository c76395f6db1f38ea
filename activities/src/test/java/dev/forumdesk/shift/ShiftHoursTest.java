package dev.forumdesk.shift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ShiftHoursTest {
  static final ShiftHours BERLIN_OFFICE = ShiftHours.parse("Europe/Berlin", List.of("Mon-Fri 09:00-18:00"));
  static final ShiftHours BERLIN_NIGHTS = ShiftHours.parse("Europe/Berlin", List.of("Sat-Thu 22:00-06:00"));
  static final ShiftHours SPLIT = ShiftHours.parse("UTC", List.of("Mon-Fri 08:00-12:00; Mon-Fri 13:00-17:00", "Sat 10:00-14:00"));
  static final ShiftHours WEEKEND_WRAP = ShiftHours.parse("UTC", List.of("Fri-Mon 00:00-24:00"));

  static Instant at(String offsetDateTime) {
    return OffsetDateTime.parse(offsetDateTime).toInstant();
  }

  // 2026-03-29 (Sunday): Berlin springs forward 02:00 → 03:00; 2026-10-25 (Sunday): back 03:00 → 02:00.
  static Stream<Arguments> covers() {
    return Stream.of(
        Arguments.of("office: Monday 09:00 Berlin is the first minute", BERLIN_OFFICE, "2026-01-05T09:00+01:00", true),
        Arguments.of("office: Monday 08:59 Berlin is before", BERLIN_OFFICE, "2026-01-05T08:59+01:00", false),
        Arguments.of("office: 18:00 is already off (end exclusive)", BERLIN_OFFICE, "2026-01-05T18:00+01:00", false),
        Arguments.of("office: Saturday noon is off", BERLIN_OFFICE, "2026-01-10T12:00+01:00", false),
        Arguments.of("office: 08:30 UTC is 09:30 Berlin in winter", BERLIN_OFFICE, "2026-01-05T08:30Z", true),
        Arguments.of("office: 07:30 UTC is 09:30 Berlin in summer", BERLIN_OFFICE, "2026-07-06T07:30Z", true),
        Arguments.of("office: 16:30 UTC is 18:30 Berlin in summer", BERLIN_OFFICE, "2026-07-06T16:30Z", false),
        Arguments.of("nights: Sunday 23:00 is on", BERLIN_NIGHTS, "2026-01-04T23:00+01:00", true),
        Arguments.of("nights: Monday 05:59 belongs to Sunday's shift", BERLIN_NIGHTS, "2026-01-05T05:59+01:00", true),
        Arguments.of("nights: Monday 06:00 is off", BERLIN_NIGHTS, "2026-01-05T06:00+01:00", false),
        Arguments.of("nights: Friday 03:00 belongs to Thursday's shift", BERLIN_NIGHTS, "2026-01-09T03:00+01:00", true),
        Arguments.of("nights: Saturday 03:00 is off (no Friday shift)", BERLIN_NIGHTS, "2026-01-10T03:00+01:00", false),
        Arguments.of("nights: Friday 23:00 is off", BERLIN_NIGHTS, "2026-01-09T23:00+01:00", false),
        Arguments.of("nights over spring forward: 03:30 CEST is on", BERLIN_NIGHTS, "2026-03-29T03:30+02:00", true),
        Arguments.of("nights over spring forward: 06:00 CEST ends it", BERLIN_NIGHTS, "2026-03-29T06:00+02:00", false),
        Arguments.of("nights over fall back: the repeated 02:30 is on", BERLIN_NIGHTS, "2026-10-25T02:30+01:00", true),
        Arguments.of("nights over fall back: 05:30 CET is on", BERLIN_NIGHTS, "2026-10-25T05:30+01:00", true),
        Arguments.of("split: the lunch break is off", SPLIT, "2026-01-05T12:30Z", false),
        Arguments.of("split: the afternoon is on", SPLIT, "2026-01-05T13:00Z", true),
        Arguments.of("split: Saturday's own window", SPLIT, "2026-01-10T11:00Z", true),
        Arguments.of("wrapping days: Sunday is in Fri-Mon", WEEKEND_WRAP, "2026-01-04T12:00Z", true),
        Arguments.of("wrapping days: Tuesday is not", WEEKEND_WRAP, "2026-01-06T00:00Z", false),
        Arguments.of("always covers anything", ShiftHours.ALWAYS, "2026-01-10T03:00Z", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void covers(String name, ShiftHours hours, String at, boolean expected) {
    assertThat(hours.covers(at(at))).isEqualTo(expected);
  }

  static Stream<Arguments> changes() {
    return Stream.of(
        Arguments.of("office, Friday evening: next start is Monday 09:00", BERLIN_OFFICE, "2026-01-09T19:00+01:00",
            "2026-01-12T09:00+01:00", "2026-01-12T18:00+01:00"),
        Arguments.of("office, Monday morning: starts at 09:00, ends 18:00", BERLIN_OFFICE, "2026-01-05T07:00+01:00",
            "2026-01-05T09:00+01:00", "2026-01-05T18:00+01:00"),
        Arguments.of("office, during the day: ends at 18:00, next starts Tuesday", BERLIN_OFFICE, "2026-01-05T10:00+01:00",
            "2026-01-06T09:00+01:00", "2026-01-05T18:00+01:00"),
        Arguments.of("office across spring forward: Monday 09:00 CEST", BERLIN_OFFICE, "2026-03-28T12:00+01:00",
            "2026-03-30T09:00+02:00", "2026-03-30T18:00+02:00"),
        Arguments.of("nights across spring forward: 22:00 CET to 06:00 CEST", BERLIN_NIGHTS, "2026-03-28T12:00+01:00",
            "2026-03-28T22:00+01:00", "2026-03-29T06:00+02:00"),
        Arguments.of("nights across fall back: 22:00 CEST to 06:00 CET", BERLIN_NIGHTS, "2026-10-24T12:00+02:00",
            "2026-10-24T22:00+02:00", "2026-10-25T06:00+01:00"),
        Arguments.of("nights, Sunday 23:00: ends Monday 06:00", BERLIN_NIGHTS, "2026-01-04T23:00+01:00",
            "2026-01-05T22:00+01:00", "2026-01-05T06:00+01:00"),
        Arguments.of("split, lunch: back at 13:00", SPLIT, "2026-01-05T12:10Z",
            "2026-01-05T13:00Z", "2026-01-05T17:00Z"),
        Arguments.of("adjoining days count as one shift: Fri-Mon ends Tuesday 00:00", WEEKEND_WRAP, "2026-01-09T10:00Z",
            "2026-01-10T00:00Z", "2026-01-13T00:00Z"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void changes(String name, ShiftHours hours, String now, String nextStart, String nextEnd) {
    assertThat(hours.nextStart(at(now))).contains(at(nextStart));
    assertThat(hours.nextEnd(at(now))).contains(at(nextEnd));
  }

  @Test
  void aNightShiftOverADstChangeLastsSevenOrNineRealHours() {
    Instant springStart = at("2026-03-28T12:00+01:00");
    assertThat(java.time.Duration.between(BERLIN_NIGHTS.nextStart(springStart).orElseThrow(),
        BERLIN_NIGHTS.nextEnd(BERLIN_NIGHTS.nextStart(springStart).orElseThrow()).orElseThrow())).hasHours(7);
    Instant fallStart = at("2026-10-24T12:00+02:00");
    assertThat(java.time.Duration.between(BERLIN_NIGHTS.nextStart(fallStart).orElseThrow(),
        BERLIN_NIGHTS.nextEnd(BERLIN_NIGHTS.nextStart(fallStart).orElseThrow()).orElseThrow())).hasHours(9);
  }

  @Test
  void alwaysNeverChanges() {
    assertThat(ShiftHours.ALWAYS.nextStart(Instant.EPOCH)).isEmpty();
    assertThat(ShiftHours.ALWAYS.nextEnd(Instant.EPOCH)).isEmpty();
    assertThat(ShiftHours.parse("UTC", List.of("Mon-Sun 00:00-24:00")).nextEnd(Instant.EPOCH)).as("round the clock")
        .isEmpty();
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("Europe/Berln", List.of("Mon-Fri 09:00-18:00"), "'Europe/Berln' is not a time zone id"),
        Arguments.of("", List.of("Mon-Fri 09:00-18:00"), "a zone is required"),
        Arguments.of("UTC", List.of("Mon-Fry 09:00-18:00"), "unknown day 'Fry'"),
        Arguments.of("UTC", List.of("Mo 09:00-18:00"), "unknown day 'Mo'"),
        Arguments.of("UTC", List.of("Mon-Fri 9-18"), "'Mon-Fri 9-18': expected '<days> HH:MM-HH:MM'"),
        Arguments.of("UTC", List.of("Mon-Fri 09:00-25:00"), "'25:00' is not a time of day"),
        Arguments.of("UTC", List.of("Mon 24:00-06:00"), "'24:00' is not a time of day"),
        Arguments.of("UTC", List.of("Mon 09:00-09:00"), "is ambiguous; use 00:00-24:00"),
        Arguments.of("UTC", List.of("Mon-Tue-Wed 09:00-17:00"), "'Mon-Tue-Wed' is not a day or a range"),
        Arguments.of("UTC", List.of(" ; "), "no hours given"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource
  void invalid(String zone, List<String> hours, String message) {
    assertThatThrownBy(() -> ShiftHours.parse(zone, hours))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void stateSaysAwayOffShiftUntilOrOnShift() {
    Instant fridayEvening = at("2026-01-09T19:00+01:00");
    assertThat(ShiftState.of(true, BERLIN_OFFICE, fridayEvening).describe()).isEqualTo("away");
    ShiftState off = ShiftState.of(false, BERLIN_OFFICE, fridayEvening);
    assertThat(off.kind()).isEqualTo(ShiftState.Kind.OFF_SHIFT);
    assertThat(off.onShift()).isFalse();
    assertThat(off.describe()).isEqualTo("off shift until Mon 09:00 Europe/Berlin");
    ShiftState on = ShiftState.of(false, BERLIN_OFFICE, at("2026-01-09T10:00+01:00"));
    assertThat(on.onShift()).isTrue();
    assertThat(on.until().map(t -> t.toOffsetDateTime().toString())).isEqualTo(Optional.of("2026-01-09T18:00+01:00"));
    assertThat(ShiftState.of(false, ShiftHours.ALWAYS, fridayEvening)).isEqualTo(ShiftState.ON);
    assertThat(BERLIN_OFFICE.toString()).isEqualTo("Mon-Fri 09:00-18:00 (Europe/Berlin)");
  }
}
