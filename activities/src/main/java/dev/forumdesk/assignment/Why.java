package dev.forumdesk.assignment;

import dev.forumdesk.ticket.Html;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of {@code /why}: the ticket's routing reasons, the current loads and who is away or off
 * shift ({@link #explain}), for staff. Where customers read the topic (group mode) the topic gets
 * {@link #forTopic}: what concerns the ticket itself, none of the other agents' loads or shifts
 * and no sentiment scoring of the customer's words, nor the desk's routing internals ({@code SAID}).
 */
public final class Why {
  /**
   * Reasons a customer may read, by how they start (AgentPicker, Router, Languages, CrmClient,
   * Reassignment, a release into the waiting line). A reason of a kind not listed stays private, so a new kind is private until
   * listed here.
   */
  private static final List<String> ABOUT_THE_TICKET = List.of(
      "category ", "language ", "tier ", "sticky: ", "lowest load ", "reassigned to ", "assigned to ",
      Assigner.WAITING_IN_THE_LINE);
  /**
   * How a reason the customer may read is said to them, the first that matches (audit 10, F8: the
   * topic read "language pt: no agent speaks it, agents of en (the default) instead" and "lowest
   * load 1.5 of 1 agent: Alice"): not that nobody speaks their language, no loads, no priority, no
   * cap or shift a supervisor overrode. Empty: left out.
   */
  private static final List<Map.Entry<Pattern, String>> SAID = List.of(
      Map.entry(Pattern.compile("language \\S+: no agent speaks it.*"), ""),
      Map.entry(Pattern.compile("(language \\S+) \\(not served\\)(.*)"), "$1$2"),
      Map.entry(Pattern.compile("lowest load .*: (.+)"), "assigned to $1"),
      Map.entry(Pattern.compile("(tier \\S+): priority .*"), "$1"),
      Map.entry(Pattern.compile("(assigned to .+ by a supervisor) .*"), "$1"));

  private Why() {}

  /**
   * A waiting ticket's reasons for /why: those its workflow stored, without what an earlier look of
   * the waiting line said it waited for ("waiting: …", the redirect of a language nobody spoke),
   * then what the line waits for {@code now} ({@link Assigner#waitingNow}). Stale otherwise: the
   * workflow stores a reason when it asks, and the line may have changed since without telling it.
   */
  static List<String> waitingNow(List<String> stored, List<String> now) {
    List<String> all = new java.util.ArrayList<>();
    for (String r : stored) {
      List<String> kept = Arrays.stream(r.split("; "))
          .filter(part -> !part.startsWith("waiting: ") && !part.matches("language \\S+: no agent speaks it.*"))
          .toList();
      if (!kept.isEmpty()) {
        String joined = String.join("; ", kept);
        if (!all.contains(joined)) {
          all.add(joined);
        }
      }
    }
    now.stream().filter(r -> !all.contains(r)).forEach(all::add);
    return all;
  }

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
   * @param rest what the topic hears of the full detail ("Full routing detail sent to Alice privately.")
   */
  public static String forTopic(List<String> reasons, String rest) {
    StringBuilder b = new StringBuilder("<b>Why this routing</b>\n");
    reasons.stream().flatMap(r -> aboutTheTicket(r).stream())
        .forEach(part -> b.append("• ").append(Html.escape(part)).append('\n'));
    return b.append(rest).toString();
  }

  /** The parts of a reason ("Boris is away; reassigned to next best Carmen") a customer may read, as said to them. */
  static List<String> aboutTheTicket(String reason) {
    return Arrays.stream(reason.split("; ")).filter(part -> ABOUT_THE_TICKET.stream().anyMatch(part::startsWith))
        .map(Why::said).filter(part -> !part.isEmpty()).toList();
  }

  private static String said(String part) {
    for (Map.Entry<Pattern, String> rule : SAID) {
      Matcher m = rule.getKey().matcher(part);
      if (m.matches()) {
        return m.replaceFirst(rule.getValue());
      }
    }
    return part;
  }
}
