package dev.forumdesk.telegram;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forumdesk.json.Json;

/**
 * Builds Telegram Update JSON the way the Bot API sends it to a forum supergroup. Used by demo
 * mode's simulator, the tests and the benchmarks.
 */
public final class UpdateJson {
  private UpdateJson() {}

  public record Sender(long id, String firstName, String username, String languageCode) {}

  public static String topicCreated(long updateId, long chatId, long threadId, Sender from, String title, long date) {
    ObjectNode m = message(chatId, threadId, threadId, from, date);
    m.putObject("forum_topic_created").put("name", title).put("icon_color", 7322096);
    return wrap(updateId, m);
  }

  public static String text(long updateId, long chatId, long threadId, long messageId, Sender from, String text, long date) {
    ObjectNode m = message(chatId, threadId, messageId, from, date);
    m.put("text", text);
    return wrap(updateId, m);
  }

  public static String topicClosed(long updateId, long chatId, long threadId, long messageId, Sender from, long date) {
    ObjectNode m = message(chatId, threadId, messageId, from, date);
    m.putObject("forum_topic_closed");
    return wrap(updateId, m);
  }

  public static String topicReopened(long updateId, long chatId, long threadId, long messageId, Sender from, long date) {
    ObjectNode m = message(chatId, threadId, messageId, from, date);
    m.putObject("forum_topic_reopened");
    return wrap(updateId, m);
  }

  /** A message in a forum's General topic: no message_thread_id, no is_topic_message. */
  public static String general(long updateId, long chatId, long messageId, Sender from, String text, long date) {
    ObjectNode m = message(chatId, 0, messageId, from, date);
    m.remove("message_thread_id");
    m.remove("is_topic_message");
    m.put("text", text);
    return wrap(updateId, m);
  }

  /** A private message to the bot: the chat is the sender's own (relay mode). */
  public static String privateText(long updateId, long messageId, Sender from, String text, long date) {
    ObjectNode m = message(from.id(), 0, messageId, from, date);
    m.remove("message_thread_id");
    m.remove("is_topic_message");
    m.putObject("chat").put("id", from.id()).put("type", "private").put("first_name", from.firstName());
    m.put("text", text);
    return wrap(updateId, m);
  }

  private static ObjectNode message(long chatId, long threadId, long messageId, Sender from, long date) {
    ObjectNode m = Json.mapper().createObjectNode();
    m.put("message_id", messageId).put("message_thread_id", threadId).put("date", date).put("is_topic_message", true);
    ObjectNode user = m.putObject("from").put("id", from.id()).put("is_bot", false).put("first_name", from.firstName());
    if (from.username() != null) {
      user.put("username", from.username());
    }
    if (from.languageCode() != null) {
      user.put("language_code", from.languageCode());
    }
    m.putObject("chat").put("id", chatId).put("type", "supergroup").put("title", "Support").put("is_forum", true);
    return m;
  }

  private static String wrap(long updateId, ObjectNode message) {
    ObjectNode u = Json.mapper().createObjectNode().put("update_id", updateId);
    u.set("message", message);
    return u.toString();
  }
}
