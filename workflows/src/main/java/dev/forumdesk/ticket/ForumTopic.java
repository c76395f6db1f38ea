package dev.forumdesk.ticket;

/**
 * A topic of a forum group: where a message is posted. A command names the one it was typed in
 * when that is not its ticket's own topic (a Level 2 topic), so that it is answered there.
 */
public record ForumTopic(long chatId, long threadId) {
  /** A link agents can open: t.me/c/<internal id>/<thread> for a -100… supergroup. */
  public String url() {
    String id = String.valueOf(chatId);
    String internal = id.startsWith("-100") ? id.substring(4) : id.replace("-", "");
    return "https://t.me/c/" + internal + "/" + threadId;
  }

  /**
   * The topic's title as a link to it (Telegram HTML): what messages name a ticket by, not its id.
   * At a topic name's most, 128, as what goes before a notice's own words.
   */
  public String link(String title) {
    return "<a href=\"" + url() + "\">" + Html.escape(dev.forumdesk.text.Cut.to(title, 128)) + "</a>";
  }
}
