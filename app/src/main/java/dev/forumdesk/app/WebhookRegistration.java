package dev.forumdesk.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forumdesk.config.Settings;
import dev.forumdesk.config.ConfigException;
import dev.forumdesk.config.OperationsConfig;
import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.SendOutcome;
import dev.forumdesk.telegram.TelegramGateway;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start: setWebhook with the secret when a public URL is set, else deleteWebhook and poll; and
 * the same setWebhook again when someone else changed or removed it ({@link WebhookWatch}).
 */
final class WebhookRegistration {
  private static final Logger log = LoggerFactory.getLogger(WebhookRegistration.class);

  private final TelegramGateway telegram;
  private final Settings settings;
  private final OperationsConfig ops;
  /** Told when setWebhook got through (health's cached getWebhookInfo asks again). */
  private final Runnable registered;

  WebhookRegistration(TelegramGateway telegram, Settings settings, OperationsConfig ops, Runnable registered) {
    this.telegram = telegram;
    this.settings = settings;
    this.ops = ops;
    this.registered = registered;
    ops.webhookPathSecret().ifPresent(segment -> {
      if (settings.webhookUrl().isPresent() && !settings.webhookUrl().get().endsWith("/" + segment)) {
        // Telegram would post to a path we do not serve: fail at start, not silently later
        throw new ConfigException("TELEGRAM_WEBHOOK_URL must end with /<webhook.path-secret> when webhook.path-secret is set");
      }
    });
  }

  /** Backoff of the background setWebhook retries: 1 s doubling to a minute. */
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofMinutes(1);

  private void retry(ObjectNode params) {
    Duration wait = FIRST_RETRY;
    try {
      do {
        Thread.sleep(wait);
        wait = wait.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait.multipliedBy(2);
      } while (!setWebhook(params) && !refused);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Set when Telegram refused setWebhook for good (400, 401): retrying cannot help. */
  private volatile boolean refused;

  private boolean setWebhook(ObjectNode params) {
    SendOutcome outcome = call(params);
    if (outcome instanceof SendOutcome.Sent) {
      return true;
    }
    refused = outcome instanceof SendOutcome.Rejected;
    log.error("setWebhook failed, Telegram will not deliver updates until it works{}: {}",
        refused ? " (refused: fix the URL or token and restart)" : "; retrying", outcome);
    return false;
  }

  private SendOutcome call(ObjectNode params) {
    SendOutcome outcome = telegram.call("setWebhook", params);
    if (outcome instanceof SendOutcome.Sent) {
      // the URL may end with the path secret: log only where it points, not the whole path
      log.info("webhook registered at {} (allowed_updates {}, max_connections {})",
          java.net.URI.create(settings.webhookUrl().get()).getHost(), ops.allowedUpdates(), ops.maxConnections());
      registered.run();
    }
    return outcome;
  }

  /** Our webhook, as at start (same URL, secret token, allowed updates); the caller logs a failure. */
  SendOutcome registerAgain() {
    return call(webhookParams());
  }

  private ObjectNode webhookParams() {
    ObjectNode params = Json.mapper().createObjectNode();
    params.put("url", settings.webhookUrl().get());
    params.put("secret_token", settings.webhookSecret().orElseThrow());
    params.put("max_connections", ops.maxConnections());
    params.set("allowed_updates", Json.mapper().valueToTree(ops.allowedUpdates()));
    return params;
  }

  /** @return a marker when the caller should long-poll instead of receiving webhooks */
  Optional<Boolean> register() {
    if (settings.webhookUrl().isPresent()) {
      ObjectNode params = webhookParams();
      if (!setWebhook(params)) {
        // Telegram down or slow at our start: keep trying in the background; health says DOWN
        // meanwhile (getWebhookInfo has no URL), and updates Telegram holds arrive once it works
        Thread.ofVirtual().name("forumdesk-set-webhook").start(() -> retry(params));
      }
      return Optional.empty();
    }
    SendOutcome outcome = telegram.call("deleteWebhook", Json.mapper().createObjectNode());
    if (!(outcome instanceof SendOutcome.Sent)) {
      log.warn("deleteWebhook failed (polling may get 409 while a webhook is set): {}", outcome);
    }
    log.info("no TELEGRAM_WEBHOOK_URL: receiving updates by long polling");
    return Optional.of(true);
  }
}
