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
 * says which of several parameters was wrong.
 */
final class QueryParameters {
  private final Parameters query;

  QueryParameters(Parameters query) {
    this.query = query;
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
   * Every value of a list filter, each parsed (or refused) by {@code parse}; blank ones and spaces
   * around them are dropped. Empty when the parameter is absent or blank.
   */
  <T> Set<T> list(String name, Function<String, T> parse) {
    Set<T> values = new LinkedHashSet<>();
    for (String given : query.all(name, List::of)) {
      for (String value : given.split(",")) {
        if (!value.isBlank()) {
          values.add(parse.apply(value.strip()));
        }
      }
    }
    return values;
  }

  /** Whether the parameter was given with something in it (a comma list of nothing, say). */
  boolean given(String name) {
    return query.all(name, List::of).stream().anyMatch(v -> !v.isBlank());
  }

  /** The one value of a plain parameter; absent or blank: empty. Given twice, it is refused. */
  Optional<String> one(String name) {
    List<String> values = query.all(name, List::of).stream().filter(v -> !v.isBlank()).toList();
    if (values.size() > 1) {
      throw new Refused(name + " takes one value, got " + values.size() + ": "
          + values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", ")));
    }
    return values.stream().findFirst();
  }
}
