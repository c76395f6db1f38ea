package dev.forumdesk.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forumdesk.config.Settings;
import dev.forumdesk.ingress.UpdatePoller;
import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.SendOutcome;
import dev.forumdesk.telegram.TelegramGateway;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** At start: setWebhook with the secret when a public URL is set, else deleteWebhook and poll. */
final class WebhookRegistration {
  private static final Logger log = LoggerFactory.getLogger(WebhookRegistration.class);

  private final TelegramGateway telegram;
  private final Settings settings;

  WebhookRegistration(TelegramGateway telegram, Settings settings) {
    this.telegram = telegram;
    this.settings = settings;
  }

  /** @return a marker when the caller should long-poll instead of receiving webhooks */
  Optional<Boolean> register() {
    ObjectNode params = Json.mapper().createObjectNode();
    if (settings.webhookUrl().isPresent()) {
      params.put("url", settings.webhookUrl().get());
      params.put("secret_token", settings.webhookSecret().orElseThrow());
      params.put("max_connections", 40);
      params.set("allowed_updates", Json.mapper().valueToTree(UpdatePoller.ALLOWED_UPDATES));
      SendOutcome outcome = telegram.call("setWebhook", params);
      if (outcome instanceof SendOutcome.Sent) {
        log.info("webhook registered at {}", settings.webhookUrl().get());
      } else {
        log.error("setWebhook failed, Telegram will not deliver updates until fixed: {}", outcome);
      }
      return Optional.empty();
    }
    SendOutcome outcome = telegram.call("deleteWebhook", params);
    if (!(outcome instanceof SendOutcome.Sent)) {
      log.warn("deleteWebhook failed (polling may get 409 while a webhook is set): {}", outcome);
    }
    log.info("no TELEGRAM_WEBHOOK_URL: receiving updates by long polling");
    return Optional.of(true);
  }
}
