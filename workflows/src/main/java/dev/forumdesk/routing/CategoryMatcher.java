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
          // the whole word reads better in a reason than the stem that matched it
          int end = m.end();
          while (end < text.length() && Character.isLetter(text.charAt(end))) {
            end++;
          }
          return Optional.of(new Match(category.getKey(), text.substring(m.start(), end).toLowerCase(Locale.ROOT)));
        }
      }
    }
    return Optional.empty();
  }
}
