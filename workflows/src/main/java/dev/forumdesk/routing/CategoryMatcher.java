package dev.forumdesk.routing;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the first category whose pattern occurs in a text, and what it matched (for the reason). */
public final class CategoryMatcher {
  /** Case-insensitive for every script, and {@code \b}/{@code \w} understand Cyrillic. */
  public static final int FLAGS =
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS;

  /** Pure cache: the same pattern string always compiles to the same pattern. */
  private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();

  public record Match(String category, String matched) {}

  private CategoryMatcher() {}

  public static Pattern compile(String pattern) {
    return COMPILED.computeIfAbsent(pattern, p -> Pattern.compile(p, FLAGS));
  }

  public static Optional<Match> firstMatch(String text, Map<String, List<String>> categories) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    for (Map.Entry<String, List<String>> category : categories.entrySet()) {
      for (String pattern : category.getValue()) {
        Matcher m = compile(pattern).matcher(text);
        if (m.find()) {
          return Optional.of(new Match(category.getKey(), word(text, m)));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A category by its keywords in a text ({@code words}, distinct, in the order they occur), and
   * the best other one that matched too ({@code runnerUp}, null when none did).
   */
  public record Weighed(String category, List<String> words, String runnerUp, List<String> runnerUpWords) {}

  /**
   * The category with the most distinct keywords in {@code text}, ties in the map's order: a word
   * that names a topic in passing ("when I login") does not outweigh the ones that say what is
   * wrong ("the app crashes with an error"). For the built-in library, whose categories overlap;
   * configured categories keep {@link #firstMatch} (first match wins in the order they are written).
   */
  public static Optional<Weighed> mostKeywords(String text, Map<String, List<String>> categories) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    List<Map.Entry<String, List<String>>> found = new java.util.ArrayList<>();
    for (Map.Entry<String, List<String>> category : categories.entrySet()) {
      java.util.TreeMap<Integer, String> byPosition = new java.util.TreeMap<>();
      for (String pattern : category.getValue()) {
        Matcher m = compile(pattern).matcher(text);
        while (m.find()) {
          byPosition.putIfAbsent(m.start(), word(text, m));
        }
      }
      List<String> words = byPosition.values().stream().distinct().toList();
      if (!words.isEmpty()) {
        found.add(Map.entry(category.getKey(), words));
      }
    }
    // stable: among equals the first in the map's order stays first
    found.sort(java.util.Comparator.comparingInt((Map.Entry<String, List<String>> e) -> e.getValue().size()).reversed());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    var best = found.getFirst();
    var next = found.size() > 1 ? found.get(1) : null;
    return Optional.of(new Weighed(best.getKey(), best.getValue(), next == null ? null : next.getKey(),
        next == null ? List.of() : next.getValue()));
  }

  /** The whole word reads better in a reason than the stem that matched it. */
  private static String word(String text, Matcher m) {
    int end = m.end();
    while (end < text.length() && Character.isLetter(text.charAt(end))) {
      end++;
    }
    return text.substring(m.start(), end).toLowerCase(Locale.ROOT);
  }
}
