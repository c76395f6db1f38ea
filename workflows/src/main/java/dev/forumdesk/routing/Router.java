package dev.forumdesk.routing;

import dev.forumdesk.ticket.Priority;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Phase 2's decision as a pure function: queue, category, priority, complexity weight and who may
 * take the ticket, each with a reason a human can read in {@code /why}. No I/O, no clock: the
 * workflow calls it directly and tests call it with tables.
 */
public final class Router {
  public static final String GENERAL = "general";

  private Router() {}

  public static RoutingDecision route(RoutingInput in, RoutingRules rules) {
    List<String> reasons = new ArrayList<>();
    String text = (in.title() == null ? "" : in.title()) + "\n" + (in.text() == null ? "" : in.text());
    String category =
        CategoryMatcher.firstMatch(text, rules.categories())
            .map(
                m -> {
                  reasons.add("category " + m.category() + ": matched '" + m.matched() + "'");
                  return m.category();
                })
            .orElseGet(
                () -> {
                  reasons.add("category general: no keyword matched");
                  return GENERAL;
                });

    String language = in.language() == null ? rules.defaultLanguage() : in.language();
    String team = rules.languageTeams().get(language);
    if (team != null) {
      reasons.add("language " + language + ": team " + team);
    }
    String queue = category.equals(GENERAL) && team != null ? team : category;
    int recent = in.recentTickets() == null ? 0 : in.recentTickets();
    if (rules.recurringTickets() > 0 && recent >= rules.recurringTickets()) {
      team = rules.seniorGroup();
      queue = rules.seniorGroup();
      reasons.add(
          "recurring customer: " + recent + " tickets within " + rules.recurringWithin() + " → " + team);
    }

    Priority priority = in.priority() == null ? Priority.NORMAL : in.priority();
    if (in.tier() != null && rules.priorityTiers().contains(in.tier()) && priority.compareTo(Priority.HIGH) < 0) {
      priority = Priority.HIGH;
      reasons.add("tier " + in.tier() + ": priority HIGH");
    }
    boolean negative = in.sentiment() != null && in.sentiment() < rules.negativeSentimentThreshold();
    if (negative) {
      priority = priority.compareTo(Priority.HIGH) >= 0 ? Priority.URGENT : Priority.HIGH;
      reasons.add(
          String.format(Locale.ROOT, "sentiment %.2f below %.2f: priority %s",
              in.sentiment(), rules.negativeSentimentThreshold(), priority));
    }

    double weight = weight(category, in.tier(), negative, rules);
    reasons.add(String.format(Locale.ROOT, "complexity %.2f", weight));

    // the assignment says whether the customer's last agent got it, by name ("sticky: ...")
    Long preferred = rules.stickyAgent() ? in.lastAgentId() : null;
    String skill = category.equals(GENERAL) ? null : category;
    return new RoutingDecision(
        queue,
        category,
        priority,
        weight,
        new AgentRequirements(language, skill, team, Math.max(1, in.level()), preferred),
        List.copyOf(reasons));
  }

  /** category weight × tier factor, plus the negative-sentiment extra (routing.complexity). */
  public static double weight(String category, String tier, boolean negativeSentiment, RoutingRules rules) {
    double factor = tier == null ? 1.0 : rules.tierFactors().getOrDefault(tier, 1.0);
    double extra = negativeSentiment ? rules.complexity().getOrDefault("negative-sentiment", 0.0) : 0.0;
    return rules.weightOf(category) * factor + extra;
  }
}
