package dev.forumdesk.shift;

import dev.forumdesk.sla.TimeOfDay;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An agent's weekly working hours in their time zone, e.g. {@code Mon-Fri 09:00-18:00} in
 * Europe/Berlin. Times are wall-clock times: a shift is 09:00-18:00 local on both sides of a DST
 * change, and an overnight shift ({@code 22:00-06:00}) belongs to the day it starts on and ends at
 * 06:00 local the next morning. {@link #ALWAYS} (no hours configured) covers every instant.
 */
public final class ShiftHours {
  public static final ShiftHours ALWAYS = new ShiftHours(null, List.of(), "always");

  private static final Pattern ENTRY =
      Pattern.compile("(\\S+)\\s+(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})");

  /** One weekly window: starts on {@code day} at {@code from}; ends at {@code to}, the next day when not after from. */
  private record Window(DayOfWeek day, LocalTime from, LocalTime to) {
    ZonedDateTime start(LocalDate date, ZoneId zone) {
      return ZonedDateTime.of(date, from, zone);
    }

    ZonedDateTime end(LocalDate date, ZoneId zone) {
      return ZonedDateTime.of(to.isAfter(from) ? date : date.plusDays(1), to, zone);
    }
  }

  private final ZoneId zone;
  private final List<Window> windows;
  private final String text;

  private ShiftHours(ZoneId zone, List<Window> windows, String text) {
    this.zone = zone;
    this.windows = windows;
    this.text = text;
  }

  /**
   * @param zone a time-zone id such as {@code Europe/Berlin} or {@code UTC}
   * @param hours entries {@code <days> HH:MM-HH:MM} (also several in one string, split by {@code ;}); days {@code Mon-Fri}, {@code Sat},
   *     {@code Mon,Wed,Fri} or a wrapping range ({@code Fri-Mon}); {@code 24:00} ends at midnight
   * @throws IllegalArgumentException naming the bad value and what was expected
   */
  public static ShiftHours parse(String zone, List<String> hours) {
    ZoneId id = zone(zone);
    List<String> entries = hours.stream()
        .flatMap(h -> java.util.Arrays.stream(h.split(";"))).map(String::strip).filter(h -> !h.isEmpty()).toList();
    List<Window> windows = new ArrayList<>();
    for (String entry : entries) {
      windows.addAll(entry(entry));
    }
    if (windows.isEmpty()) {
      throw new IllegalArgumentException("no hours given; expected e.g. 'Mon-Fri 09:00-18:00'");
    }
    return new ShiftHours(id, List.copyOf(windows), String.join(", ", entries) + " (" + id + ")");
  }

  public boolean always() {
    return windows.isEmpty();
  }

  public ZoneId zone() {
    return zone == null ? ZoneId.of("UTC") : zone;
  }

  /** Whether the agent works at this instant. */
  public boolean covers(Instant t) {
    if (always()) {
      return true;
    }
    LocalDate today = t.atZone(zone).toLocalDate();
    for (LocalDate date : List.of(today.minusDays(1), today)) {
      for (Window w : windows) {
        if (w.day() == date.getDayOfWeek()) {
          Instant start = w.start(date, zone).toInstant();
          if (!t.isBefore(start) && t.isBefore(w.end(date, zone).toInstant())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The first shift start strictly after {@code after}; empty when always on shift. */
  public Optional<Instant> nextStart(Instant after) {
    return occurrences(after).stream()
        .map(o -> o.start)
        .filter(s -> s.isAfter(after))
        .min(Comparator.naturalOrder());
  }

  /** When the shift that covers {@code after} ends (adjoining windows count as one shift). */
  public Optional<Instant> nextEnd(Instant after) {
    return occurrences(after).stream()
        .map(o -> o.end)
        .filter(e -> e.isAfter(after) && !covers(e))
        .min(Comparator.naturalOrder());
  }

  private record Occurrence(Instant start, Instant end) {}

  /** Every window occurrence from the day before {@code around} to eight days after. */
  private List<Occurrence> occurrences(Instant around) {
    List<Occurrence> out = new ArrayList<>();
    if (always()) {
      return out;
    }
    LocalDate first = around.atZone(zone).toLocalDate().minusDays(1);
    for (int d = 0; d <= 9; d++) {
      LocalDate date = first.plusDays(d);
      for (Window w : windows) {
        if (w.day() == date.getDayOfWeek()) {
          out.add(new Occurrence(w.start(date, zone).toInstant(), w.end(date, zone).toInstant()));
        }
      }
    }
    return out;
  }

  private static ZoneId zone(String zone) {
    if (zone == null || zone.isBlank()) {
      throw new IllegalArgumentException("a zone is required, e.g. Europe/Berlin or UTC");
    }
    try {
      return ZoneId.of(zone.strip());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("'" + zone + "' is not a time zone id (e.g. Europe/Berlin, UTC)");
    }
  }

  private static List<Window> entry(String entry) {
    Matcher m = ENTRY.matcher(entry);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + entry + "': expected '<days> HH:MM-HH:MM', e.g. 'Mon-Fri 09:00-18:00'");
    }
    LocalTime from = time(entry, m.group(2), false);
    LocalTime to = time(entry, m.group(3), true);
    if (from.equals(to) && !TimeOfDay.endOfDay(m.group(3))) {
      throw new IllegalArgumentException("'" + entry + "': a shift from " + m.group(2) + " to " + m.group(3)
          + " is ambiguous; use 00:00-24:00 for a whole day");
    }
    return days(entry, m.group(1)).stream().map(d -> new Window(d, from, to)).toList();
  }

  /** {@code 24:00} only as an end: midnight of the next day. */
  private static LocalTime time(String entry, String text, boolean end) {
    return TimeOfDay.parse(text, end)
        .orElseThrow(() -> new IllegalArgumentException("'" + entry + "': " + TimeOfDay.notATime(text, end)));
  }

  private static Set<DayOfWeek> days(String entry, String text) {
    Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
    for (String part : text.split(",")) {
      String[] range = part.split("-", -1);
      if (range.length > 2) {
        throw new IllegalArgumentException("'" + entry + "': '" + part + "' is not a day or a range like Mon-Fri");
      }
      DayOfWeek from = day(entry, range[0]);
      DayOfWeek to = range.length == 2 ? day(entry, range[1]) : from;
      for (DayOfWeek d = from; ; d = d.plus(1)) { // a range may wrap: Fri-Mon
        out.add(d);
        if (d == to) {
          break;
        }
      }
    }
    return out;
  }

  private static DayOfWeek day(String entry, String text) {
    String t = text.strip().toUpperCase(Locale.ROOT);
    for (DayOfWeek d : DayOfWeek.values()) {
      if (t.length() >= 3 && d.name().startsWith(t)) {
        return d;
      }
    }
    throw new IllegalArgumentException("'" + entry + "': unknown day '" + text + "' (use Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
  }

  /** As configured, e.g. {@code Mon-Fri 09:00-18:00 (Europe/Berlin)}, or {@code always}. */
  @Override
  public String toString() {
    return text;
  }
}
