package dev.forumdesk.ticket;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** The bot's words (Telegram HTML), in one place so tone and format stay consistent. */
final class Notices {
  static final String HELP =
      "Commands: /status, /why, /hold [reason], /resume, /resolve, /reopen, /escalate [reason],"
          + " /priority low|normal|high|urgent, /reassign [@username], /assign @username,"
          + " /away, /back";

  private Notices() {}

  static String ack(String ticketId, String title) {
    return "Thanks, we got your request <b>" + Html.escape(title) + "</b>. Ticket <code>" + ticketId
        + "</code> is in the queue; an agent will answer here.";
  }

  /** Relay mode: the customer's private chat hears that their request is resolved. */
  static String resolvedForCustomer(String title) {
    return "✅ Your request <b>" + Html.escape(title) + "</b> is resolved. If you need anything else, just write"
        + " here and it reopens.";
  }

  static String mentions(List<Person> people) {
    return people.isEmpty() ? "supervisors" : people.stream().map(Person::mention).collect(Collectors.joining(" "));
  }

  static String firstResponseBreached(List<Person> supervisors, Duration limit) {
    return "⚠️ No agent has answered within " + human(limit) + ". " + mentions(supervisors)
        + ", please take a look.";
  }

  static String chainEscalated(List<Person> supervisors, Duration limit) {
    return "🚨 Still unanswered " + human(limit) + " after the escalation: moved to Level 2. "
        + mentions(supervisors) + ".";
  }

  static String escalatedToLevel2(String reason, List<Person> supervisors) {
    return "⬆️ Escalated to Level 2: " + Html.escape(reason)
        + (supervisors.isEmpty() ? "" : ". " + mentions(supervisors) + ", please take a look.");
  }

  static String firstResponseWarning(String ticketLink, Instant due) {
    return "⏰ " + ticketLink + ": first response due at " + due + " (80% of the time used).";
  }

  static String stale(String ticketLink, Duration after) {
    return "💤 " + ticketLink + " has had no message for " + human(after)
        + ". Please follow up with the customer or /resolve it.";
  }

  static String negativeSentiment(String ticketLink, double score, Priority priority) {
    return "😟 The customer in " + ticketLink + " sounds upset (sentiment " + String.format("%.2f", score)
        + "); priority is now " + priority + ".";
  }

  static String recurring(String ticketLink, Person customer, int count, Duration within) {
    return "🔁 " + Html.escape(customer.name()) + " opened " + count + " tickets in the last " + human(within)
        + "; " + ticketLink + " goes to the senior group.";
  }

  static String level2Summary(String title, String link, String reason, Person customer, String firstMessage) {
    return "Level 2 escalation of <b>" + Html.escape(title) + "</b> (" + link + ")\n"
        + "Customer: " + Html.escape(customer == null ? "?" : customer.name()) + "\n"
        + "Reason: " + Html.escape(reason) + "\n"
        + (firstMessage == null ? "" : "First message: " + Html.escape(firstMessage));
  }

  static String statusCard(TicketState s) {
    return "<b>" + Html.escape(s.title()) + "</b>\n"
        + "Status: " + s.status() + (s.sla().paused() ? " (SLA paused)" : "") + "\n"
        + "Assignee: " + (s.assignee() == null ? "unassigned" : Html.escape(s.assignee().name())) + "\n"
        + "Priority: " + s.priority() + " · Level " + s.level() + " · Queue " + Html.escape(s.queue()) + "\n"
        + "First response due: " + orDash(s.firstResponseAt() == null ? s.sla().firstResponseDue() : null) + "\n"
        + "Next response due: " + orDash(s.sla().nextResponseDue()) + "\n"
        + "Resolution due: " + orDash(s.sla().resolutionDue());
  }

  static String why(TicketState s) {
    return "Routing (" + s.routing().phase() + "): " + Html.escape(String.join("; ", s.routing().reasons()))
        + "\nAssignee: " + (s.assignee() == null ? "unassigned" : Html.escape(s.assignee().name()));
  }

  /** A link agents can open: t.me/c/<internal id>/<thread> for a -100… supergroup. */
  static String topicLink(long chatId, long threadId) {
    String id = String.valueOf(chatId);
    String internal = id.startsWith("-100") ? id.substring(4) : id.replace("-", "");
    return "https://t.me/c/" + internal + "/" + threadId;
  }

  static String human(Duration d) {
    if (d.toDays() > 0 && d.toHoursPart() == 0 && d.toMinutesPart() == 0) {
      return d.toDays() + " d";
    }
    if (d.toHours() > 0 && d.toMinutesPart() == 0) {
      return d.toHours() + " h";
    }
    if (d.toMinutes() > 0 && d.toSecondsPart() == 0) {
      return d.toMinutes() + " min";
    }
    return d.toSeconds() + " s";
  }

  private static String orDash(Instant i) {
    return i == null ? "—" : i.toString();
  }
}
