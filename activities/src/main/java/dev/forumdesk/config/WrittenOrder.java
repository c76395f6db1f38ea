package dev.forumdesk.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The order in which a YAML file writes the keys of a mapping. Helidon's configuration tree keeps
 * a mapping's keys in a hash map, so {@code routing.categories}, where the first match wins,
 * would be tried in an order nobody wrote; SnakeYAML (the parser under Helidon's) reads mappings
 * in order. The parse is also what the file itself writes, apart from the defaults merged under it
 * ({@link UnknownKeys}).
 */
final class WrittenOrder {
  /** The parsed text: nested maps in the order written; null for no text or text SnakeYAML refuses. */
  private final Object root;

  private WrittenOrder(Object root) {
    this.root = root;
  }

  /** {@code yaml} parsed once, for every mapping whose order a load needs. */
  static WrittenOrder of(String yaml) {
    if (yaml == null) {
      return new WrittenOrder(null);
    }
    try {
      return new WrittenOrder(new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml));
    } catch (RuntimeException e) {
      return new WrittenOrder(null); // Helidon's own parse reports what is wrong with the file
    }
  }

  /** The parsed text (maps, lists and values), for {@link UnknownKeys}; null for no text. */
  Object tree() {
    return root;
  }

  /** The keys of the mapping at {@code path} as written; empty when the text has no such mapping. */
  List<String> keys(String... path) {
    Object node = root;
    for (String key : path) {
      if (!(node instanceof Map<?, ?> map)) {
        return List.of();
      }
      node = map.get(key);
    }
    if (!(node instanceof Map<?, ?> map)) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    map.keySet().forEach(k -> keys.add(String.valueOf(k)));
    return keys;
  }

  /** {@code map}'s entries, those named in {@code order} first and in that order, then the rest. */
  static <V> Map<String, V> sorted(Map<String, V> map, List<String> order) {
    Map<String, V> sorted = new LinkedHashMap<>();
    order.stream().filter(map::containsKey).forEach(k -> sorted.put(k, map.get(k)));
    map.forEach(sorted::putIfAbsent);
    return sorted;
  }
}
