package dev.forumdesk.text;

import java.util.List;

/**
 * Small rules of English the bot's texts share, so every message follows them the same way: "1
 * agent" not "1 agents", "a, b and c", and a chat answer that reads as a sentence while the audit
 * keeps its lower-case phrase ("reassigned to Boris as asked").
 */
public final class Words {
  private Words() {}

  /** "1 agent", "2 agents". */
  public static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** "a", "a and b", "a, b and c". */
  public static String and(List<String> items) {
    if (items.size() <= 1) {
      return items.isEmpty() ? "" : items.getFirst();
    }
    return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.getLast();
  }

  /** A phrase as a sentence: first letter capitalised, ending in a full stop (unless it ends in one). */
  public static String sentence(String phrase) {
    if (phrase == null || phrase.isBlank()) {
      return "";
    }
    String s = phrase.strip();
    s = Character.toUpperCase(s.charAt(0)) + s.substring(1);
    return s.endsWith(".") || s.endsWith("!") || s.endsWith("?") ? s : s + ".";
  }
}
