package dev.forumdesk.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.telegram.SendOutcome;
import dev.forumdesk.telegram.TelegramGateway;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long polling (getUpdates) for bots without a public webhook URL. Every update goes through the
 * same {@link Ingress} as the webhook; the offset confirms only updates the inbox already holds.
 */
public final class UpdatePoller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UpdatePoller.class);

  private final TelegramGateway telegram;
  private final Ingress ingress;
  private final Inbox inbox;
  private final List<String> allowedUpdates;
  private final Thread thread;
  private volatile boolean running = true;

  public UpdatePoller(TelegramGateway telegram, Ingress ingress, Inbox inbox, List<String> allowedUpdates) {
    this.allowedUpdates = List.copyOf(allowedUpdates);
    this.telegram = telegram;
    this.ingress = ingress;
    this.inbox = inbox;
    this.thread = Thread.ofPlatform().name("telegram-poller").daemon().unstarted(this::loop);
  }

  public UpdatePoller start() {
    thread.start();
    return this;
  }

  private void loop() {
    long offset = inbox.lastUpdateId() + 1;
    Duration pause = Duration.ofSeconds(1);
    while (running) {
      ObjectNode params = Json.mapper().createObjectNode();
      params.put("offset", offset);
      params.put("timeout", 25);
      params.set("allowed_updates", Json.mapper().valueToTree(allowedUpdates));
      SendOutcome outcome = telegram.call("getUpdates", params);
      if (outcome instanceof SendOutcome.Sent sent && sent.result() != null && sent.result().isArray()) {
        try {
          for (JsonNode update : sent.result()) {
            if (ingress.accept(update.toString()) == Ingress.Result.BACKLOG_FULL) {
              sleep(Duration.ofSeconds(5)); // not confirmed: fetched again once the backlog drains
              break;
            }
            offset = Math.max(offset, update.path("update_id").asLong() + 1);
          }
          pause = Duration.ofSeconds(1);
        } catch (RuntimeException e) {
          log.warn("inbox unavailable while polling; the same updates will be fetched again: {}", e.toString());
          sleep(pause);
        }
      } else {
        log.warn("getUpdates failed: {}", outcome);
        sleep(pause);
        pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : pause.multipliedBy(2);
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
