package dev.forumdesk.ticket;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

public enum Priority {
  LOW,
  NORMAL,
  HIGH,
  URGENT;

  /** The priority {@code args} names by its first word ("high", "URGENT please"), if any. */
  public static Optional<Priority> of(String args) {
    if (args == null || args.isBlank()) {
      return Optional.empty();
    }
    String word = args.strip().split("\\s+")[0].toUpperCase(Locale.ROOT);
    return Arrays.stream(values()).filter(p -> p.name().equals(word)).findFirst();
  }

  /**
   * Why {@code args} names no priority (the bot's and the API's answer), or empty when it names one.
   * Callers say first that none was given, in their own terms (a command's usage, the API's field).
   */
  public static Optional<String> unknown(String args) {
    return of(args).isPresent() ? Optional.empty()
        : Optional.of("Unknown priority '" + (args == null ? "" : args.strip()) + "'. Use one of: " + names() + ".");
  }

  /** "low, normal, high, urgent": as people type them. */
  public static String names() {
    return String.join(", ", Arrays.stream(values()).map(p -> p.name().toLowerCase(Locale.ROOT)).toList());
  }
}
