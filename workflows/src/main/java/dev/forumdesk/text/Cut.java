package dev.forumdesk.text;

/**
 * Text shortened to a limit counted in UTF-16 code units, as Telegram counts its limits (a topic
 * name's 128, a message's 4,096). The cut never splits a surrogate pair: half an emoji is not
 * UTF-8, and Telegram refuses the whole request for it.
 */
public final class Cut {
  private Cut() {}

  /** {@code text} itself when it fits in {@code max}, else its start and "…", {@code max} at the most. */
  public static String to(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = Math.max(0, max - 1);
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end).stripTrailing() + "…";
  }
}
