package dev.forumdesk.text;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A message text in Telegram's HTML parse mode measured and cut as Telegram counts it: its limit
 * (4,096 for a message) is in UTF-16 code units of the text after entity parsing, so a tag counts
 * nothing and an entity ({@code &amp;}, {@code &#128512;}) one character. A text over the limit is
 * refused for good ("400 Bad Request: message is too long").
 */
public final class TelegramHtml {
  /** Telegram's limit for a message's text, after entity parsing. */
  public static final int MESSAGE_MAX = 4096;

  private TelegramHtml() {}

  /** The text's length as Telegram counts it: its characters outside tags, an entity as one. */
  public static int length(String html) {
    int n = 0;
    int i = 0;
    while (i < html.length()) {
      int next = skip(html, i);
      if (next > i) { // a tag: nothing; an entity: one
        n += html.charAt(i) == '&' ? 1 : 0;
        i = next;
      } else {
        n++;
        i++;
      }
    }
    return n;
  }

  /**
   * {@code html} itself when it fits in {@code max} as Telegram counts it, else its start and "…",
   * {@code max} at the most: never inside a tag or an entity, never half a surrogate pair, and the
   * tags open at the cut closed after it, so the markup stays valid.
   */
  public static String fit(String html, int max) {
    if (length(html) <= max) {
      return html;
    }
    int budget = Math.max(0, max - 1); // the "…"
    Deque<String> open = new ArrayDeque<>();
    StringBuilder out = new StringBuilder();
    int n = 0;
    int i = 0;
    while (i < html.length()) {
      int next = skip(html, i);
      if (next > i && html.charAt(i) == '<') {
        String tag = html.substring(i, next);
        String name = name(tag);
        if (tag.startsWith("</")) {
          open.remove(name); // the innermost of that name: markup the sender wrote, so it is balanced
        } else {
          open.push(name);
        }
        out.append(tag);
        i = next;
        continue;
      }
      int units = next > i ? 1 : Character.isHighSurrogate(html.charAt(i)) && i + 1 < html.length() ? 2 : 1;
      if (n + units > budget) {
        break;
      }
      int end = next > i ? next : i + units;
      out.append(html, i, end);
      n += units;
      i = end;
    }
    // whitespace before the "…" only wastes the budget
    int trimmed = out.length();
    while (trimmed > 0 && Character.isWhitespace(out.charAt(trimmed - 1))) {
      trimmed--;
    }
    out.setLength(trimmed);
    out.append('…');
    open.forEach(name -> out.append("</").append(name).append('>'));
    return out.toString();
  }

  /**
   * Where the tag or entity that starts at {@code i} ends (after its ">" or ";"); {@code i} when
   * none starts there (a lone "&" or "<" counts as a character, as Telegram would refuse it anyway).
   */
  private static int skip(String html, int i) {
    char c = html.charAt(i);
    if (c == '<') {
      int close = html.indexOf('>', i);
      return close < 0 ? i : close + 1;
    }
    if (c == '&') {
      int j = i + 1;
      while (j < html.length() && j - i <= 32 && (Character.isLetterOrDigit(html.charAt(j)) || html.charAt(j) == '#')) {
        j++;
      }
      return j < html.length() && html.charAt(j) == ';' && j > i + 1 ? j + 1 : i;
    }
    return i;
  }

  /** "b" of {@code <b>}, {@code </b>}; "a" of {@code <a href="…">}. */
  private static String name(String tag) {
    int start = tag.startsWith("</") ? 2 : 1;
    int end = start;
    while (end < tag.length() && !Character.isWhitespace(tag.charAt(end)) && tag.charAt(end) != '>' && tag.charAt(end) != '/') {
      end++;
    }
    return tag.substring(start, end);
  }
}
