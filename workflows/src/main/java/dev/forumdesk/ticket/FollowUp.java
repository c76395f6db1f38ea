package dev.forumdesk.ticket;

import dev.forumdesk.text.HumanTime;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Record surgery for follow-up runs and run ids, kept out of the workflow's main flow. */
public final class FollowUp {
  /**
   * Version marker: a follow-up run is routed again, like a new ticket, and keys its messages by
   * run. Before, it kept the previous run's assignee: an agent who had gone away, or was at cap,
   * got it with no ASSIGNED entry, no reason and their SLA warnings; and its acknowledgement,
   * title lock and every notice whose cause the previous run had used were taken by the outbox for
   * that run's, already sent (same key), so never sent.
   */
  public static final String ROUTED_AGAIN = "follow-up-routed-again";

  private static final String CLOSED = "CLOSED";
  private static final String OPENED = "OPENED";

  private FollowUp() {}

  /**
   * The start state of a follow-up: same topic, customer and audit history, not opened yet (the
   * customer's new message opens it), linked to the previous run, version continuing so the read
   * model accepts it.
   *
   * <p>{@code routedAgain} (version {@link #ROUTED_AGAIN}): no assignee; phase 2 routes it from
   * the title and the new message, preferring the previous agent. A support team expects a new
   * request in the same topic to go back to whoever knows the case, but only as a new ticket would:
   * if they are capable, on shift, not away and under cap (the sticky rule), with the reasons in
   * {@code /why} and their load counting it. Category, language, tier and queue are found again
   * rather than kept: the new message may be about something else, the CRM tier and the recurring
   * count may have changed, and the title (the old request) is still part of what is scored, so an
   * unchanged subject routes the same way. Otherwise it keeps the previous assignee (histories
   * from before).
   */
  static TicketState of(TicketState s, String previousRunId, boolean routedAgain) {
    return of(s, previousRunId, routedAgain, s.policy());
  }

  /**
   * As {@link #of(TicketState, String, boolean)}, under {@code policy}: since lifecycle rules 5 the
   * configuration in force when the follow-up starts (it is a new request: its SLA clocks, business
   * hours and supervisors are today's), not the closed run's.
   */
  static TicketState of(TicketState s, String previousRunId, boolean routedAgain, TicketPolicy policy) {
    List<AuditEntry> audit = new ArrayList<>(s.audit());
    Person assignee = routedAgain ? null : s.assignee();
    RoutingState routing = routedAgain ? RoutingState.general(s.assignee()) : RoutingState.general();
    return new TicketState(
        s.id(), s.chatId(), s.threadId(), false, s.title(), s.customer(), null, Status.NEW,
        Priority.NORMAL, 1, "general", s.category(), assignee, s.language(), null, s.tier(),
        null, null, null, null, s.reopenCount(), previousRunId == null ? s.id() : previousRunId,
        new SlaState(null, null, null, false, List.of()), routing, audit,
        s.seenEvents(), s.version() + 1, policy, Lifecycle.initial(),
        dev.forumdesk.sla.SlaClocks.Snapshot.empty());
  }

  /**
   * Why a follow-up run opened, for the agent reading its audit: "follow-up #2: Bob wrote in the
   * topic after the ticket closed on 1 Dec 2026 14:03 UTC". The previous run's Temporal id (in
   * {@code followUpOf}) tells a person nothing. {@code audit} is the trail so far, the runs before
   * this one, each ended by a CLOSED entry.
   *
   * <p>A message Telegram dates before that close (in an earlier second: Telegram dates in whole
   * seconds) was written while the ticket was still open and reached the desk only after it closed,
   * e.g. resent by Telegram after a restart later than the restore's hold
   * ({@code temporal.auto-close-after-restore}): the entry says so rather than "wrote after".
   */
  static String reason(List<AuditEntry> audit, Person by, Instant wroteAt, ZoneId zone) {
    return reason(audit, by, wroteAt, zone, false, null);
  }

