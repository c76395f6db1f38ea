package dev.forumdesk.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.ingress.Ingress;
import dev.forumdesk.json.Json;
import dev.forumdesk.store.Inbox;
import java.time.Instant;
import java.util.List;

/**
 * Demo mode's customers: on a fresh data dir, opens a few sample topics through the same ingress
 * as real updates, and lets the first agent answer one of them.
 */
final class DemoSimulator {
  private record Sample(long userId, String first, String username, String lang, String title, String text) {}

  private static final List<Sample> SAMPLES =
      List.of(
          new Sample(5001, "Bob", "bob", "en", "Refund for order 7",
              "Hi, I was charged twice for order 7. Can I get a refund?"),
          new Sample(5002, "Ольга", "olga", "ru", "Не могу войти",
              "Здравствуйте! После обновления не могу войти в аккаунт, пишет ошибку."),
          new Sample(5003, "Carlos", null, "es", "App crashes on start",
              "The app crashes every time I open it since yesterday. This is really frustrating!"));

  private final Ingress ingress;
  private final Inbox inbox;
  private final ForumdeskConfig config;

  DemoSimulator(Ingress ingress, Inbox inbox, ForumdeskConfig config) {
    this.ingress = ingress;
    this.inbox = inbox;
    this.config = config;
  }

  /** @return how many updates were fed (none when the data dir already has history) */
  int feedOnce() {
    if (inbox.lastUpdateId() > 0) {
      return 0;
    }
    long chat = config.support().chatId();
    long updateId = 1;
    long messageId = 100;
    long now = Instant.now().getEpochSecond();
    int fed = 0;
    for (Sample s : SAMPLES) {
      long thread = messageId;
      ObjectNode from = user(s.userId(), s.first(), s.username(), s.lang());
      ObjectNode created = message(chat, thread, thread, now, from);
      created.putObject("forum_topic_created").put("name", s.title()).put("icon_color", 7322096);
      ingress.accept(update(updateId++, created));
      ObjectNode text = message(chat, thread, ++messageId, now, from);
      text.put("text", s.text());
      ingress.accept(update(updateId++, text));
      messageId++;
      fed += 2;
    }
    if (!config.agents().isEmpty()) {
      AgentConfig a = config.agents().getFirst();
      ObjectNode reply = message(chat, 100, ++messageId, now + 60, user(a.id(), a.name(), a.username(), "en"));
      reply.put("text", "Hi Bob, I am looking into the double charge now.");
      ingress.accept(update(updateId, reply));
      fed++;
    }
    return fed;
  }

  private static ObjectNode user(long id, String first, String username, String lang) {
    ObjectNode u = Json.mapper().createObjectNode().put("id", id).put("is_bot", false).put("first_name", first);
    if (username != null) {
      u.put("username", username);
    }
    return u.put("language_code", lang);
  }

  private static ObjectNode message(long chat, long thread, long id, long date, ObjectNode from) {
    ObjectNode m = Json.mapper().createObjectNode();
    m.put("message_id", id).put("message_thread_id", thread).put("date", date).put("is_topic_message", true);
    m.set("from", from);
    m.putObject("chat").put("id", chat).put("type", "supergroup").put("title", "Support").put("is_forum", true);
    return m;
  }

  private static String update(long id, ObjectNode message) {
    ObjectNode u = Json.mapper().createObjectNode().put("update_id", id);
    u.set("message", message);
    return u.toString();
  }
}
