package dev.forumdesk.sla;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Pure business-time arithmetic: SLA clocks only run inside the configured hours. Without
 * business hours the calendar is 24/7 and behaves like plain Instant arithmetic.
 */
public final class BusinessCalendar {
  /** Ten years of days: a bound on every walk, so a bad config cannot loop forever. */
  private static final int MAX_DAYS = 3660;

  private final ZoneId zone;
  private final Set<DayOfWeek> days;
  private final LocalTime from;
  private final LocalTime to;
  private final boolean untilMidnight;
  private final boolean always;
  private final String text;

  private BusinessCalendar(ZoneId zone, Set<DayOfWeek> days, LocalTime from, LocalTime to, boolean untilMidnight,
      boolean always, String text) {
    this.zone = zone;
    this.days = days;
    this.from = from;
    this.to = to;
    this.untilMidnight = untilMidnight;
    this.always = always;
    this.text = text;
  }

  public static BusinessCalendar always() {
    return new BusinessCalendar(ZoneId.of("UTC"), EnumSet.allOf(DayOfWeek.class), LocalTime.MIN, LocalTime.MAX, false, true,
        "always");
  }

  /** The business-hours zone, UTC without business hours: the zone the bot's messages give times in. */
  public ZoneId zone() {
    return zone;
  }

  public static BusinessCalendar of(BusinessHours h) {
    if (h == null) {
      return always();
    }
    LocalTime from = TimeOfDay.parse(h.from(), false).orElseThrow(() ->
        new IllegalArgumentException("sla.business-hours.from: " + TimeOfDay.notATime(h.from(), false)));
    LocalTime to = TimeOfDay.parse(h.to(), true).orElseThrow(() ->
        new IllegalArgumentException("sla.business-hours.to: " + TimeOfDay.notATime(h.to(), true)));
    boolean untilMidnight = TimeOfDay.endOfDay(h.to());
    if (!untilMidnight && !to.isAfter(from)) {
      throw new IllegalArgumentException("sla.business-hours: 'to' (" + h.to() + ") must be after 'from' (" + h.from() + ")");
    }
    ZoneId zone = zone(h.zone());
    return new BusinessCalendar(zone, parseDays(h.days()), from, to, untilMidnight, false,
        h.days().strip() + " " + h.from().strip() + "-" + h.to().strip() + " " + zone.getId());
  }

  private static ZoneId zone(String zone) {
    try {
      return ZoneId.of(zone.strip());
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException("sla.business-hours.zone: '" + zone + "' is not a time zone id (e.g. Europe/Berlin, UTC)");
    }
  }

  /** When the business day of {@code date} closes: at {@code to}, or at the next midnight for hours until 24:00. */
  private Instant close(LocalDate date) {
    return untilMidnight ? date.plusDays(1).atStartOfDay(zone).toInstant() : ZonedDateTime.of(date, to, zone).toInstant();
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

  /**
   * The business time of 52 weeks (DST aside): what every SLA time counted in business time must
   * fit in, so that it falls due within a year of any start. 364 days without business hours.
   */
  public Duration inAYear() {
    if (always) {
      return Duration.ofDays(364);
    }
    long minutes = (untilMidnight ? 24 * 60 : to.getHour() * 60 + to.getMinute()) - (from.getHour() * 60 + from.getMinute());
    return Duration.ofMinutes(52 * days.size() * minutes);
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
