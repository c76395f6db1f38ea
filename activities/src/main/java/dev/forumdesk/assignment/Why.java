package dev.forumdesk.assignment;

import dev.forumdesk.ticket.Html;
import java.util.List;
import java.util.Locale;

/** The text {@code /why} posts in the topic: the ticket's routing reasons, the current loads and who is away or off shift. */
public final class Why {
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
}
