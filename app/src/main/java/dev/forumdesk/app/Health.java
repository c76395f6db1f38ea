package dev.forumdesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.config.Settings;
import dev.forumdesk.observe.ObserveService.Check;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.telegram.SendOutcome;
import dev.forumdesk.telegram.TelegramGateway;
import dev.forumdesk.json.Json;
import dev.forumdesk.worker.TemporalConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The checks behind /observe/health: Temporal, database, inbox, outbox, Telegram webhook. */
final class Health {
  private static final Duration TELEGRAM_CACHE = Duration.ofSeconds(30);

  private final TemporalConnection temporal;
  private final Database database;
  private final Inbox inbox;
  private final Outbox outbox;
  private final TelegramGateway telegram;
  private final Settings settings;
  private volatile Check.Result telegramResult;
  private volatile Instant telegramCheckedAt = Instant.EPOCH;

  Health(TemporalConnection temporal, Database database, Inbox inbox, Outbox outbox,
      TelegramGateway telegram, Settings settings) {
    this.temporal = temporal;
    this.database = database;
    this.inbox = inbox;
    this.outbox = outbox;
    this.telegram = telegram;
    this.settings = settings;
  }

  List<Check> checks() {
    return List.of(
        check("temporal", () -> new Check.Result(temporal.healthy(), Map.of())),
        check("database", () -> new Check.Result(database.ping(),
            Map.of("kind", database.isEmbedded() ? "h2" : "postgresql"))),
        check("inbox", this::inbox),
        check("outbox", () -> new Check.Result(true, Map.of("backlog", outbox.backlog()))),
        check("telegram", this::telegram));
  }

  private Check.Result inbox() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("backlog", inbox.backlog());
    details.put("oldestPendingSeconds",
        inbox.oldestPending().map(t -> Duration.between(t, Instant.now()).toSeconds()).orElse(0L));
    return new Check.Result(true, details);
  }

  /** getWebhookInfo, cached: health may be polled every few seconds. */
  private Check.Result telegram() {
    if (settings.demo()) {
      return new Check.Result(true, Map.of("mode", "demo"));
    }
    if (Duration.between(telegramCheckedAt, Instant.now()).compareTo(TELEGRAM_CACHE) < 0 && telegramResult != null) {
      return telegramResult;
    }
    SendOutcome outcome = telegram.call("getWebhookInfo", Json.mapper().createObjectNode());
    Map<String, Object> details = new LinkedHashMap<>();
    boolean up = outcome instanceof SendOutcome.Sent;
    if (outcome instanceof SendOutcome.Sent sent && sent.result() != null) {
      JsonNode r = sent.result();
      details.put("mode", settings.webhookUrl().isPresent() ? "webhook" : "polling");
      details.put("pendingUpdateCount", r.path("pending_update_count").asLong());
      if (r.has("last_error_date")) {
        details.put("lastErrorDate", Instant.ofEpochSecond(r.path("last_error_date").asLong()).toString());
        details.put("lastErrorMessage", r.path("last_error_message").asText());
      }
    } else {
      details.put("error", outcome.toString());
    }
    telegramResult = new Check.Result(up, details);
    telegramCheckedAt = Instant.now();
    return telegramResult;
  }

  private static Check check(String name, Supplier<Check.Result> body) {
    return new Check() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Result check() {
        return body.get();
      }
    };
  }
}
