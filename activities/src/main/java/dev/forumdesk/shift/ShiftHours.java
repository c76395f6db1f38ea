package dev.forumdesk.shift;

import dev.forumdesk.sla.WeeklyHours;
import dev.forumdesk.sla.WeeklyHours.Window;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An agent's weekly working hours in their time zone, e.g. {@code Mon-Fri 09:00-18:00} in
 * Europe/Berlin. Times are wall-clock times: a shift is 09:00-18:00 local on both sides of a DST
 * change, and an overnight shift ({@code 22:00-06:00}) belongs to the day it starts on and ends at
 * 06:00 local the next morning. {@link #ALWAYS} (no hours configured) covers every instant.
 */
public final class ShiftHours {
  public static final ShiftHours ALWAYS = new ShiftHours(null, List.of(), "always");

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
    WeeklyHours weekly = WeeklyHours.parse(hours); // the parser business hours' `hours` use too
    return new ShiftHours(id, weekly.windows(), String.join(", ", weekly.entries()) + " (" + id + ")");
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

  /** As configured, e.g. {@code Mon-Fri 09:00-18:00 (Europe/Berlin)}, or {@code always}. */
  @Override
  public String toString() {
    return text;
  }
}
