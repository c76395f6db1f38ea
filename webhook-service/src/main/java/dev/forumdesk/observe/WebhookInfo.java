package dev.forumdesk.observe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.SendOutcome;
import dev.forumdesk.telegram.TelegramGateway;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Telegram's view of our webhook (getWebhookInfo): how many updates it holds for us and the last
 * delivery error. Cached, because health may be polled every few seconds and the monitor too.
 */
public final class WebhookInfo {
  /** One answer of getWebhookInfo, or why there was none. */
  public record Snapshot(
      boolean reachable,
      Optional<String> url,
      long pendingUpdateCount,
      Optional<Instant> lastErrorDate,
      Optional<String> lastErrorMessage,
      Optional<String> error) {}

  private final TelegramGateway telegram;
  private final Duration cacheFor;
  private volatile Snapshot last;
  private volatile Instant fetchedAt = Instant.EPOCH;

  public WebhookInfo(TelegramGateway telegram, Duration cacheFor) {
    this.telegram = telegram;
    this.cacheFor = cacheFor;
  }

  /** The next {@link #current()} asks Telegram: something changed its answer (our setWebhook). */
  public void refresh() {
    fetchedAt = Instant.EPOCH;
  }

  public Snapshot current() {
    Snapshot s = last;
    if (s != null && Duration.between(fetchedAt, Instant.now()).compareTo(cacheFor) < 0) {
      return s;
    }
    SendOutcome outcome = telegram.call("getWebhookInfo", Json.mapper().createObjectNode());
    if (outcome instanceof SendOutcome.Sent sent && sent.result() != null) {
      JsonNode r = sent.result();
      s = new Snapshot(
          true,
          Optional.of(r.path("url").asText("")),
          r.path("pending_update_count").asLong(),
          r.has("last_error_date") ? Optional.of(Instant.ofEpochSecond(r.path("last_error_date").asLong())) : Optional.empty(),
          r.has("last_error_message") ? Optional.of(r.path("last_error_message").asText()) : Optional.empty(),
          Optional.empty());
    } else {
      // the outcome's description is already redacted by the Telegram client
      s = new Snapshot(false, Optional.empty(), 0, Optional.empty(), Optional.empty(), Optional.of(outcome.toString()));
    }
    last = s;
    fetchedAt = Instant.now();
    return s;
  }
}
