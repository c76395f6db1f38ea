package dev.forumdesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.SendOutcome;
import dev.forumdesk.telegram.TelegramGateway;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Demo mode's Telegram: no call leaves the machine; bot messages are written to the log so a
 * newcomer sees what the bot would have said.
 */
final class DemoTelegram implements TelegramGateway {
  private static final Logger log = LoggerFactory.getLogger("forumdesk.demo.telegram");
  private final AtomicLong ids = new AtomicLong(1_000_000);

  @Override
  public SendOutcome call(String method, JsonNode params) {
    long id = ids.incrementAndGet();
    ObjectNode result = Json.mapper().createObjectNode();
    switch (method) {
      case "sendMessage" -> {
        log.info("[demo bot → chat {} topic {}] {}", params.path("chat_id").asText(),
            params.path("message_thread_id").asText("-"), params.path("text").asText());
        result.put("message_id", id);
      }
      case "createForumTopic" -> {
        log.info("[demo bot] create topic '{}' in chat {}", params.path("name").asText(),
            params.path("chat_id").asText());
        result.put("message_thread_id", id);
        result.put("name", params.path("name").asText());
      }
      case "getWebhookInfo" -> result.put("pending_update_count", 0).put("url", "");
      default -> log.info("[demo bot] {} {}", method, params);
    }
    return new SendOutcome.Sent(result);
  }
}
