package dev.forumdesk.sla;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Weekly hours as shift hours and business hours write them: entries {@code <days> HH:MM-HH:MM}
 * such as {@code Mon-Fri 09:00-18:00}, {@code Sat 10:00-14:00}, {@code Sun-Thu 22:00-06:00}. One
 * parser for both, so that a list of hours reads the same in either place.
 *
 * @param entries the entries as written (stripped, one per element; {@code ;} split them)
 * @param windows one per day an entry names
 */
public record WeeklyHours(List<String> entries, List<Window> windows) {
  private static final Pattern ENTRY =
      Pattern.compile("(\\S+)\\s+(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})");

  /**
   * One weekly window: starts on {@code day} at {@code from}; ends at {@code to}, the next day when
   * not after {@code from} (an overnight window, or {@code 24:00}, which is {@link LocalTime#MIDNIGHT}).
   */
  public record Window(DayOfWeek day, LocalTime from, LocalTime to) {
    public ZonedDateTime start(LocalDate date, ZoneId zone) {
      return ZonedDateTime.of(date, from, zone);
    }

    public ZonedDateTime end(LocalDate date, ZoneId zone) {
      return ZonedDateTime.of(to.isAfter(from) ? date : date.plusDays(1), to, zone);
    }

    /** Whether it ends on the next day (overnight, or at 24:00). */
    public boolean overnight() {
      return !to.isAfter(from);
    }
  }

  /**
   * @param hours entries {@code <days> HH:MM-HH:MM} (also several in one string, split by {@code ;}); days {@code Mon-Fri}, {@code Sat},
   *     {@code Mon,Wed,Fri} or a wrapping range ({@code Fri-Mon}); {@code 24:00} ends at midnight
   * @throws IllegalArgumentException naming the bad entry and what was expected, or that none was given
   */
  public static WeeklyHours parse(List<String> hours) {
    List<String> entries = hours.stream()
        .flatMap(h -> java.util.Arrays.stream(h.split(";"))).map(String::strip).filter(h -> !h.isEmpty()).toList();
    List<Window> windows = new ArrayList<>();
    for (String entry : entries) {
      windows.addAll(entry(entry));
    }
    if (windows.isEmpty()) {
      throw new IllegalArgumentException("no hours given; expected e.g. 'Mon-Fri 09:00-18:00'");
    }
    return new WeeklyHours(List.copyOf(entries), List.copyOf(windows));
  }

  private static List<Window> entry(String entry) {
    Matcher m = ENTRY.matcher(entry);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + entry + "': expected '<days> HH:MM-HH:MM', e.g. 'Mon-Fri 09:00-18:00'");
    }
    LocalTime from = time(entry, m.group(2), false);
    LocalTime to = time(entry, m.group(3), true);
    if (from.equals(to) && !TimeOfDay.endOfDay(m.group(3))) {
      throw new IllegalArgumentException("'" + entry + "': hours from " + m.group(2) + " to " + m.group(3)
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
}
