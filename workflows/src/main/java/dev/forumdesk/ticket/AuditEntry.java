package dev.forumdesk.ticket;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;

/**
 * One line of a ticket's audit trail: when, what, why and who ("system", "agent:1001", ...).
 *
 * @param agent the agent the entry is about, where it names one: whom ASSIGNED and REASSIGNED gave
 *     the ticket to, who wrote the FIRST_RESPONSE (the daily report credits them). Null on other
 *     entries and on those recorded before it was kept; left out of the JSON then
 */
public record AuditEntry(Instant at, String event, String reason, String actor,
    @JsonInclude(JsonInclude.Include.NON_NULL) Person agent) {
  /** An entry about no agent in particular. */
  public AuditEntry(Instant at, String event, String reason, String actor) {
    this(at, event, reason, actor, null);
  }

  /** The reason's start of the recurring-customer routing's ESCALATED entry ({@link Escalations}). */
  public static final String RECURRING = "recurring customer: ";

  /**
   * The entries of the run that recorded the trail's last OPENED, in recorded order: a follow-up
   * run starts with its predecessor's whole trail and adds its own OPENED when the customer's
   * message opens it. Not by time: a message's entry carries Telegram's date (see
   * {@link #oldestFirst}), which can be before the previous run closed.
   */
  public static List<AuditEntry> ofLastRun(List<AuditEntry> trail) {
    for (int i = trail.size() - 1; i >= 0; i--) {
      if ("OPENED".equals(trail.get(i).event())) {
        return trail.subList(i, trail.size());
      }
    }
    return trail;
  }

  /**
   * Whether the entry escalated the ticket: its first response overdue, the escalation chain's
   * move to Level 2, /escalate. Not the recurring-customer routing, though audited ESCALATED too: it
   * sends a ticket to the senior group's queue as it opens, before anyone has handled it, by who the
   * customer is; a routing decision, like the negative-sentiment one (audited PRIORITY).
   */
  public static boolean escalates(AuditEntry e) {
    return "ESCALATED".equals(e.event()) && (e.reason() == null || !e.reason().startsWith(RECURRING));
  }

  /**
   * The trail as the API shows it, oldest first. The ticket records entries as it processes them,
   * and a message's entry carries the time Telegram dated it: an agent's reply written before
   * phase 2 routed the ticket, but processed after it, is listed before ROUTED. By the second:
   * Telegram dates a message in whole seconds, so an API action 6 ms into a second, recorded before
   * a command sent later in that second, would otherwise be listed after it (audit 14, F3). Stable:
   * entries of the same second keep their recorded order, which is the order they were applied in.
   */
  public static List<AuditEntry> oldestFirst(List<AuditEntry> trail) {
    return trail.stream().sorted(Comparator.comparing(AuditEntry::second, Comparator.nullsFirst(Comparator.naturalOrder())))
        .toList();
  }

  private static Instant second(AuditEntry e) {
    return e.at() == null ? null : e.at().truncatedTo(ChronoUnit.SECONDS);
  }
}
