package dev.forumdesk.assignment;

import dev.forumdesk.ticket.Html;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The text of {@code /why}: the ticket's routing reasons, the current loads and who is away or off
 * shift ({@link #explain}), for staff. Where customers read the topic (group mode) the topic gets
 * {@link #forTopic}: what concerns the ticket itself, none of the other agents' loads or shifts
 * and no sentiment scoring of the customer's words.
 */
public final class Why {
  /**
   * Reasons a customer may read, by how they start (AgentPicker, Router, Languages, CrmClient,
   * Reassignment). A reason of a kind not listed stays private, so a new kind is private until
   * listed here.
   */
  private static final List<String> ABOUT_THE_TICKET = List.of(
      "category ", "language ", "tier ", "sticky: ", "lowest load ", "reassigned to ", "assigned to ");

  private Why() {}

  public static String explain(List<String> reasons, List<Candidate> agents) {
    StringBuilder b = new StringBuilder("<b>Why this routing</b>\n");
    reasons.forEach(r -> b.append("• ").append(Html.escape(r)).append('\n'));
    b.append("<b>Current loads</b>\n");
    for (Candidate c : agents) {
      b.append(String.format(Locale.ROOT, "• %s: load %.1f, %d/%d open%s%n", Html.escape(c.agent().name()),
          c.load(), c.openTickets(), c.agent().maxOpen(), c.onShift() ? "" : ", " + c.shift().describe()));
    }
    return b.toString().strip();
  }

  /**
   * The ticket's own reasons, each part of a joined one ("Boris is away; reassigned to next best
   * Carmen") judged alone.
   *
   * @param rest what the topic hears of the full detail ("Full routing detail sent to you privately.")
   */
  public static String forTopic(List<String> reasons, String rest) {
    StringBuilder b = new StringBuilder("<b>Why this routing</b>\n");
    reasons.stream().flatMap(r -> aboutTheTicket(r).stream())
        .forEach(part -> b.append("• ").append(Html.escape(part)).append('\n'));
    return b.append(rest).toString();
  }

  /** The parts of a reason ("Boris is away; reassigned to next best Carmen") a customer may read. */
  static List<String> aboutTheTicket(String reason) {
    return Arrays.stream(reason.split("; ")).filter(part -> ABOUT_THE_TICKET.stream().anyMatch(part::startsWith))
        .toList();
  }
}
