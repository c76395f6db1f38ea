package dev.forumdesk.text;

/**
 * Text from outside (a config value, a help desk's error, a customer's name) shown inside one
 * line of ours: a log line, an error message, a subject. Line breaks, tabs and other control
 * characters cannot split or forge that line.
 */
public final class OneLine {
  private OneLine() {}

  /** Runs of whitespace and control characters folded to one space, stripped; "" for null. */
  public static String of(String text) {
    return text == null ? "" : text.replaceAll("[\\s\\p{Cntrl}]+", " ").strip();
  }

  /** {@link #of(String)}, {@linkplain Cut cut} to at most {@code max} characters. */
  public static String of(String text, int max) {
    return Cut.to(of(text), max);
  }
}
