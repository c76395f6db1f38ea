package dev.forumdesk.sla;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A ticket's running deadlines, kept as state (not as sleeping timers) so they survive
 * continue-as-new and restore, and pause exactly: on hold each pausable clock stores the business
 * time it had left, and resume sets a new deadline that far ahead.
 */
public final class SlaClocks {
  /** Serializable form, part of the ticket snapshot. */
  public record Snapshot(Map<Clock, Instant> due, Map<Clock, Duration> remaining, boolean paused) {
    public static Snapshot empty() {
      return new Snapshot(Map.of(), Map.of(), false);
    }
  }

  /**
   * Told when a clock counted in business time cannot fall due within the calendar's reach (ten
   * years): it runs by the wall clock from {@code at} instead, and is due at {@code due}.
   */
  public interface WallClockFallback {
    void fellBack(Clock clock, Instant at, Duration amount, Instant due);

    WallClockFallback NONE = (clock, at, amount, due) -> {};
  }

  private final BusinessCalendar calendar;
  private final WallClockFallback fallback;
  private final EnumMap<Clock, Instant> due = new EnumMap<>(Clock.class);
  private final EnumMap<Clock, Duration> remaining = new EnumMap<>(Clock.class);
  private boolean paused;

  public SlaClocks(BusinessCalendar calendar, Snapshot s) {
    this(calendar, s, WallClockFallback.NONE);
  }

  public SlaClocks(BusinessCalendar calendar, Snapshot s, WallClockFallback fallback) {
    this.calendar = calendar;
    this.fallback = fallback;
    due.putAll(s.due());
    remaining.putAll(s.remaining());
    paused = s.paused();
  }

  public Snapshot snapshot() {
    return new Snapshot(Map.copyOf(due), Map.copyOf(remaining), paused);
  }

  /** Starts (or restarts) a clock that expires {@code amount} from {@code now}. */
  public void start(Clock clock, Instant now, Duration amount) {
    if (paused && clock.pausable()) {
      remaining.put(clock, amount);
      return;
    }
    due.put(clock, dueAfter(clock, now, amount));
  }

  /**
   * {@code amount} after {@code now} in the clock's time. Business time the calendar cannot give
   * (hours too narrow for it, holidays) is wall-clock time from {@code now}, told to the fallback:
   * an exception here failed the workflow task on every attempt (audit 20a F1).
   */
  private Instant dueAfter(Clock clock, Instant now, Duration amount) {
    if (!clock.businessTime()) {
      return now.plus(amount);
    }
    return calendar.reach(now, amount).orElseGet(() -> {
      Instant wall = now.plus(amount);
      fallback.fellBack(clock, now, amount, wall);
      return wall;
    });
  }

  /**
   * Moves a clock's deadline by {@code delta} (negative: sooner, never before {@code now}), running
   * or paused: the time it has already used stays used. A priority change gives the first-response
   * clock a new limit this way, whether the ticket waited on hold before or waits now.
   */
  public void extend(Clock clock, Instant now, Duration delta) {
    Duration left = remaining.get(clock);
    if (left != null) {
      remaining.put(clock, positive(left.plus(delta)));
      return;
    }
    Instant d = due.get(clock);
    if (d == null) {
      return;
    }
    Duration before = !d.isAfter(now) ? Duration.ZERO
        : clock.businessTime() ? calendar.between(now, d) : Duration.between(now, d);
    Duration after = positive(before.plus(delta));
    due.put(clock, dueAfter(clock, now, after));
  }

  public void stop(Clock clock) {
    due.remove(clock);
    remaining.remove(clock);
  }

  public boolean running(Clock clock) {
    return due.containsKey(clock) || remaining.containsKey(clock);
  }

  public Optional<Instant> due(Clock clock) {
    return Optional.ofNullable(due.get(clock));
  }

  public boolean paused() {
    return paused;
  }

  public void pause(Instant now) {
    if (paused) {
      return;
    }
    paused = true;
    for (Clock c : List.copyOf(due.keySet())) {
      if (c.pausable()) {
        Instant d = due.remove(c);
        remaining.put(c, c.businessTime() ? calendar.between(now, d) : positive(Duration.between(now, d)));
      }
    }
  }

  public void resume(Instant now) {
    if (!paused) {
      return;
    }
    paused = false;
    for (Map.Entry<Clock, Duration> e : remaining.entrySet()) {
      Clock c = e.getKey();
      due.put(c, dueAfter(c, now, e.getValue()));
    }
    remaining.clear();
  }

  /** Time until the earliest running deadline, if any (zero when one is already due). */
  public Optional<Duration> untilNext(Instant now) {
    return due.values().stream().min(Instant::compareTo)
        .map(d -> d.isAfter(now) ? Duration.between(now, d) : Duration.ZERO);
  }

  /** The earliest running deadline, if any. */
  public Optional<Instant> next() {
    return due.values().stream().min(Instant::compareTo);
  }

  /** A clock whose deadline passed. */
  public record Due(Clock clock, Instant at) {}

  /** Removes and returns the clocks that are due, earliest first. */
  public List<Due> takeDue(Instant now) {
    return takeDue(now, null);
  }

  /** As {@link #takeDue(Instant)}, leaving {@code except} (null: none) running even when it is due. */
  public List<Due> takeDue(Instant now, Clock except) {
    List<Due> fired = due.entrySet().stream()
        .filter(e -> e.getKey() != except && !e.getValue().isAfter(now))
        .sorted(Map.Entry.comparingByValue())
        .map(e -> new Due(e.getKey(), e.getValue()))
        .toList();
    fired.forEach(d -> due.remove(d.clock()));
    return fired;
  }

  private static Duration positive(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}
