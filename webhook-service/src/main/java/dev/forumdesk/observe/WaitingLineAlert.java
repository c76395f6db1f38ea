package dev.forumdesk.observe;

import dev.forumdesk.assignment.Roster;
import dev.forumdesk.text.HumanTime;
import dev.forumdesk.text.Words;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The one thing to say when tickets pile up for want of an agent (audit 8: 28 tickets waited with
 * every slot taken, and the supervisors got a ping per ticket but never that): once the oldest
 * ticket in the waiting line has waited longer than {@code alerts.waiting-line}, one alert ("28
 * tickets are waiting for an agent, the oldest for 6 min; all 8 slots of the agents on shift are
 * taken"), and one "recovered" when the line is empty again, through the monitor's incidents (once
 * across replicas). A ticket waits in the line only when no capable agent is on shift with a free
 * slot, so the line's length is the number to act on. With slots free, the line waits for a skill,
 * language or team: the alert says which, and who has it ("…; 6 of 8 slots of the agents on shift
 * are taken, and it needs skill billing (Alice at cap)", audit 9 F9).
 */
public final class WaitingLineAlert implements Supplier<List<BacklogMonitor.Reading>> {
  public static final String CONDITION = "waiting-line";
  /**
   * How many of the longest-waiting tickets the alert says the needs of: the whole line, as a rule
   * ("the 5 oldest need …" of 6 waiting read as if the sixth waited for nothing named, audit 10 F8).
   */
  static final int LOOKED_AT = 100;
  /** How many needs it names at most. */
  static final int NEEDS_OF = 5;

  private final Roster roster;
  private final Duration threshold;
  private final Clock clock;

  public WaitingLineAlert(Roster roster, Duration threshold, Clock clock) {
    this.roster = roster;
    this.threshold = threshold;
    this.clock = clock;
  }

  @Override
  public List<BacklogMonitor.Reading> get() {
    Roster.Line line = roster.waitingLine();
    // at least 1 s while a ticket waits: the incident ends at 0, an empty line
    long oldest = line.oldestSince().map(t -> Math.max(1, Duration.between(t, clock.instant()).toSeconds())).orElse(0L);
    String alert = "";
    if (oldest > threshold.toSeconds()) {
      Roster.Slots slots = roster.slots();
      alert = alert(line.length(), oldest, slots)
          + (slots.taken() < slots.total() ? needs(line.length(), roster.lineNeeds(LOOKED_AT)) : "");
    }
    return List.of(new BacklogMonitor.Reading(CONDITION, "the wait of the oldest ticket for an agent", oldest,
        threshold.toSeconds(), " s", alert, 0, "no ticket is waiting for an agent any more"));
  }

  /** "28 tickets are waiting for an agent, the oldest for 6 min; all 8 slots … are taken (1 agent away)". */
  static String alert(long waiting, long oldestSeconds, Roster.Slots slots) {
    String who = waiting == 1 ? "1 ticket is" : waiting + " tickets are";
    String taken = slots.total() == 0 ? "no agent is on shift"
        : (slots.taken() >= slots.total() ? "all " + Words.count(slots.total(), "slot")
            : slots.taken() + " of " + Words.count(slots.total(), "slot"))
            + " of the agents on shift " + (slots.taken() == 1 && slots.total() == 1 ? "is" : "are") + " taken";
    List<String> absent = new ArrayList<>();
    if (slots.away() > 0) {
      absent.add(Words.count(slots.away(), "agent") + " away");
    }
    if (slots.offShift() > 0) {
      absent.add(Words.count(slots.offShift(), "agent") + " off shift");
    }
    return who + " waiting for an agent, the oldest for " + HumanTime.duration(Duration.ofSeconds(oldestSeconds))
        + "; " + taken + (absent.isEmpty() ? "" : " (" + Words.and(absent) + ")");
  }

  /** ", and it needs skill billing (Alice at cap)", or nothing when no requirement blocks the line. */
  static String needs(long waiting, List<String> needs) {
    if (needs.isEmpty()) {
      return "";
    }
    String who = waiting == 1 ? "it needs " : waiting <= LOOKED_AT ? "they need " : "the " + LOOKED_AT + " oldest need ";
    return ", and " + who + (needs.size() <= NEEDS_OF ? Words.and(needs)
        : Words.and(needs.subList(0, NEEDS_OF)) + ", among others");
  }
}
