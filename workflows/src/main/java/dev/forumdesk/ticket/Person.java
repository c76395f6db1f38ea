package dev.forumdesk.ticket;

/** A Telegram user as the ticket knows them. */
public record Person(long id, String name, String username) {
  public String handle() {
    return username == null || username.isBlank() ? name : "@" + username;
  }

  /** Whether {@code named} ("alice", "@Alice") names {@code username}, in any case. */
  public static boolean isUsername(String username, String named) {
    String n = usernameKey(named);
    return username != null && !n.isEmpty() && usernameKey(username).equals(n);
  }

  /**
   * A username as lookups compare it ("@Alice" and "alice" alike): without the @, in lower case;
   * the read model keeps each ticket's customer by this key.
   */
  public static String usernameKey(String named) {
    return (named.startsWith("@") ? named.substring(1) : named).toLowerCase(java.util.Locale.ROOT);
  }

  /** An HTML mention that notifies the user: @username, or a tg://user link when there is none. */
  public String mention() {
    if (username != null && !username.isBlank()) {
      return "@" + username;
    }
    return "<a href=\"tg://user?id=" + id + "\">" + Html.escape(name) + "</a>";
  }
}
