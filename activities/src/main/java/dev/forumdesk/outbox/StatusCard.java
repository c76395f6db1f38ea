package dev.forumdesk.outbox;

import dev.forumdesk.ticket.Html;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.Status;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * /status's answer as the workflow writes it (Notices.statusCard): the title, "Status: ESCALATED",
 * "Assignee: …", then the priority, escalation level, queue and SLA dues ("(overdue)"), which are
 * for staff. Known by its lines, as an answer to a command (a ":reply:" key): the workflow posts it
 * as it always did, and its history stays the same.
 */
public final class StatusCard {
  private static final String STATUS = "Status: ";
  private static final String ASSIGNEE = "Assignee: ";
  /** What the card names when nobody has the ticket (Notices.statusCard). */
  private static final String UNASSIGNED = "unassigned";

  private StatusCard() {}

  /**
   * What a customer reading the topic is shown instead of the card {@code m}, if it is one: the
   * title, the status in words ("in progress", not that it was escalated or is overdue) and who has
   * the ticket.
   */
  static Optional<String> forCustomer(OutboundMessage m) {
    List<String> lines = Arrays.asList(m.html().split("\n"));
    if (!m.key().contains(":reply:") || lines.size() < 4 || !lines.get(1).startsWith(STATUS)
        || !lines.get(2).startsWith(ASSIGNEE) || lines.stream().noneMatch(StatusCard::firstResponseLine)) {
      return Optional.empty();
    }
    String name = lines.get(1).substring(STATUS.length()).split(" ", 2)[0];
    String assignee = lines.get(2).substring(ASSIGNEE.length());
    // the card's title and assignee lines are escaped already (Notices.statusCard)
    return Arrays.stream(Status.values()).filter(s -> s.name().equals(name)).findFirst()
        .map(s -> inHtml(lines.get(0), s, assignee.equals(UNASSIGNED) ? null : assignee));
  }

  /**
   * The same status in words, for a customer asking in their private chat (relay mode): "<b>title</b>",
   * "Status: in progress", "Assignee: Carmen" (or "unassigned"), nothing of the level, queue or dues.
   *
   * @param title as the customer knows their request, not yet escaped
   * @param assignee the assignee's name, or null
   */
  public static String forCustomer(String title, Status status, String assignee) {
    return inHtml("<b>" + Html.escape(title) + "</b>", status, assignee == null ? null : Html.escape(assignee));
  }

  /**
   * The three lines both forms of {@link #forCustomer} give.
   *
   * @param titleLine the title in bold, escaped
   * @param assignee the assignee's name escaped, or null
   */
  private static String inHtml(String titleLine, Status status, String assignee) {
    return titleLine + "\n" + STATUS + inWords(status, assignee != null) + "\n" + ASSIGNEE
        + (assignee == null ? UNASSIGNED : assignee);
  }

  /**
   * Whether {@code html} is /status's card: it has the first response's line, "First response due:
   * 4 Dec 09:43 UTC", or on hold "First response: 49 s left (paused)" (audit 16b F2: a held ticket's
   * card, known by the first form only, went to the customer's topic whole).
   */
  static boolean isCard(String html) {
    return Arrays.stream(html.split("\n")).anyMatch(StatusCard::firstResponseLine);
  }

  private static boolean firstResponseLine(String line) {
    return line.startsWith("First response due: ") || line.startsWith("First response: ");
  }

  /**
   * @param assigned whether an agent has the ticket: a NEW one then waits for that agent's first
   *     reply, not for an agent ("waiting for an agent" beside "Assignee: Carmen": audit 15, F5)
   */
  private static String inWords(Status s, boolean assigned) {
    return switch (s) {
      case NEW -> assigned ? "waiting for the agent's reply" : "waiting for an agent";
      case IN_PROGRESS, ESCALATED, STALE -> "in progress";
      case ON_HOLD -> "on hold";
      case RESOLVED, CLOSED -> s.name().toLowerCase(Locale.ROOT);
    };
  }
}
