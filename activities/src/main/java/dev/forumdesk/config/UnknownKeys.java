package dev.forumdesk.config;

import io.helidon.config.Config;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The keys a YAML file writes that no reader asked for ({@link ReadKeys}): a typo such as
 * {@code sla.first-responce} does nothing, so the load says so, with the key meant when one asked
 * for beside it is a few letters away. Only the topmost unknown key of a subtree is named.
 */
final class UnknownKeys {
  private UnknownKeys() {}

  /**
   * Each unknown key of {@code written} as the README writes keys ({@code agents[0].max-opne}),
   * with "(did you mean …?)" when a known one is close; in the order written.
   */
  static List<String> in(WrittenOrder written, ReadKeys read) {
    List<String> unknown = new ArrayList<>();
    walk(written.tree(), "", "", read, unknown);
    return unknown;
  }

  private static void walk(Object node, String key, String shown, ReadKeys read, List<String> unknown) {
    for (Map.Entry<String, Object> child : children(node).entrySet()) {
      boolean index = node instanceof List<?>;
      String name = child.getKey();
      String childKey = (key.isEmpty() ? "" : key + ".") + (index ? name : Config.Key.escapeName(name));
      String childShown = index ? shown + "[" + name + "]" : (shown.isEmpty() ? "" : shown + ".") + name;
      if (!read.known(childKey)) {
        unknown.add(childShown + closest(name, read.namesBeneath(key))
            .map(meant -> " (did you mean " + (shown.isEmpty() ? "" : shown + ".") + meant + "?)").orElse(""));
      } else if (!read.wholeAt(childKey)) {
        walk(child.getValue(), childKey, childShown, read, unknown);
      }
    }
  }

  /** A mapping's entries, a list's by index; nothing beneath a value. */
  private static Map<String, Object> children(Object node) {
    Map<String, Object> children = new LinkedHashMap<>();
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> children.put(String.valueOf(k), v));
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        children.put(String.valueOf(i), list.get(i));
      }
    }
    return children;
  }

  /** The known name nearest to {@code name}, if it is a slip of a few letters (more for a longer name). */
  static Optional<String> closest(String name, List<String> known) {
    String typed = name.toLowerCase(Locale.ROOT);
    int allowed = Math.max(1, Math.min(3, typed.length() / 3));
    return known.stream()
        .filter(k -> distance(typed, k.toLowerCase(Locale.ROOT)) <= allowed)
        .min(Comparator.comparingInt(k -> distance(typed, k.toLowerCase(Locale.ROOT))));
  }

  /** Levenshtein distance: the fewest insertions, deletions and substitutions from a to b. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
