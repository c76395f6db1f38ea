package dev.forumdesk.routing;

import dev.forumdesk.text.Words;
import dev.forumdesk.ticket.Priority;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Phase 2's decision as a pure function: queue, category, priority, complexity weight and who may
 * take the ticket, each with a reason a human can read in {@code /why}. No I/O, no clock: the
 * workflow calls it directly and tests call it with tables.
 */
public final class Router {
  public static final String GENERAL = "general";

  private Router() {}

  public static RoutingDecision route(RoutingInput in, RoutingRules rules) {
    return route(in, rules, true);
  }

  /**
   * @param weighBuiltIns whether the built-in library's categories are weighed by their keywords
   *     (false: the first that matches, as runs started before that rule keep doing on replay)
   */
  public static RoutingDecision route(RoutingInput in, RoutingRules rules, boolean weighBuiltIns) {
    List<String> reasons = new ArrayList<>();
    String text = (in.title() == null ? "" : in.title()) + "\n" + (in.text() == null ? "" : in.text());
    String category = category(text, rules.categories(), weighBuiltIns, reasons);

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

  /**
   * The configured categories: the first that matches, in the order written. The built-in library:
   * the one with the most keywords ({@link CategoryMatcher#mostKeywords}), its reason naming what
   * it was weighed against ("matched 'app', 'crashes' and 'error' over account's 'login'").
   */
  private static String category(
      String text, Map<String, List<String>> categories, boolean weighBuiltIns, List<String> reasons) {
    Optional<String> found = weighBuiltIns && CategoryLibrary.isBuiltIn(categories)
        ? CategoryMatcher.mostKeywords(text, categories).map(w -> {
            String words = w.runnerUp() == null ? quoted(w.words().subList(0, 1)) : quoted(w.words())
                + " over " + w.runnerUp() + "'s " + quoted(w.runnerUpWords());
            reasons.add("category " + w.category() + ": matched " + words);
            return w.category();
          })
        : CategoryMatcher.firstMatch(text, categories).map(m -> {
            reasons.add("category " + m.category() + ": matched '" + m.matched() + "'");
            return m.category();
          });
    if (found.isEmpty()) {
      reasons.add("category general: no keyword matched");
    }
    return found.orElse(GENERAL);
  }

  private static String quoted(List<String> words) {
    return Words.and(words.stream().map(w -> "'" + w + "'").toList());
  }

  /** category weight × tier factor, plus the negative-sentiment extra (routing.complexity). */
  public static double weight(String category, String tier, boolean negativeSentiment, RoutingRules rules) {
    double factor = tier == null ? 1.0 : rules.tierFactors().getOrDefault(tier, 1.0);
    double extra = negativeSentiment ? rules.complexity().getOrDefault("negative-sentiment", 0.0) : 0.0;
    return rules.weightOf(category) * factor + extra;
  }
}
