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

  /** Now as an update's {@code date}: Unix time in seconds. */
  public static long now() {
    return System.currentTimeMillis() / 1000;
  }

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

  /**
   * A text message as Telegram sends it in a topic it is not replying in: {@code reply_to_message} is
   * the topic's creation message (message id = thread id), which carries {@code forum_topic_created}
   * with the topic's name as created.
   */
  public static String textInTopic(long updateId, long chatId, long threadId, long messageId, Sender from,
      String topicName, String text, long date) {
    ObjectNode m = message(chatId, threadId, messageId, from, date);
    m.put("text", text);
    ObjectNode created = message(chatId, threadId, threadId, from, date);
    created.putObject("forum_topic_created").put("name", topicName).put("icon_color", 7322096);
    m.set("reply_to_message", created);
    return wrap(updateId, m);
  }

  /**
   * A text message replying to message {@code repliedTo} of the topic: {@code reply_to_message} is that
   * message (text {@code repliedText}), not the topic's creation message.
   */
  public static String replyInTopic(long updateId, long chatId, long threadId, long messageId, Sender from,
      long repliedTo, String repliedText, String text, long date) {
    ObjectNode m = message(chatId, threadId, messageId, from, date);
    m.put("text", text);
    m.set("reply_to_message", message(chatId, threadId, repliedTo, from, date).put("text", repliedText));
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

  /** forum_topic_edited: the topic renamed ({@code name}), or only its icon changed (null). */
  public static String topicEdited(long updateId, long chatId, long threadId, long messageId, Sender from, String name,
      long date) {
    ObjectNode m = message(chatId, threadId, messageId, from, date);
    ObjectNode edited = m.putObject("forum_topic_edited");
    if (name == null) {
      edited.put("icon_custom_emoji_id", "5312536423851630001");
    } else {
      edited.put("name", name);
    }
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
    ObjectNode m = privateMessage(messageId, from, date);
    m.put("text", text);
    return wrap(updateId, m);
  }

  /**
   * A private message carrying media (relay mode): {@code kind} is Telegram's field, "photo", "sticker",
   * "document", "voice"...; {@code caption} may be null (a sticker has none).
   */
  public static String privateMedia(long updateId, long messageId, Sender from, String kind, String caption, long date) {
    ObjectNode m = privateMessage(messageId, from, date);
    media(m, kind, caption);
    return wrap(updateId, m);
  }

  /** A private text message the sender edited: an update of its own with {@code edited_message}. */
  public static String privateEdited(long updateId, long messageId, Sender from, String text, long date, long editDate) {
    ObjectNode m = privateMessage(messageId, from, date);
    m.put("edit_date", editDate);
    m.put("text", text);
    ObjectNode u = Json.mapper().createObjectNode().put("update_id", updateId);
    u.set("edited_message", m);
    return u.toString();
  }

  /** A topic message carrying media, as {@link #privateMedia}. */
  public static String topicMedia(long updateId, long chatId, long threadId, long messageId, Sender from, String kind,
      String caption, long date) {
    ObjectNode m = message(chatId, threadId, messageId, from, date);
    media(m, kind, caption);
    return wrap(updateId, m);
  }

  private static ObjectNode privateMessage(long messageId, Sender from, long date) {
    ObjectNode m = message(from.id(), 0, messageId, from, date);
    m.remove("message_thread_id");
    m.remove("is_topic_message");
    m.putObject("chat").put("id", from.id()).put("type", "private").put("first_name", from.firstName());
    return m;
  }

  /** The Bot API's shapes, trimmed to what identifies a file: PhotoSize[], Sticker, Document, Voice. */
  private static void media(ObjectNode m, String kind, String caption) {
    String fileId = "file-" + kind + "-" + m.path("message_id").asLong();
    switch (kind) {
      case "photo" -> m.putArray("photo").addObject().put("file_id", fileId).put("file_unique_id", fileId)
          .put("width", 1280).put("height", 960).put("file_size", 104_857);
      case "sticker" -> m.putObject("sticker").put("file_id", fileId).put("file_unique_id", fileId)
          .put("type", "regular").put("width", 512).put("height", 512).put("is_animated", false)
          .put("is_video", false).put("emoji", "👍");
      case "voice" -> m.putObject("voice").put("file_id", fileId).put("file_unique_id", fileId).put("duration", 4)
          .put("mime_type", "audio/ogg");
      default -> m.putObject(kind).put("file_id", fileId).put("file_unique_id", fileId).put("file_name", "receipt.pdf")
          .put("mime_type", "application/pdf");
    }
    if (caption != null) {
      m.put("caption", caption);
    }
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
