package dev.forumdesk.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Telegram's view of our webhook (getWebhookInfo): how many updates it holds for us and the last
 * delivery error. One per process, read by health, the metrics, the monitors and the tickets' late
 * deadlines (HeldByTelegramInbox) through one {@link SharedRead}: one call to Telegram at a time for
 * them all, each waiting a bounded time for it, so a Telegram slow to answer slows none of them down
 * and is not asked once per look.
 */
public final class WebhookInfo {
  /** How long {@link #current()} waits for Telegram (health has 3 s in all for its checks). */
  public static final Duration WAIT_AT_MOST = Duration.ofSeconds(1);

  /**
   * One answer of getWebhookInfo, or why there was none.
   *
   * @param readAt when Telegram gave this answer; empty when it never answered yet
   * @param late the read in flight did not answer within the look's wait: this is Telegram's last
   *     answer (read {@code readAt}), or, with none, an unreachable snapshot saying so
   */
  public record Snapshot(
      boolean reachable,
      Optional<String> url,
      long pendingUpdateCount,
      Optional<Instant> lastErrorDate,
      Optional<String> lastErrorMessage,
      Optional<String> error,
      Optional<Instant> readAt,
      boolean late) {
    Snapshot markedLate() {
      return new Snapshot(reachable, url, pendingUpdateCount, lastErrorDate, lastErrorMessage, error, readAt, true);
    }
  }

  private final TelegramGateway telegram;
  private final Duration cacheFor;
  private final SharedRead<Snapshot> read;

  /** @param cacheFor how old an answer {@link #current()} accepts */
  public WebhookInfo(TelegramGateway telegram, Duration cacheFor) {
    this(telegram, cacheFor, Clock.systemUTC());
  }

  public WebhookInfo(TelegramGateway telegram, Duration cacheFor, Clock clock) {
    this.telegram = telegram;
    this.cacheFor = cacheFor;
    this.read = new SharedRead<>(() -> ask(clock), clock, "telegram-webhook-info");
  }

  /** The next look asks Telegram: something changed its answer (our setWebhook). */
  public void refresh() {
    read.expire();
  }

  /**
   * Telegram's answer at most {@code cacheFor} old, waited for {@link #WAIT_AT_MOST} at most: else the
   * last answer marked {@link Snapshot#late()}, or an unreachable one when Telegram never answered.
   */
  public Snapshot current() {
    SharedRead.Answer<Snapshot> a = read(cacheFor, WAIT_AT_MOST);
    if (!a.late()) {
      return a.reading().orElseThrow().value();
    }
    return a.reading().map(r -> r.value().markedLate()).orElseGet(() -> new Snapshot(false, Optional.empty(), 0,
        Optional.empty(), Optional.empty(),
        Optional.of("getWebhookInfo did not answer within " + WAIT_AT_MOST.toSeconds() + " s, nor before"),
        Optional.empty(), true));
  }

  /** The shared read itself, for a reader with its own freshness and wait (HeldByTelegramInbox). */
  public SharedRead.Answer<Snapshot> read(Duration freshFor, Duration waitAtMost) {
    return read.get(freshFor, waitAtMost);
  }

  private Snapshot ask(Clock clock) {
    SendOutcome outcome;
    try {
      outcome = telegram.call("getWebhookInfo", Json.mapper().createObjectNode());
    } catch (RuntimeException e) {
      return unreachable(withoutToken("getWebhookInfo: " + readable(e.toString())));
    }
    if (outcome instanceof SendOutcome.Sent sent && sent.result() != null) {
      JsonNode r = sent.result();
      return new Snapshot(
          true,
          Optional.of(r.path("url").asText("")),
          r.path("pending_update_count").asLong(),
          r.has("last_error_date") ? Optional.of(Instant.ofEpochSecond(r.path("last_error_date").asLong())) : Optional.empty(),
          r.has("last_error_message") ? Optional.of(r.path("last_error_message").asText()) : Optional.empty(),
          Optional.empty(),
          Optional.of(clock.instant()),
          false);
    }
    // the outcome's description is already redacted by the Telegram client
    return unreachable(sentence(outcome));
  }

  /**
   * Why Telegram was not read, as health shows it: "getWebhookInfo: 502 Bad Gateway", "getWebhookInfo:
   * no answer within 10 s", not the outcome's record (audit 21b F4).
   */
  private String sentence(SendOutcome outcome) {
    return switch (outcome) {
      case SendOutcome.Transient t -> readable(t.description());
      case SendOutcome.Rejected r -> r.description();
      case SendOutcome.RetryAfter r -> r.description() + " (asked to wait " + r.seconds() + " s)";
      case SendOutcome.Sent s -> "getWebhookInfo: an answer without a result";
    };
  }

  /** The HTTP client's exceptions in words: a timeout, a refused connection, an unknown host. */
  private String readable(String description) {
    String within = telegram.timeout().map(t -> "no answer within " + t.toSeconds() + " s").orElse("no answer in time");
    return description
        .replaceAll("java\\.(io\\.InterruptedIOException|net\\.SocketTimeoutException): (timeout|[Rr]ead timed out)", within)
        .replaceAll("java\\.net\\.ConnectException: Failed to connect to (?:\\S*/)?(\\S+)", "connection refused ($1)")
        .replaceAll("java\\.net\\.UnknownHostException: (\\S+?)(?::.*)?$", "unknown host $1")
        .replaceAll("(?:[a-z][a-z0-9_]*\\.)+([A-Z]\\w*(?:Exception|Error)): ", "$1: ");
  }

  private static Snapshot unreachable(String error) {
    return new Snapshot(false, Optional.empty(), 0, Optional.empty(), Optional.empty(), Optional.of(error),
        Optional.empty(), false);
  }

  /** A bot token in a message (an API address in an exception's text) never reaches the log or health. */
  public static String withoutToken(String text) {
    return text.replaceAll("bot\\d+:[A-Za-z0-9_-]+", "bot<token>");
  }
}
