package dev.forumdesk.ticket;

import dev.forumdesk.routing.RoutedQueue;
import dev.forumdesk.sla.Clock;
import dev.forumdesk.text.Cut;
import dev.forumdesk.text.HumanTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The bot's words (Telegram HTML), in one place so tone and format stay consistent. Times and
 * durations read as people write them ({@link HumanTime}): "4 Dec 19:58 UTC", "1 min"; times are in
 * the business-hours zone when one is configured, else UTC ({@link Ticket#zone()}).
 */
final class Notices {
  static final String HELP =
      "Commands: /status, /why, /hold [reason], /resume, /resolve, /reopen, /escalate [reason],"
          + " /priority low|normal|high|urgent, /reassign [@username], /assign @username,"
          + " /away, /back";

  private Notices() {}

  /** The acknowledgement of runs before {@link Ticket#READABLE_REFERENCES}: it named the internal id. */
  static String ack(String ticketId, String title) {
    return "Thanks, we got your request <b>" + Html.escape(title) + "</b>. Ticket <code>" + ticketId
        + "</code> is in the queue; an agent will answer here.";
  }

  /**
   * The acknowledgement names the ticket by its topic's number, {@code #42}, as unique in the
   * support chat as the id: the id's "ticket--1001234567890-42" read like a typo to customers.
   */
  static String ackWithNumber(long threadId, String title) {
    return "Thanks, we got your request <b>" + Html.escape(title) + "</b>. Ticket #" + threadId
        + " is in the queue; an agent will answer here.";
  }

  /** Relay mode: the customer's private chat hears that their request is resolved. */
  static String resolvedForCustomer(String title) {
    return "✅ Your request <b>" + Html.escape(title) + "</b> is resolved. If you need anything else, just write"
        + " here and it reopens.";
  }

  /** A RESOLVED ticket reopened by what {@code cause} says, for the agents. */
  static String reopened(String cause, int reopenCount, Status status) {
    return "↩️ Reopened: " + cause + " (reopen #" + reopenCount + "); status " + status + ".";
  }

  /**
   * Relay mode, for the agents: a message to the customer that Telegram refused for good. Only a
   * chat closed to the bot (403 "Forbidden: …": blocked, account deleted) stops what follows; a
   * message refused for itself (400 "message is too long", bad markup) says so, and later ones still
   * reach them (audit 16b, F1: the topic said "Nothing reaches them" and the next photo arrived).
   */
  static String notDelivered(String customer, String reason) {
    String lower = reason.toLowerCase(java.util.Locale.ROOT);
    String why = lower.contains("blocked") ? "they have blocked the bot"
        : lower.contains("deactivated") ? "their Telegram account is deleted"
        : "Telegram refused it (" + Html.escape(reason) + ")";
    boolean closed = lower.contains("blocked") || lower.contains("deactivated") || lower.contains("forbidden");
    return "⚠️ <b>" + Html.escape(customer) + "</b> did not get your message: " + why + "."
        + (closed ? " Nothing reaches them until they write to the bot again."
            : " Your other messages still reach them: send it again in another form.");
  }

  /**
   * A hold ended: /resume's answer ({@code cause} null), or a notice of its own when the customer's
   * message ended it ("the customer wrote").
   */
  static String resumed(String cause, Status status) {
    return StaffNotice.RESUMED.start() + (cause == null ? "" : ": " + cause) + "; status " + status + ", SLA clocks running again.";
  }

  static String mentions(List<Person> people) {
    return people.isEmpty() ? "supervisors" : people.stream().map(Person::mention).collect(Collectors.joining(" "));
  }

  static String firstResponseBreached(List<Person> supervisors, Duration limit) {
    return StaffNotice.FIRST_RESPONSE_BREACH.start() + human(limit) + ". " + mentions(supervisors)
        + ", please take a look.";
  }

  static String chainEscalated(List<Person> supervisors, Duration limit) {
    return StaffNotice.ESCALATION_CHAIN.start() + human(limit) + " after the escalation: moved to Level 2. "
        + mentions(supervisors) + ", please take a look.";
  }

  static String escalatedToLevel2(String reason, List<Person> supervisors) {
    return StaffNotice.ESCALATED.start() + ": " + Html.escape(Cut.to(reason, Level2Summary.REASON_MAX))
        + (supervisors.isEmpty() ? "" : ". " + mentions(supervisors) + ", please take a look.");
  }

  static String firstResponseWarning(String ticketLink, Instant due, ZoneId zone) {
    return "⏰ " + ticketLink + ": first response due " + HumanTime.at(due, zone) + " (80% of the time used).";
  }

  static String stale(String ticketLink, Duration after) {
    return "💤 " + ticketLink + " has had no message for " + human(after)
        + ". Please follow up with the customer or /resolve it.";
  }

  /** The stale reminder of a ticket whose customer waits for the team's reply. */
  static String customerWaiting(String ticketLink, Duration after, Instant since, ZoneId zone) {
    return "💤 " + ticketLink + " has had no message for " + human(after)
        + ": the customer has been waiting for a reply since " + HumanTime.at(since, zone) + ".";
  }

  static String resolutionBreached(String ticketLink, Duration limit) {
    return "⏰ " + ticketLink + " is not resolved within " + human(limit) + ", the resolution time.";
  }

  static String negativeSentiment(String ticketLink, double score, Priority priority) {
    return "😟 The customer in " + ticketLink + " sounds upset (sentiment " + String.format("%.2f", score)
        + "); priority is now " + priority + ".";
  }

  static String recurring(String ticketLink, Person customer, int count, Duration within) {
    return "🔁 " + Html.escape(customer.name()) + " opened " + count + " tickets in the last " + window(within)
        + "; " + ticketLink + " goes to the senior group.";
  }

  /** "7 days", "1 day" for a window of whole days (not "7 d"), else as {@link #human}: "36 h". */
  static String window(Duration d) {
    long days = d.toDays();
    if (days > 0 && d.equals(Duration.ofDays(days))) {
      return days == 1 ? "day" : days + " days";
    }
    return human(d);
  }

  /**
   * /status's card. Its queue is the one the ticket was routed to, as the dashboard and the report
   * show it beside its level ("Level 2 · Queue billing", not "Queue level2": audit 9, F10). The card
   * is the command's answer, computed from state: the text changes, no command does.
   */
  static String statusCard(TicketState s, ZoneId zone) {
    return "<b>" + Html.escape(s.title()) + "</b>\n"
        + "Status: " + s.status() + (s.sla().paused() ? " (SLA paused)" : "") + "\n"
        + "Assignee: " + (s.assignee() == null ? "unassigned" : Html.escape(s.assignee().name())) + "\n"
        + "Priority: " + s.priority() + " · Level " + s.level() + " · Queue " + Html.escape(RoutedQueue.of(s)) + "\n"
        + sla(s, "First response", Clock.FIRST_RESPONSE, s.firstResponseAt() == null ? s.sla().firstResponseDue() : null, zone) + "\n"
        + sla(s, "Next response", Clock.NEXT_RESPONSE, s.sla().nextResponseDue(), zone) + "\n"
        + sla(s, "Resolution", Clock.RESOLUTION, s.sla().resolutionDue(), zone);
  }

  /**
   * "First response due: 4 Dec 09:43 UTC", or on hold, where a paused clock has no due, what it has
   * left: "First response: 49 s left (paused)" (audit 16, F4: "due: —" hid a hold 5 s from its breach).
   */
  private static String sla(TicketState s, String what, Clock clock, Instant due, ZoneId zone) {
    return s.slaLeftOnHold(clock).map(left -> what + ": " + human(left) + " left (paused)")
        .orElseGet(() -> what + " due: " + due(s, clock, due, zone));
  }

  /** "4 Dec 09:43 UTC", with " (overdue)" when a breach of {@code clock} passed it (not a fresh due from a reopen). */
  private static String due(TicketState s, Clock clock, Instant due, ZoneId zone) {
    boolean overdue = due != null && s.sla().breaches().stream()
        .anyMatch(b -> b.clock().equals(clock.label()) && due.equals(b.due()));
    return orDash(due, zone) + (overdue ? " (overdue)" : "");
  }

  static String why(TicketState s) {
    return "Routing (" + s.routing().phase() + "): " + Html.escape(String.join("; ", s.routing().reasons()))
        + "\nAssignee: " + (s.assignee() == null ? "unassigned" : Html.escape(s.assignee().name()));
  }

  static String human(Duration d) {
    return HumanTime.duration(d);
  }

  private static String orDash(Instant i, ZoneId zone) {
    return i == null ? "—" : HumanTime.at(i, zone);
  }
}
