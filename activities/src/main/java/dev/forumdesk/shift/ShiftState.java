package dev.forumdesk.shift;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether an agent can take new tickets now, as far as their shift goes: {@code /away} wins over
 * the hours; outside their hours they are off shift until the next shift starts. {@code until}:
 * when this state changes by the clock (in the agent's zone), empty when it does not. {@code dated}:
 * {@code until} is six days or more ahead, so its weekday alone would read as today or last week's
 * ("off shift until Sat 08:00" read on a Saturday afternoon: audit 16 F6): it is told with its date.
 */
public record ShiftState(Kind kind, Optional<ZonedDateTime> until, boolean dated) {
  /** A state whose change, if any, is within the week ahead: told by weekday and time. */
  public ShiftState(Kind kind, Optional<ZonedDateTime> until) {
    this(kind, until, false);
  }

  public enum Kind {
    ON_SHIFT("on-shift"),
    OFF_SHIFT("off-shift"),
    AWAY("away");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public static final ShiftState ON = new ShiftState(Kind.ON_SHIFT, Optional.empty());
  public static final ShiftState AWAY = new ShiftState(Kind.AWAY, Optional.empty());

  private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ENGLISH);
  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);
  /** From how far ahead a weekday is ambiguous: the same weekday as today's, or nearly. */
  private static final Duration A_WEEK_NEARLY = Duration.ofDays(6);

  public static ShiftState of(boolean away, ShiftHours hours, Instant now) {
    if (away) {
      return AWAY;
    }
    if (hours.covers(now)) {
      return new ShiftState(Kind.ON_SHIFT, hours.nextEnd(now).map(t -> t.atZone(hours.zone())));
    }
    Optional<Instant> next = hours.nextStart(now);
    return new ShiftState(Kind.OFF_SHIFT, next.map(t -> t.atZone(hours.zone())),
        next.map(t -> Duration.between(now, t).compareTo(A_WEEK_NEARLY) >= 0).orElse(false));
  }

  public boolean onShift() {
    return kind == Kind.ON_SHIFT;
  }

  /** For people: {@code away}, {@code off shift until Mon 09:00 Europe/Berlin}, {@code on shift}. */
  public String describe() {
    String what = kind.label().replace('-', ' ');
    return kind == Kind.ON_SHIFT || until.isEmpty()
        ? what
        : what + " until " + (dated ? DATE_TIME : DAY_TIME).format(until.get()) + " " + until.get().getZone();
  }
}
