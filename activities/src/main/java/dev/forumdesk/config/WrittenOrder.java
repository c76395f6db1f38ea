package dev.forumdesk.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

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
      LoaderOptions options = new LoaderOptions();
      return new WrittenOrder(new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()),
          new DumperOptions(), options, new AsWritten()).load(yaml));
    } catch (RuntimeException e) {
      return new WrittenOrder(null); // Helidon's own parse reports what is wrong with the file
    }
  }

  /**
   * SnakeYAML's resolver less its timestamps: an unquoted date stays the text written. Resolved, it
   * is a lenient {@code java.util.Date}: {@code 2026-11-37} would be 7 December (audit 20c, F1).
   */
  private static final class AsWritten extends Resolver {
    @Override
    public void addImplicitResolver(Tag tag, java.util.regex.Pattern regexp, String first, int limit) {
      if (!Tag.TIMESTAMP.equals(tag)) {
        super.addImplicitResolver(tag, regexp, first, limit);
      }
    }
  }

  /**
   * The scalars of the list at {@code path} as written (an unquoted date as its text); empty when
   * the text has no such key; a single scalar there as a list of one.
   */
  java.util.Optional<List<String>> scalars(String... path) {
    Object node = root;
    for (String key : path) {
      if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
        return java.util.Optional.empty();
      }
      node = map.get(key);
    }
    if (node instanceof List<?> list) {
      List<String> out = new ArrayList<>();
      list.forEach(v -> out.add(v == null ? null : String.valueOf(v)));
      return java.util.Optional.of(out);
    }
    return java.util.Optional.of(node == null ? List.of() : List.of(String.valueOf(node)));
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
