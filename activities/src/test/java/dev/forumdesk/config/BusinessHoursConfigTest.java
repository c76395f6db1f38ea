package dev.forumdesk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forumdesk.log.LogCapture;
import dev.forumdesk.sla.BusinessHours;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code sla.business-hours} (audit 20a F2-F5): split hours per day, other hours per weekday and
 * holidays as {@code hours}/{@code holidays}; the older {@code days/from/to} as before; a list, a
 * mix of both forms or a bad value stops the load naming the key.
 */
class BusinessHoursConfigTest {
  @RegisterExtension final LogCapture logs = LogCapture.of(ConfigLoader.class);

  private static Optional<BusinessHours> hours(String businessHours) {
    return ConfigLoader.fromYaml("support: {chat-id: -100}\nsla:\n  business-hours: " + businessHours).sla().businessHours();
  }

  private static void failsWith(String businessHours, String message) {
    assertThatThrownBy(() -> hours(businessHours)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  @Test
  void hoursAndHolidaysAsShiftHoursWriteThem() {
    assertThat(hours("{zone: Europe/Berlin, hours: [\"Mon-Fri 09:00-12:00\", \"Mon-Fri 13:00-18:00\", \"Sat 10:00-14:00\"],"
        + " holidays: [\"2027-01-01\", \"2026-12-25\"]}"))
        .contains(BusinessHours.of("Europe/Berlin", List.of("Mon-Fri 09:00-12:00", "Mon-Fri 13:00-18:00", "Sat 10:00-14:00"),
            List.of("2026-12-25", "2027-01-01")));
    assertThat(hours("{zone: UTC, hours: \"Mon-Fri 09:00-18:00\"}"))
        .contains(BusinessHours.of("UTC", List.of("Mon-Fri 09:00-18:00"), List.of()));
    assertThat(hours("{zone: Europe/Berlin, days: MON-FRI, from: '09:00', to: '18:00', holidays: ['2026-12-25']}"))
        .contains(new BusinessHours("Europe/Berlin", "MON-FRI", "09:00", "18:00").withHolidays(List.of("2026-12-25")));
    assertThat(hours("{zone: Europe/Berlin, days: MON-FRI, from: '09:00', to: '18:00'}"))
        .as("the form of before, as before").contains(new BusinessHours("Europe/Berlin", "MON-FRI", "09:00", "18:00"));
    assertThat(hours("null")).isEmpty();
    assertThat(logs.warnings()).as("hours and holidays are keys of business hours now").isEmpty();
  }

  /**
   * Audit 20c, F1: YAML's timestamp reads an unquoted impossible date leniently (2026-11-37 was
   * 7 December, a Monday closed without a word); read as written, it stops the load. F2: {@code
   * holidays: null} is none, not "'' is not a date".
   */
  @Test
  void anImpossibleUnquotedHolidayStopsTheLoadAndNullIsNone() {
    for (String bad : List.of("2026-11-37", "2026-12-32", "2026-13-01", "2026-04-31")) {
      failsWith("{zone: UTC, hours: [\"Mon-Fri 09:00-18:00\"], holidays: [2026-12-25, " + bad + "]}",
          "sla.business-hours.holidays: '" + bad + "' is not a date such as 2026-12-25");
    }
    assertThat(hours("{zone: UTC, hours: [\"Mon-Fri 09:00-18:00\"], holidays: null}").orElseThrow().holidays()).isEmpty();
    assertThat(hours("{zone: UTC, hours: [\"Mon-Fri 09:00-18:00\"], holidays: []}").orElseThrow().holidays()).isEmpty();
    assertThat(hours("{zone: UTC, hours: [\"Mon-Fri 09:00-18:00\"], holidays: 2026-12-25}").orElseThrow().holidays())
        .containsExactly("2026-12-25");
  }

  /** YAML reads an unquoted 2026-12-25 as a timestamp, which Helidon gives as java.util.Date's text in the JVM's zone. */
  @Test
  void anUnquotedHolidayIsTheDateWrittenWhateverTheJvmsZone() {
    TimeZone before = TimeZone.getDefault();
    try {
      for (String zone : List.of("UTC", "America/Los_Angeles", "Pacific/Kiritimati", "Europe/Berlin")) {
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        assertThat(hours("{zone: UTC, hours: [\"Mon-Fri 09:00-18:00\"], holidays: [2026-12-25, 2027-01-01]}").orElseThrow()
            .holidays()).as(zone).containsExactly("2026-12-25", "2027-01-01");
      }
    } finally {
      TimeZone.setDefault(before);
    }
  }

  /** Audit 20a F2: a list (the lunch break written as two ranges) switched business hours off with a WARN. */
  @Test
  void aListIsRefusedPointingToHours() {
    failsWith("[{zone: Europe/Berlin, days: MON-FRI, from: '09:00', to: '12:00'}, {zone: Europe/Berlin, days: MON-FRI,"
        + " from: '13:00', to: '18:00'}]", "sla.business-hours: a list is not business hours; write one mapping with every"
        + " range under hours:, e.g. {zone: Europe/Berlin, hours: [\"Mon-Fri 09:00-12:00\", \"Mon-Fri 13:00-18:00\"]}");
  }

  @Test
  void aBadValueIsOneLineNamingTheKey() {
    failsWith("{zone: Europe/Berlin, hours: [\"Mon-Fry 09:00-18:00\"]}",
        "sla.business-hours.hours: 'Mon-Fry 09:00-18:00': unknown day 'Fry' (use Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
    failsWith("{zone: Europe/Berlin, hours: [\"Mon-Fri 9-18\"]}",
        "sla.business-hours.hours: 'Mon-Fri 9-18': expected '<days> HH:MM-HH:MM', e.g. 'Mon-Fri 09:00-18:00'");
    failsWith("{zone: Europe/Berlin, hours: []}",
        "sla.business-hours.hours: no hours given; expected e.g. 'Mon-Fri 09:00-18:00'");
    failsWith("{zone: Europe/Berlin, hours: [\"Mon-Fri 09:00-18:00\"], days: MON-FRI}",
        "sla.business-hours: write either hours or days/from/to, not both (days with hours)");
    failsWith("{zone: Europe/Berlin, hours: [\"Mon-Fri 09:00-18:00\"], holidays: [\"2026-12-32\"]}",
        "sla.business-hours.holidays: '2026-12-32' is not a date such as 2026-12-25");
    failsWith("{zone: Europe/Berlin, hours: [\"Mon-Fri 09:00-18:00\"], holidays: [\"25.12.2026\"]}",
        "sla.business-hours.holidays: '25.12.2026' is not a date such as 2026-12-25");
    failsWith("{zone: Europe/Berln, hours: [\"Mon-Fri 09:00-18:00\"]}",
        "sla.business-hours.zone: 'Europe/Berln' is not a time zone id (e.g. Europe/Berlin, UTC)");
    // audit 20a F1 with hours too: twenty minutes of Saturday hotline cannot give the defaults' PT24H a year
    failsWith("{zone: Europe/Berlin, hours: [\"Sat 10:00-10:20\"]}",
        "sla.resolution: PT24H of business time does not fall due within a year of sla.business-hours, which are open"
            + " 17 h 20 min in 52 weeks; shorten it or widen the hours");
  }

  /**
   * Audit 20a F3/F4: without a zone (or as {@code {}}) business hours were silently off; without
   * from, to or days they took 09:00, 18:00, MON-FRI; a typo inside them was a WARN while every SLA
   * changed. Each stops the load now, naming the key, as shift hours do.
   */
  @Test
  void aZoneIsRequiredAndSoIsEachKeyOfTheRangeAndNoOtherKeyIsTaken() {
    failsWith("{days: MON-FRI, from: '09:00', to: '18:00'}",
        "sla.business-hours.zone: required, a time-zone id such as Europe/Berlin or UTC");
    failsWith("{hours: [\"Mon-Fri 09:00-18:00\"]}",
        "sla.business-hours.zone: required, a time-zone id such as Europe/Berlin or UTC");
    failsWith("{}", "sla.business-hours: {} gives no hours; write e.g. " + EXAMPLE + ", or leave it out (or null) for none");
    failsWith("{zone: Europe/Berlin}",
        "sla.business-hours: no hours given; write e.g. " + EXAMPLE + " (or days, from and to)");
    failsWith("{zone: Europe/Berlin, holidays: ['2026-12-25']}",
        "sla.business-hours: no hours given; write e.g. " + EXAMPLE + " (or days, from and to)");
    failsWith("{zone: Europe/Berlin, days: MON-FRI, from: '09:00'}",
        "sla.business-hours.to: required with days and from (e.g. \"18:00\"), or write the hours as hours: [\"Mon-Fri 09:00-18:00\"]");
    failsWith("{zone: Europe/Berlin, from: '09:00', to: '18:00'}",
        "sla.business-hours.days: required with from and to (e.g. MON-FRI), or write the hours as hours: [\"Mon-Fri 09:00-18:00\"]");
    failsWith("{zone: Europe/Berlin, days: MON-FRI, to: '18:00'}",
        "sla.business-hours.from: required with days and to (e.g. \"09:00\"), or write the hours as hours: [\"Mon-Fri 09:00-18:00\"]");
    failsWith("{zone: Europe/Berlin, hours: [\"Mon-Fri 09:00-18:00\"], holiday: ['2026-12-25']}",
        "sla.business-hours.holiday (did you mean holidays?): not a key of business hours, which are zone, hours,"
            + " holidays, or days, from, to; a typo here would change every SLA");
    failsWith("{zone: Europe/Berlin, hours: [\"Mon-Fri 09:00-18:00\"], lunch: '12:00-13:00', timezone: UTC}",
        "sla.business-hours.lunch, sla.business-hours.timezone: not keys of business hours, which are zone, hours,"
            + " holidays, or days, from, to; a typo here would change every SLA");
    failsWith("off", "sla.business-hours: 'false' is not business hours; write e.g. " + EXAMPLE
        + ", or leave it out (or null) for none");
    assertThat(hours("")).as("nothing written: none").isEmpty();
  }

  static final String EXAMPLE = "{zone: Europe/Berlin, hours: [\"Mon-Fri 09:00-12:00\", \"Mon-Fri 13:00-18:00\"]}";
}
