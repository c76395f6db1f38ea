package dev.forumdesk.ticket;

/** Escaping for Telegram's HTML parse mode, which needs only these three. */
public final class Html {
  private Html() {}

  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