  /**
   * As {@link #reason(List, Person, Instant, ZoneId)}, under lifecycle rules 13: a run opened by
   * {@code reopened} the topic (forum_topic_reopened) says "Alice reopened the topic after the
   * ticket closed …", not that she wrote (she wrote nothing); and a run opened by someone who is not
   * the ticket's {@code customer} (another member writing in the topic) says that the customer stays
   * theirs: "Carol wrote in the topic after the ticket closed on …; the customer is still Bob".
   */
  static String reason(List<AuditEntry> audit, Person by, Instant wroteAt, ZoneId zone, boolean reopened,
      Person customer) {
    long closes = audit.stream().filter(a -> a.event().equals(CLOSED)).count();
    String who = by == null ? "someone" : by.name();
    String prefix = "follow-up #" + Math.max(1, closes) + ": ";
    Optional<AuditEntry> closed = lastClosed(audit, audit.size());
    String notTheirs = customer == null || by == null || customer.id() == by.id() ? ""
        : "; the customer is still " + customer.name();
    if (!reopened && closed.isPresent() && wroteAt != null
        && wroteAt.getEpochSecond() < closed.get().at().getEpochSecond()) {
      return prefix + who + "'s message of " + HumanTime.dated(wroteAt, zone)
          + " reached the desk after the ticket closed on " + HumanTime.dated(closed.get().at(), zone) + notTheirs;
    }
    return prefix + who + (reopened ? " reopened the topic" : " wrote in the topic") + " after the ticket closed"
        + closed.map(a -> " on " + HumanTime.dated(a.at(), zone)).orElse("") + notTheirs;
  }

  /**
   * Lifecycle rules 13: the audit entry of an agent's reply dated before this follow-up run opened
   * (a help desk's reply pulled while the ticket was CLOSED, delivered to the run that followed): it
   * answered nothing this run asks, so it is no first response. "Enoch Root (via Request Tracker)
   * replied on 5 Dec 2026 14:40 UTC, while the ticket was closed: no answer to this follow-up".
   */
  static String earlierReply(List<AuditEntry> audit, Person by, Instant wroteAt, ZoneId zone) {
    String who = by == null ? "someone" : by.name();
    boolean whileClosed = lastClosed(audit, audit.size())
        .filter(c -> !wroteAt.isBefore(c.at().truncatedTo(ChronoUnit.SECONDS))).isPresent();
    return who + " replied on " + HumanTime.dated(wroteAt, zone)
        + (whileClosed ? ", while the ticket was closed" : ", before the ticket closed")
        + ": no answer to this follow-up (not its first response)";
  }

  /**
   * When the run a follow-up follows closed (the API's {@code followUpOfClosedAt}): the last CLOSED
   * entry before this run's OPENED one. Empty for a ticket that follows no run.
   */
  public static Optional<Instant> closedAt(TicketState s) {
    if (s.followUpOf() == null) {
      return Optional.empty();
    }
    List<AuditEntry> audit = s.audit();
    int thisRun = audit.size();
    if (s.opened()) {
      for (int i = audit.size() - 1; i >= 0; i--) {
        if (audit.get(i).event().equals(OPENED)) {
          thisRun = i;
          break;
        }
      }
    }
    return lastClosed(audit, thisRun).map(AuditEntry::at);
  }

  /** The last CLOSED entry before {@code end}. */
  private static Optional<AuditEntry> lastClosed(List<AuditEntry> audit, int end) {
    for (int i = end - 1; i >= 0; i--) {
      if (audit.get(i).event().equals(CLOSED)) {
        return Optional.of(audit.get(i));
      }
    }
    return Optional.empty();
  }

  static TicketState withRunId(TicketState s, String runId) {
    return new TicketState(
        s.id(), s.chatId(), s.threadId(), s.opened(), s.title(), s.customer(), s.firstMessage(),
        s.status(), s.priority(), s.level(), s.queue(), s.category(), s.assignee(), s.language(),
        s.sentiment(), s.tier(), s.createdAt(), s.firstResponseAt(), s.resolvedAt(),
        s.lastActivityAt(), s.reopenCount(), s.followUpOf(), s.sla(), s.routing(), s.audit(),
        s.seenEvents(), s.version(), s.policy(),
        s.lifecycle().withRunId(runId),
        s.clocks());
  }
}
