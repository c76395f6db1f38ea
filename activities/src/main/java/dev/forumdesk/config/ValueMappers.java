package dev.forumdesk.config;

import dev.forumdesk.text.OneLine;
import io.helidon.config.Config;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Numbers and flags read from the YAML fail with a {@link ConfigException} naming the key, the kind
 * of value expected and what was found ("support.chat-id: expected a number, got 'abc'"), so a
 * wrong value stops the start with one line (README) instead of a stack trace. Helidon's own
 * mappers fail with a ConfigMappingException that spans lines, quotes the whole value, names a
 * mapper lambda and has no accessor for the key; and they read any word but "true" as false.
 */
final class ValueMappers {
  private static final int SHOWN = 40;

  private ValueMappers() {}

  /** A builder with only our YAML (no environment or system properties) and these mappers. */
  static Config.Builder builder() {
    return Config.builder()
        .disableEnvironmentVariablesSource()
        .disableSystemPropertiesSource()
        .addMapper(Integer.class, n -> parse(n, Integer::valueOf))
        .addMapper(Long.class, n -> parse(n, Long::valueOf))
        .addMapper(Double.class, n -> parse(n, Double::valueOf))
        .addMapper(Boolean.class, ValueMappers::flag);
  }

  /**
   * Runs a read of the tree; a Helidon failure (which wraps ours) becomes one {@link ConfigException}.
   */
  static <T> T reading(Supplier<T> read) {
    try {
      return read.get();
    } catch (io.helidon.config.ConfigException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ConfigException ours) {
          throw ours;
        }
      }
      throw new ConfigException(OneLine.of(e.getMessage(), 200));
    }
  }

  private static <T extends Number> T parse(Config node, Function<String, T> parser) {
    String v = value(node);
    try {
      return parser.apply(v.strip());
    } catch (NumberFormatException e) {
      throw new ConfigException(key(node) + ": expected " + kind(v.strip()) + ", got '" + OneLine.of(v, SHOWN) + "'");
    }
  }

  /** What a value that did not parse should have been: a number, a whole one, a smaller one. */
  private static String kind(String v) {
    try {
      BigDecimal d = new BigDecimal(v);
      return d.stripTrailingZeros().scale() <= 0 ? "a smaller number" : "a whole number";
    } catch (NumberFormatException e) {
      return "a number";
    }
  }

  private static Boolean flag(Config node) {
    String v = value(node);
    return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(key(node) + ": expected true or false, got '" + OneLine.of(v, SHOWN) + "'");
    };
  }

  private static String value(Config node) {
    Optional<String> v = node.asString().asOptional();
    return v.orElseThrow(() -> new ConfigException(key(node) + ": expected a value"));
  }

  /** The key as the README writes it: {@code agents[0].max-open}, not Helidon's {@code agents.0.max-open}. */
  static String key(Config node) {
    Config.Key key = node.key();
    if (key.isRoot()) {
      return "";
    }
    Config parent = node.root().get(key.parent());
    String prefix = key(parent);
    if (parent.type() == Config.Type.LIST) {
      return prefix + "[" + key.name() + "]";
    }
    return prefix.isEmpty() ? key.name() : prefix + "." + key.name();
  }
}
