package dev.forumdesk.routing;

import java.util.List;
import java.util.Map;

/**
 * The routing part of the configuration as the workflow sees it. Fetched through an activity at
 * the start of phase 2, so a reloaded config file applies to the next ticket without breaking
 * the determinism of running ones.
 *
 * @param categories category → regex patterns, first match wins (case-insensitive, Unicode)
 * @param languageTeams language → team that takes tickets in it
 * @param complexity weights: category names, {@code default}, {@code negative-sentiment}
 * @param tierFactors tier → multiplier of the category weight (absent = 1.0)
 * @param priorityTiers tiers whose tickets start at priority HIGH
 * @param enabled false: phase 2 leaves tickets where phase 1 put them (manual triage)
 * @param lockReplies {@code warn}: another agent replying in an assigned topic gets a private
 *     warning; {@code allow}: nothing happens
 * @param firstMessageWait ISO-8601: how long phase 2 waits for the customer's first message of a
 *     topic opened without one (Telegram sends the topic's creation and that message as two
 *     updates); null in rules recorded before it existed
 */
public record RoutingRules(
    boolean enabled,
    Map<String, List<String>> categories,
    Map<String, String> languageTeams,
    String defaultLanguage,
    int recurringTickets,
    String recurringWithin,
    double negativeSentimentThreshold,
    boolean stickyAgent,
    Map<String, Double> complexity,
    Map<String, Double> tierFactors,
    List<String> priorityTiers,
    String seniorGroup,
    String lockReplies,
    String firstMessageWait) {

  /** Without {@code routing.first-message-wait} (rules recorded before it): ten seconds. */
  public static final String FIRST_MESSAGE_WAIT = "PT10S";

  /** What the workflow routes with when even the rules cannot be fetched. */
  public static RoutingRules builtin() {
    return builtin(CategoryLibrary.DEFAULTS);
  }

  /** The built-in rules with {@code library}: {@link CategoryLibrary#FIRST} in runs that fell back before it grew. */
  public static RoutingRules builtin(Map<String, List<String>> library) {
    return new RoutingRules(
        true,
        library,
        Map.of(),
        "en",
        5,
        "P7D",
        -0.5,
        true,
        Map.of("billing", 1.0, "technical", 2.0, "default", 1.0, "negative-sentiment", 0.5),
        Map.of(),
        List.of(),
        "senior",
        "warn",
        FIRST_MESSAGE_WAIT);
  }

  /** {@link #firstMessageWait}, its default when the rules were recorded without it. */
  public java.time.Duration firstMessageWaitOrDefault() {
    return java.time.Duration.parse(firstMessageWait == null ? FIRST_MESSAGE_WAIT : firstMessageWait);
  }

  double weightOf(String category) {
    return complexity.getOrDefault(category, complexity.getOrDefault("default", 1.0));
  }
}
