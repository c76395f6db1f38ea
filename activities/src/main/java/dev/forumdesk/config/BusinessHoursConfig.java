package dev.forumdesk.config;

import dev.forumdesk.sla.BusinessCalendar;
import dev.forumdesk.sla.BusinessHours;
import io.helidon.config.Config;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
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

  /** Its keys: a typo among them (an unknown key) would change every SLA, so it stops the load. */
  private static final List<String> KEYS = List.of("zone", "hours", "holidays", "days", "from", "to");

  /**
   * @param writtenHolidays {@code holidays} as the file writes them (an unquoted date as its text, not
   *     as YAML's lenient timestamp); empty when the file writes none
   * @return none when the file writes no business hours (or {@code null})
   */
  static Optional<BusinessHours> read(Config bh, Optional<List<String>> writtenHolidays) {
    if (!bh.exists()) {
      return Optional.empty();
    }
    if (bh.type() == Config.Type.LIST) {
      // audit 20a F2: a list (the lunch break written as two ranges) switched business hours off with a WARN
      throw new ConfigException("sla.business-hours: a list is not business hours; write one mapping with every"
          + " range under hours:, e.g. " + EXAMPLE);
    }
    if (bh.isLeaf()) {
      String v = bh.asString().orElse("");
      if (v.isBlank()) {
        return Optional.empty(); // business-hours: null (or nothing): none, as the contract's sample writes it
      }
      throw new ConfigException("sla.business-hours: '" + v + "' is not business hours; write e.g. " + EXAMPLE
          + ", or leave it out (or null) for none");
    }
    List<String> written = bh.asNodeList().orElse(List.of()).stream().map(Config::name).sorted().toList();
    if (written.isEmpty()) {
      throw new ConfigException("sla.business-hours: {} gives no hours; write e.g. " + EXAMPLE
          + ", or leave it out (or null) for none");
    }
    unknownKeys(written);
    // audit 20a F3: without a zone business hours were silently off
    String zone = bh.get("zone").asString().orElse("");
    if (zone.isBlank()) {
      throw new ConfigException("sla.business-hours.zone: required, a time-zone id such as Europe/Berlin or UTC");
    }
    Config hours = bh.get("hours");
    List<String> holidays = holidays(bh.get("holidays"), writtenHolidays);
    if (hours.exists()) {
      for (String key : List.of("days", "from", "to")) {
        if (bh.get(key).exists()) {
          throw new ConfigException("sla.business-hours: write either hours or days/from/to, not both (" + key
              + " with hours)");
        }
      }
      List<String> entries = hours.asList(String.class)
          .orElseGet(() -> hours.asString().map(List::of).orElse(List.of()));
      if (entries.stream().allMatch(String::isBlank)) {
        throw new ConfigException("sla.business-hours.hours: no hours given; expected e.g. 'Mon-Fri 09:00-18:00'");
      }
      return Optional.of(checked(BusinessHours.of(zone, entries, holidays)));
    }
    // audit 20a F4: a missing one took 09:00, 18:00 or MON-FRI without a word
    Optional<String> days = bh.get("days").asString().asOptional();
    Optional<String> from = bh.get("from").asString().asOptional();
    Optional<String> to = bh.get("to").asString().asOptional();
    if (days.isEmpty() && from.isEmpty() && to.isEmpty()) {
      throw new ConfigException("sla.business-hours: no hours given; write e.g. " + EXAMPLE + " (or days, from and to)");
    }
    required("days", days, "from and to", "MON-FRI");
    required("from", from, "days and to", "\"09:00\"");
    required("to", to, "days and from", "\"18:00\"");
    return Optional.of(checked(new BusinessHours(zone, days.get(), from.get(), to.get()).withHolidays(holidays)));
  }

  private static void required(String key, Optional<String> value, String others, String example) {
    if (value.isEmpty() || value.get().isBlank()) {
      throw new ConfigException("sla.business-hours." + key + ": required with " + others + " (e.g. " + example
          + "), or write the hours as hours: [\"Mon-Fri 09:00-18:00\"]");
    }
  }

  /** Audit 20a F3/F4: a key business hours do not know was a WARN, and the hours it meant were not kept. */
  private static void unknownKeys(List<String> written) {
    List<String> unknown = written.stream().filter(k -> !KEYS.contains(k))
        .map(k -> "sla.business-hours." + k + UnknownKeys.closest(k, KEYS).map(m -> " (did you mean " + m + "?)").orElse(""))
        .toList();
    if (!unknown.isEmpty()) {
      throw new ConfigException(String.join(", ", unknown) + (unknown.size() == 1 ? ": not a key" : ": not keys")
          + " of business hours, which are zone, hours, holidays, or days, from, to; a typo here would change every SLA");
    }
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

  /**
   * Closed dates, sorted, as {@code 2026-12-25}, quoted or not, read as the file writes them: YAML's
   * timestamp would take {@code 2026-11-37} for 7 December without a word (audit 20c, F1). {@code
   * holidays: null} (or {@code []}): none.
   */
  private static List<String> holidays(Config node, Optional<List<String>> written) {
    ReadKeys.readWhole(node); // read from the text below: its keys are known, not unknown
    TreeSet<LocalDate> closed = new TreeSet<>();
    for (String d : written.orElseGet(() -> treeDates(node))) {
      closed.add(date(d));
    }
    return closed.stream().map(LocalDate::toString).toList();
  }

  /** Without the file's text (it could not be read again after the tree): the tree's reading. */
  private static List<String> treeDates(Config node) {
    return !node.exists() || node.isLeaf() && node.asString().orElse("").isBlank()
        ? List.of()
        : node.asList(String.class).orElseGet(() -> node.asString().map(List::of).orElse(List.of()));
  }

  private static LocalDate date(String text) {
    try {
      return LocalDate.parse(text == null ? "" : text.strip());
    } catch (DateTimeParseException e) {
      throw new ConfigException("sla.business-hours.holidays: " + (text == null || text.isBlank() ? "an empty entry"
          : "'" + text + "'") + " is not a date such as 2026-12-25");
    }
  }
}
