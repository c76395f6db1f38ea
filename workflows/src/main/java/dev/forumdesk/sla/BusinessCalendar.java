package dev.forumdesk.sla;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Pure business-time arithmetic: SLA clocks only run inside the configured hours. Without
 * business hours the calendar is 24/7 and behaves like plain Instant arithmetic.
 *
 * <p>Each weekday has its open spans, in local wall-clock time: one for {@code days/from/to}, any
 * number for {@code hours} (a lunch break, other hours on Saturday; an overnight entry gives its
 * day the evening and the next day the morning). A holiday closes its whole date.
 */
public final class BusinessCalendar {
  /** Ten years of days: a bound on every walk, so a bad config cannot loop forever. */
  private static final int MAX_DAYS = 3660;

  private static final int DAY = 24 * 60;

  /** Open from {@code from} to {@code to}, minutes of the day; {@code to} 1440 is the next midnight. */
  private record Span(int from, int to) {
    Instant open(LocalDate date, ZoneId zone) {
      return ZonedDateTime.of(date, LocalTime.of(from / 60, from % 60), zone).toInstant();
    }

    Instant close(LocalDate date, ZoneId zone) {
      return to == DAY ? date.plusDays(1).atStartOfDay(zone).toInstant()
          : ZonedDateTime.of(date, LocalTime.of(to / 60, to % 60), zone).toInstant();
    }
  }

  private final ZoneId zone;
  private final Map<DayOfWeek, List<Span>> week;
  private final Set<LocalDate> holidays;
  private final boolean always;
  private final String text;

  private BusinessCalendar(ZoneId zone, Map<DayOfWeek, List<Span>> week, Set<LocalDate> holidays, boolean always,
      String text) {
    this.zone = zone;
    this.week = week;
    this.holidays = holidays;
    this.always = always;
    this.text = text;
  }

  public static BusinessCalendar always() {
    return new BusinessCalendar(ZoneId.of("UTC"), Map.of(), Set.of(), true, "always");
  }

  /** The business-hours zone, UTC without business hours: the zone the bot's messages give times in. */
  public ZoneId zone() {
    return zone;
  }

  /** @throws IllegalArgumentException naming the key of a bad value ({@code sla.business-hours.to: …}) */
  public static BusinessCalendar of(BusinessHours h) {
    if (h == null) {
      return always();
    }
    ZoneId zone = zone(h.zone());
    Set<LocalDate> closed = holidays(h.holidays());
    String closedText = closed.isEmpty() ? "" : ", closed on " + closed.size() + (closed.size() == 1 ? " holiday" : " holidays");
    if (h.weekly()) {
      WeeklyHours weekly;
      try {
        weekly = WeeklyHours.parse(h.hours());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("sla.business-hours.hours: " + e.getMessage());
      }
      return new BusinessCalendar(zone, spans(weekly.windows()), closed, false,
          String.join(", ", weekly.entries()) + " " + zone.getId() + closedText);
    }
    LocalTime from = TimeOfDay.parse(h.from(), false).orElseThrow(() ->
        new IllegalArgumentException("sla.business-hours.from: " + TimeOfDay.notATime(h.from(), false)));
    LocalTime to = TimeOfDay.parse(h.to(), true).orElseThrow(() ->
        new IllegalArgumentException("sla.business-hours.to: " + TimeOfDay.notATime(h.to(), true)));
    boolean untilMidnight = TimeOfDay.endOfDay(h.to());
    if (!untilMidnight && !to.isAfter(from)) {
      throw new IllegalArgumentException("sla.business-hours: 'to' (" + h.to() + ") must be after 'from' (" + h.from() + ")");
    }
    Span span = new Span(minutes(from), untilMidnight ? DAY : minutes(to));
    Map<DayOfWeek, List<Span>> week = new EnumMap<>(DayOfWeek.class);
    parseDays(h.days()).forEach(d -> week.put(d, List.of(span)));
    return new BusinessCalendar(zone, week, closed, false,
        h.days().strip() + " " + h.from().strip() + "-" + h.to().strip() + " " + zone.getId() + closedText);
  }

  private static int minutes(LocalTime t) {
    return t.getHour() * 60 + t.getMinute();
  }

  /**
   * Each weekday's open spans, sorted and merged: a window on its day, an overnight one split at
   * midnight (its morning on the next weekday), overlapping or adjoining ones made one.
   */
  private static Map<DayOfWeek, List<Span>> spans(List<WeeklyHours.Window> windows) {
    Map<DayOfWeek, List<Span>> raw = new EnumMap<>(DayOfWeek.class);
    for (WeeklyHours.Window w : windows) {
      int from = minutes(w.from());
      if (!w.overnight()) {
        raw.computeIfAbsent(w.day(), d -> new ArrayList<>()).add(new Span(from, minutes(w.to())));
        continue;
      }
      raw.computeIfAbsent(w.day(), d -> new ArrayList<>()).add(new Span(from, DAY));
      if (minutes(w.to()) > 0) {
        raw.computeIfAbsent(w.day().plus(1), d -> new ArrayList<>()).add(new Span(0, minutes(w.to())));
      }
    }
    Map<DayOfWeek, List<Span>> week = new EnumMap<>(DayOfWeek.class);
    raw.forEach((day, spans) -> {
      spans.sort(Comparator.comparingInt(Span::from));
      List<Span> merged = new ArrayList<>();
      for (Span s : spans) {
        Span last = merged.isEmpty() ? null : merged.getLast();
        if (last != null && s.from() <= last.to()) {
          merged.set(merged.size() - 1, new Span(last.from(), Math.max(last.to(), s.to())));
        } else {
          merged.add(s);
        }
      }
      week.put(day, List.copyOf(merged));
    });
    return week;
  }

