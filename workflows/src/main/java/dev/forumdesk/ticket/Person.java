package dev.forumdesk.ticket;

/** A Telegram user as the ticket knows them. */
public record Person(long id, String name, String username) {
  public String handle() {
    return username == null || username.isBlank() ? name : "@" + username;
  }

  /** Whether {@code named} ("alice", "@Alice") names {@code username}, in any case. */
  public static boolean isUsername(String username, String named) {
    String n = named.startsWith("@") ? named.substring(1) : named;
    return username != null && !n.isEmpty() && username.equalsIgnoreCase(n);
  }

  /** An HTML mention that notifies the user: @username, or a tg://user link when there is none. */
  public String mention() {
    if (username != null && !username.isBlank()) {
      return "@" + username;
    }
    return "<a href=\"tg://user?id=" + id + "\">" + Html.escape(name) + "</a>";
  }
}
