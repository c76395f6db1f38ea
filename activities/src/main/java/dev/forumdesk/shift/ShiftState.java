package dev.forumdesk.shift;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether an agent can take new tickets now, as far as their shift goes: {@code /away} wins over
 * the hours; outside their hours they are off shift until the next shift starts. {@code until}:
 * when this state changes by the clock (in the agent's zone), empty when it does not.
 */
public record ShiftState(Kind kind, Optional<ZonedDateTime> until) {
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

  public static ShiftState of(boolean away, ShiftHours hours, Instant now) {
    if (away) {
      return AWAY;
    }
    if (hours.covers(now)) {
      return new ShiftState(Kind.ON_SHIFT, hours.nextEnd(now).map(t -> t.atZone(hours.zone())));
    }
    return new ShiftState(Kind.OFF_SHIFT, hours.nextStart(now).map(t -> t.atZone(hours.zone())));
  }

  public boolean onShift() {
    return kind == Kind.ON_SHIFT;
  }

  /** For people: {@code away}, {@code off shift until Mon 09:00 Europe/Berlin}, {@code on shift}. */
  public String describe() {
    String what = kind.label().replace('-', ' ');
    return kind == Kind.ON_SHIFT || until.isEmpty()
        ? what
        : what + " until " + DAY_TIME.format(until.get()) + " " + until.get().getZone();
  }
}
