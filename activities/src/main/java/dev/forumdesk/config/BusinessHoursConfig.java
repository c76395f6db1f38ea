package dev.forumdesk.config;

import dev.forumdesk.sla.BusinessCalendar;
import dev.forumdesk.sla.BusinessHours;
import io.helidon.config.Config;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code sla.business-hours}: {@code {zone, hours, holidays}}, hours as shift hours write them
 * ({@code ["Mon-Fri 09:00-12:00", "Mon-Fri 13:00-18:00", "Sat 10:00-14:00"]}), or the older
 * {@code {zone, days, from, to}}; a bad value fails the load naming its key.
 */
final class BusinessHoursConfig {
  private static final String EXAMPLE = "{zone: Europe/Berlin, hours: [\"Mon-Fri 09:00-12:00\", \"Mon-Fri 13:00-18:00\"]}";

  private BusinessHoursConfig() {}

  /** @return none when the file writes no business hours (or {@code null}) */
  static Optional<BusinessHours> read(Config bh) {
    if (!bh.exists()) {
      return Optional.empty();
    }
    if (bh.type() == Config.Type.LIST) {
      // audit 20a F2: a list (the lunch break written as two ranges) switched business hours off with a WARN
      throw new ConfigException("sla.business-hours: a list is not business hours; write one mapping with every"
          + " range under hours:, e.g. " + EXAMPLE);
    }
    Config hours = bh.get("hours");
    List<String> holidays = holidays(bh.get("holidays"));
    if (hours.exists()) {
      for (String key : List.of("days", "from", "to")) {
        if (bh.get(key).exists()) {
          throw new ConfigException("sla.business-hours: write either hours or days/from/to, not both (" + key
              + " with hours)");
        }
      }
      String zone = bh.get("zone").asString().orElse("");
      List<String> entries = hours.asList(String.class)
          .orElseGet(() -> hours.asString().map(List::of).orElse(List.of()));
      if (entries.stream().allMatch(String::isBlank)) {
        throw new ConfigException("sla.business-hours.hours: no hours given; expected e.g. 'Mon-Fri 09:00-18:00'");
      }
      return Optional.of(checked(BusinessHours.of(zone, entries, holidays)));
    }
    // asked for with or without a zone: keys the file may write (ReadKeys), not typos
    String days = bh.get("days").asString().orElse("MON-FRI");
    String from = bh.get("from").asString().orElse("09:00");
    String to = bh.get("to").asString().orElse("18:00");
    return bh.get("zone").asString().asOptional()
        .map(zone -> checked(new BusinessHours(zone, days, from, to).withHolidays(holidays)));
  }

  private static BusinessHours checked(BusinessHours h) {
    try {
      BusinessCalendar.of(h);
    } catch (RuntimeException e) {
      // the calendar's messages name their key (sla.business-hours.to: …); any other gets the section's
      throw new ConfigException(e.getMessage() != null && e.getMessage().startsWith("sla.business-hours")
          ? e.getMessage() : "sla.business-hours: " + e.getMessage());
    }
    return h;
  }

  /** Closed dates, sorted, as {@code 2026-12-25}: quoted or not (YAML reads an unquoted one as a timestamp). */
  private static List<String> holidays(Config node) {
    if (!node.exists()) {
      return List.of();
    }
    List<String> written = node.asList(String.class).orElseGet(() -> node.asString().map(List::of).orElse(List.of()));
    TreeSet<LocalDate> dates = new TreeSet<>();
    for (String d : written) {
      dates.add(date(d));
    }
    return dates.stream().map(LocalDate::toString).toList();
  }

  /**
   * A date as written, or as Helidon gives an unquoted YAML date: java.util.Date's text of its
   * midnight UTC, in this JVM's zone.
   */
  private static LocalDate date(String text) {
    String t = text.strip();
    try {
      return LocalDate.parse(t);
    } catch (DateTimeParseException notIso) {
      // "Fri Dec 25 01:00:00 CET 2026": the zone's name is this JVM's (TimeZone.getDefault), the year last
      String[] parts = t.split(" ");
      if (parts.length == 6) {
        try {
          LocalDateTime local = LocalDateTime.parse(String.join(" ", parts[0], parts[1], parts[2], parts[3]) + " " + parts[5],
              DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss yyyy", Locale.US));
          return local.atZone(ZoneId.systemDefault()).withZoneSameInstant(ZoneOffset.UTC).toLocalDate();
        } catch (DateTimeParseException notADate) {
          // said below
        }
      }
      throw new ConfigException("sla.business-hours.holidays: '" + text + "' is not a date such as 2026-12-25");
    }
  }
}
