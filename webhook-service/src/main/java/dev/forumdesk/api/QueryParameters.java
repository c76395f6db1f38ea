package dev.forumdesk.api;

import io.helidon.common.parameters.Parameters;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An API request's query as its handlers read it. A list filter takes its values repeated, comma
 * separated or both ({@code status=NEW&status=ON_HOLD,STALE}): a client that repeats a parameter
 * meant every value, and reading only the first listed a part of what was asked without a word.
 * Every refusal names the parameter, what it takes and what it got ({@link Refused}), so a 400
 * says which of several parameters was wrong. A parameter given with nothing in it ({@code limit=})
 * is refused like a wrong value, and a name the route does not take ({@code staus=NEW}) is refused
 * with the names it does: either, read as "no filter", would answer more than was asked for.
 */
final class QueryParameters {
  private final Parameters query;

  /**
   * @param known every parameter the route takes, in the order the 400 for another lists them
   * @throws Refused naming a parameter that is none of them
   */
  QueryParameters(Parameters query, List<String> known) {
    this.query = query;
    List<String> unknown = query.names().stream().filter(n -> !known.contains(n)).sorted().toList();
    if (!unknown.isEmpty()) {
      throw new Refused("unknown parameter" + (unknown.size() > 1 ? "s " : " ")
          + unknown.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "))
          + "; this takes " + String.join(", ", known));
    }
  }

  /** A parameter the API refuses; its message is the 400's error. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** {@code name must be takes, got "value"}. */
  static Refused refused(String name, String takes, String got) {
    return new Refused(name + " must be " + takes + ", got \"" + got + "\"");
  }

  /**
   * Every value of a list filter, each parsed (or refused) by {@code parse}; blank ones between
   * commas and spaces around them are dropped. Empty when the parameter is absent; refused when it
   * is given with no value ({@code status=}, {@code status=,}).
   */
  <T> Set<T> list(String name, String takes, Function<String, T> parse) {
    Set<T> values = new LinkedHashSet<>();
    List<String> all = query.all(name, List::of);
    if (!all.isEmpty() && all.stream().allMatch(v -> v.replace(",", "").isBlank())) {
      throw refused(name, takes, String.join(",", all));
    }
    for (String given : all) {
      for (String value : given.split(",")) {
        if (!value.isBlank()) {
          values.add(parse.apply(value.strip()));
        }
      }
    }
    return values;
  }

  /**
   * The one value of a plain parameter; empty when absent. Given with no value or twice, it is
   * refused.
   */
  Optional<String> one(String name, String takes) {
    List<String> values = query.all(name, List::of);
    if (values.stream().anyMatch(String::isBlank)) {
      throw refused(name, takes, values.stream().filter(String::isBlank).findFirst().orElseThrow());
    }
    if (values.size() > 1) {
      throw new Refused(name + " takes one value, got " + values.size() + ": "
          + values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", ")));
    }
    return values.stream().findFirst();
  }
}
