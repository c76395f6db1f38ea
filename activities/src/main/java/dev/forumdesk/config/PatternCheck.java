package dev.forumdesk.config;

import dev.forumdesk.routing.CategoryMatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.PatternSyntaxException;

/** Rejects an invalid category regex at load time, naming the pattern and where it is written. */
final class PatternCheck {
  private PatternCheck() {}

  static void validate(String category, String pattern, Optional<Path> file) {
    try {
      CategoryMatcher.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw new ConfigException("routing.categories." + category + ": invalid pattern '" + pattern + "'"
          + where(file, category, pattern) + ": " + e.getDescription());
    }
  }

  /** " (file:line)" of the pattern, or of its category when YAML escaping changed its spelling. */
  static String where(Optional<Path> file, String category, String pattern) {
    if (file.isEmpty()) {
      return "";
    }
    try {
      List<String> lines = Files.readAllLines(file.get());
      int at = find(lines, pattern);
      if (at < 0) {
        at = find(lines, category + ":");
      }
      return at < 0 ? " in " + file.get() : " at " + file.get() + ":" + (at + 1);
    } catch (IOException e) {
      return " in " + file.get();
    }
  }

  private static int find(List<String> lines, String needle) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(needle)) {
        return i;
      }
    }
    return -1;
  }
}
