package dev.forumdesk.config;

import io.helidon.common.GenericType;
import io.helidon.config.Config;
import io.helidon.config.ConfigMappingException;
import io.helidon.config.ConfigValue;
import io.helidon.config.MissingValueException;
import io.helidon.config.spi.ConfigMapper;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The keys the readers of one configuration tree asked for: the known keys, taken from the readers
 * themselves instead of a second list that could drift from them. The readers read through
 * {@link #recording}, a view of the tree that notes each key asked for (whether the file has it or
 * not, so a typo can be matched to what was meant) and each node read as a whole value, a list or
 * a map of names the reader does not know in advance ({@code routing.categories}, the entries of
 * {@code agents}, {@code crm.tiers}), whose keys beneath are all the reader's.
 */
final class ReadKeys {
  /** Helidon's form of a key: {@code agents.0.max-open}. */
  private final Set<String> asked = new HashSet<>();

  private final Set<String> whole = new HashSet<>();

  /** {@code tree} as the readers should read it: every key they ask for is noted here. */
  Config recording(Config tree) {
    return new Recording(tree);
  }

  /** Whether a reader asked for {@code key}, or read a node above it as a whole. */
  boolean known(String key) {
    return asked.contains(key) || wholeAt(key);
  }

  /** Whether a reader read {@code key} or a node above it as a whole: the keys beneath are not ours to judge. */
  boolean wholeAt(String key) {
    for (Config.Key k = Config.Key.create(key); !k.isRoot(); k = k.parent()) {
      if (whole.contains(k.toString())) {
        return true;
      }
    }
    return false;
  }

  /** The names asked for right beneath {@code parent} (the root: {@code ""}). */
  List<String> namesBeneath(String parent) {
    return asked.stream()
        .map(Config.Key::create)
        .filter(k -> k.parent().toString().equals(parent))
        .map(Config.Key::name)
        .sorted()
        .toList();
  }

  /**
   * Notes {@code node} as read as a whole, for a reader that takes its value from elsewhere (the
   * file's text as written) but reads it all the same; a node not from {@link #recording}: nothing.
   */
  static void readWhole(Config node) {
    if (node instanceof Recording r) {
      r.readWhole();
    }
  }

  private void ask(Config.Key key) {
    for (Config.Key k = key; !k.isRoot(); k = k.parent()) {
      if (!asked.add(k.toString())) {
        return; // its parents are noted already
      }
    }
  }

  /** A node of the tree that notes what is asked of it; a read of a value is a read of all beneath. */
  private final class Recording implements Config {
    private final Config node;

    Recording(Config node) {
      this.node = node;
      ask(node.key());
    }

    private Config readWhole() {
      whole.add(node.key().toString());
      return node;
    }

    @Override
    public Instant timestamp() {
      return node.timestamp();
    }

    @Override
    public Key key() {
      return node.key();
    }

    @Override
    public Config root() {
      return new Recording(node.root());
    }

    @Override
    public Config get(Key key) {
      return new Recording(node.get(key));
    }

    /** Not noted: no reader detaches, and a detached node's keys no longer say where they are. */
    @Override
    public Config detach() {
      return node.detach();
    }

    @Override
    public Type type() {
      return node.type();
    }

    @Override
    public boolean hasValue() {
      return node.hasValue();
    }

    @Override
    public Stream<Config> traverse(Predicate<Config> predicate) {
      return readWhole().traverse(predicate);
    }

    @Override
    public <T> T convert(Class<T> type, String value) throws ConfigMappingException {
      return node.convert(type, value);
    }

    @Override
    public ConfigMapper mapper() {
      return node.mapper();
    }

    @Override
    public <T> ConfigValue<T> as(GenericType<T> type) {
      return readWhole().as(type);
    }

    @Override
    public <T> ConfigValue<T> as(Class<T> type) {
      return readWhole().as(type);
    }

    @Override
    public <T> ConfigValue<T> as(Function<Config, T> mapper) {
      return node.as(n -> mapper.apply(new Recording(n)));
    }

    @Override
    public <T> ConfigValue<List<T>> asList(Class<T> type) throws ConfigMappingException {
      return readWhole().asList(type);
    }

    @Override
    public <T> ConfigValue<List<T>> asList(Function<Config, T> mapper) throws ConfigMappingException {
      return node.asList(n -> mapper.apply(new Recording(n)));
    }

    @Override
    public ConfigValue<List<Config>> asNodeList() throws ConfigMappingException {
      return node.asNodeList().as(nodes -> nodes.stream().<Config>map(Recording::new).toList());
    }

    @Override
    public ConfigValue<Map<String, String>> asMap() throws MissingValueException {
      return readWhole().asMap();
    }

    @Override
    public String toString() {
      return node.toString();
    }
  }
}
