package dev.forumdesk.assignment;

import dev.forumdesk.ticket.Html;
import java.util.List;
import java.util.Locale;

/** The text {@code /why} posts in the topic: the ticket's routing reasons and the current loads. */
public final class Why {
  private Why() {}

  public static String explain(List<String> reasons, List<Roster.AgentStatus> agents) {
    StringBuilder b = new StringBuilder("<b>Why this routing</b>\n");
    reasons.forEach(r -> b.append("• ").append(Html.escape(r)).append('\n'));
    b.append("<b>Current loads</b>\n");
    for (Roster.AgentStatus a : agents) {
      b.append(String.format(Locale.ROOT, "• %s: load %.1f, %d/%d open%s%n", Html.escape(a.name()),
          a.weightedLoad(), a.openTickets(), a.cap(), a.onShift() ? "" : ", away"));
    }
    return b.toString().strip();
  }
}
