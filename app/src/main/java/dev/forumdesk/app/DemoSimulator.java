package dev.forumdesk.app;

import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.ingress.Ingress;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.telegram.UpdateJson;
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
          new Sample(5003, "Carlos", null, "es", "La app se cierra al abrirla",
              "Desde ayer la aplicación se cierra cada vez que la abro. ¡Es muy frustrante!"));

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
    // the customers wrote a minute ago and the agent answers now: nothing is dated in the future
    long now = Instant.now().getEpochSecond();
    long asked = now - 60;
    for (Sample s : SAMPLES) {
      long thread = messageId;
      var from = new UpdateJson.Sender(s.userId(), s.first(), s.username(), s.lang());
      ingress.accept(UpdateJson.topicCreated(updateId++, chat, thread, from, s.title(), asked));
      ingress.accept(UpdateJson.text(updateId++, chat, thread, ++messageId, from, s.text(), asked));
      messageId++;
    }
    if (!config.agents().isEmpty()) {
      AgentConfig a = config.agents().getFirst();
      var agent = new UpdateJson.Sender(a.id(), a.name(), a.username(), "en");
      ingress.accept(UpdateJson.text(updateId++, chat, 100, ++messageId, agent,
          "Hi Bob, I am looking into the double charge now.", now));
    }
    return (int) updateId - 1;
  }
}