  private static Set<LocalDate> holidays(List<String> dates) {
    Set<LocalDate> out = new TreeSet<>();
    for (String d : dates == null ? List.<String>of() : dates) {
      try {
        out.add(LocalDate.parse(d.strip()));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("sla.business-hours.holidays: '" + d + "' is not a date such as 2026-12-25");
      }
    }
    return Set.copyOf(out);
  }

  private static ZoneId zone(String zone) {
    try {
      return ZoneId.of(zone.strip());
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException("sla.business-hours.zone: '" + zone + "' is not a time zone id (e.g. Europe/Berlin, UTC)");
    }
  }

  static Set<DayOfWeek> parseDays(String spec) {
    Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
    for (String part : spec.toUpperCase(Locale.ROOT).split(",")) {
      String[] range = part.strip().split("-");
      DayOfWeek first = day(range[0]);
      DayOfWeek last = range.length > 1 ? day(range[1]) : first;
      for (DayOfWeek d = first; ; d = d.plus(1)) {
        out.add(d);
        if (d == last) {
          break;
        }
      }
    }
    return out;
  }

  private static DayOfWeek day(String abbreviation) {
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().startsWith(abbreviation.strip())) {
        return d;
      }
    }
    throw new IllegalArgumentException("sla.business-hours.days: unknown day '" + abbreviation + "'");
  }

  /** The open spans of {@code date}: none on a holiday or a day without hours. */
  private List<Span> spansOn(LocalDate date) {
    return holidays.contains(date) ? List.of() : week.getOrDefault(date.getDayOfWeek(), List.of());
  }

  /**
   * The instant when {@code amount} of business time has passed after {@code start}.
   *
   * @throws IllegalStateException when the hours do not give that much within ten years
   */
  public Instant plus(Instant start, Duration amount) {
    return reach(start, amount).orElseThrow(() -> new IllegalStateException("no business time within ten years"));
  }

  /**
   * The instant when {@code amount} of business time has passed after {@code start}; empty when the
   * hours do not give that much within ten years (workflow code must not throw for it: audit 20a F1).
   */
  public Optional<Instant> reach(Instant start, Duration amount) {
    if (always) {
      return Optional.of(start.plus(amount));
    }
    Duration left = amount;
    LocalDate date = start.atZone(zone).toLocalDate();
    for (int i = 0; i < MAX_DAYS; i++, date = date.plusDays(1)) {
      for (Span span : spansOn(date)) {
        Instant open = span.open(date, zone);
        Instant close = span.close(date, zone);
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
    }
    return Optional.empty();
  }

  /**
   * The business time of 52 weeks (DST aside), less the most that holidays take from any 52 weeks:
   * what every SLA time counted in business time must fit in, so that it falls due within a year of
   * any start. 364 days without business hours.
   */
  public Duration inAYear() {
    if (always) {
      return Duration.ofDays(364);
    }
    Map<DayOfWeek, Integer> perDay = new EnumMap<>(DayOfWeek.class);
    week.forEach((day, spans) -> perDay.put(day, spans.stream().mapToInt(s -> s.to() - s.from()).sum()));
    long weekly = perDay.values().stream().mapToLong(Integer::longValue).sum();
    List<LocalDate> closed = holidays.stream().sorted().toList();
    long most = 0;
    for (int i = 0; i < closed.size(); i++) { // each holiday as the first of 364 days
      long taken = 0;
      for (int j = i; j < closed.size() && closed.get(j).isBefore(closed.get(i).plusDays(364)); j++) {
        taken += perDay.getOrDefault(closed.get(j).getDayOfWeek(), 0);
      }
      most = Math.max(most, taken);
    }
    return Duration.ofMinutes(Math.max(0, 52 * weekly - most));
  }

  /** The hours as configured, e.g. {@code MON-FRI 09:00-18:00 Europe/Berlin}; {@code always} without them. */
  @Override
  public String toString() {
    return text;
  }

  /** Business time between two instants (zero if {@code end} is not after {@code start}). */
  public Duration between(Instant start, Instant end) {
    if (!end.isAfter(start)) {
      return Duration.ZERO;
    }
    if (always) {
      return Duration.between(start, end);
    }
    Duration total = Duration.ZERO;
    LocalDate date = start.atZone(zone).toLocalDate();
    LocalDate last = end.atZone(zone).toLocalDate();
    for (int i = 0; i < MAX_DAYS && !date.isAfter(last); i++, date = date.plusDays(1)) {
      for (Span span : spansOn(date)) {
        Instant open = span.open(date, zone);
        Instant close = span.close(date, zone);
        Instant a = start.isAfter(open) ? start : open;
        Instant b = end.isBefore(close) ? end : close;
        if (b.isAfter(a)) {
          total = total.plus(Duration.between(a, b));
        }
      }
    }
    return total;
  }
}
