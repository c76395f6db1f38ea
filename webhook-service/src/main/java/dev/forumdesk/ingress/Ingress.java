package dev.forumdesk.ingress;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.forumdesk.json.Json;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.telegram.Update;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one entrance for Telegram updates (webhook, long polling, demo simulator): parse, classify,
 * store durably in the inbox. Returns only after the row is committed.
 */
public final class Ingress {
  private static final Logger log = LoggerFactory.getLogger(Ingress.class);

  /** Outcome of accepting one update body. */
  public enum Result {
    STORED,
    DUPLICATE,
    IGNORED,
    MALFORMED,
    /** The inbox holds more undelivered updates than configured: refuse so Telegram keeps it. */
    BACKLOG_FULL
  }

  private final Inbox inbox;
  private final UpdateClassifier classifier;
  /** {@code forumdesk_updates_total} by result, registered at 0 so an alert on their increase sees 0, not no data. */
  private final Map<Result, Counter> counted = new EnumMap<>(Result.class);
  /** Updates answered 503 because the inbox could not store them: Telegram retries, and may give up. */
  private final Counter unavailable;
  /** Webhook calls refused before reading them: a wrong or missing secret (401), a source outside the allowed networks (403). */
  private final Counter unauthorized;
  private final Counter forbidden;
  /** Webhook calls whose body was over the 1 MiB limit (413): not read, nothing stored. */
  private final Counter tooLarge;
  /** Webhook calls whose connection closed before their body was whole: no update, nobody left to answer. */
  private final Counter aborted;
  private final Runnable onStored;
  private final long maxBacklog;
  private final Timer storeTimer;
  /**
   * The backlog as last counted plus what was stored since, and when it was counted: counting on
   * every update put a scan of the whole backlog on the ack's path. Deliveries since the count
   * are not subtracted, so between counts it errs on the side of refusing.
   */
  private final AtomicLong backlog = new AtomicLong();
  private final AtomicLong backlogCountedAt = new AtomicLong();
  /**
   * How long a customer's private message waits in the inbox before it is relayed: long enough for
   * the rest of a burst, sent over Telegram's parallel webhook connections, to arrive.
   */
  static final Duration RELAY_SETTLE = Duration.ofMillis(500);
  private static final long BACKLOG_RECOUNT_NANOS = 200_000_000L;

  public Ingress(Inbox inbox, UpdateClassifier classifier, MeterRegistry metrics, Runnable onStored) {
    this(inbox, classifier, metrics, onStored, Long.MAX_VALUE);
  }

  /**
   * @param maxBacklog undelivered updates the inbox absorbs (e.g. while Temporal is down) before
   *     new ticket updates are refused; Telegram then holds and retries them itself
   */
  public Ingress(
      Inbox inbox, UpdateClassifier classifier, MeterRegistry metrics, Runnable onStored, long maxBacklog) {
    this.maxBacklog = maxBacklog;
    this.inbox = inbox;
    this.classifier = classifier;
    for (Result r : Result.values()) {
      counted.put(r, updates(metrics, r.name().toLowerCase()));
    }
    this.unavailable = updates(metrics, "unavailable");
    this.unauthorized = updates(metrics, "unauthorized");
    this.forbidden = updates(metrics, "forbidden");
    this.tooLarge = updates(metrics, "too_large");
    this.aborted = updates(metrics, "aborted");
    this.onStored = onStored;
    this.storeTimer = Timer.builder("forumdesk_webhook_store")
        .description("parse, classify and commit one update to the inbox: the webhook's part of the ack")
        .publishPercentiles(0.5, 0.99)
        .register(metrics);
  }

  private static Counter updates(MeterRegistry metrics, String result) {
    return Counter.builder("forumdesk_updates_total").tag("result", result)
        .description("webhook calls by result: stored, duplicate, ignored, malformed, backlog_full, unavailable (503),"
            + " unauthorized (wrong secret, 401), forbidden (source outside TELEGRAM_ALLOWED_CIDRS, 403),"
            + " too_large (body over 1 MiB, 413), aborted (the connection closed before the body was whole)")
        .register(metrics);
  }

  /** A webhook call refused for a missing or wrong secret token (401): after a rotated secret, every update. */
  public void refusedUnauthorized() {
    unauthorized.increment();
  }

  /** A webhook call refused for its source address (403). */
  public void refusedForbidden() {
    forbidden.increment();
  }

  /** A webhook call refused for a body over the limit (413): Telegram never sends one, a misbehaving proxy may. */
  public void refusedTooLarge() {
    tooLarge.increment();
  }

  /** A webhook call whose connection closed or broke before its body was whole: a client or proxy gone, not a large body. */
  public void aborted() {
    aborted.increment();
  }

  /**
   * Telegram's Update, read strictly where leniency would lose one: text after the JSON is no
   * update, and an update_id of 2.7 is no id (read as 2, the real update 2 was dropped as its
   * duplicate). Unknown fields stay welcome: Telegram adds them.
   */
  private static final com.fasterxml.jackson.databind.ObjectReader UPDATES = Json.mapper().readerFor(Update.class)
      .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .without(com.fasterxml.jackson.databind.DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  /**
   * @throws RuntimeException when the inbox cannot store the update (the caller answers 503)
   */
  public Result accept(String body) {
    try {
      Result result = storeTimer.record(() -> acceptTimed(body));
      counted.get(result).increment();
      return result;
    } catch (RuntimeException e) {
      unavailable.increment();
      throw e;
    }
  }

  private Result acceptTimed(String body) {
    Update update;
    try {
      update = UPDATES.readValue(body);
    } catch (JsonProcessingException e) {
      log.info("refused a malformed update: {}", e.getOriginalMessage());
      return Result.MALFORMED;
    } catch (IllegalArgumentException e) {
      log.info("refused a malformed update: {}", e.getMessage());
      return Result.MALFORMED;
    }
    if (update == null || update.updateId() == null) {
      log.info("refused an update without update_id");
      return Result.MALFORMED;
    }
    String stored = ReceivedUpdate.normalised(update, body, java.time.Instant.now());
    if (!stored.equals(body)) {
      update = Json.read(stored, Update.class); // as every later reading of the stored update sees it
    }
    Classified c = classifier.classify(update);
    Optional<String> ticket = c.ticket();
    if (ticket.isPresent() && maxBacklog != Long.MAX_VALUE && overBacklog()
        && !inbox.contains(update.updateId())) { // a redelivery of a stored update is still a 200
      log.warn("inbox backlog at its limit of {}: refusing update {} so Telegram retries it later",
          maxBacklog, update.updateId());
      return Result.BACKLOG_FULL;
    }
    // a burst of a customer's private messages reaches the bot over several connections at once:
    // held back a moment, they are all in the inbox to be relayed in order
    boolean added = inbox.append(update.updateId(), ticket, c.kind(), stored,
        c instanceof Classified.RelayIn ? RELAY_SETTLE : Duration.ZERO);
    Result result;
    if (!added) {
      result = Result.DUPLICATE;
    } else if (ticket.isEmpty()) {
      log.debug("ignored update {} ({})", update.updateId(), c.kind());
      result = Result.IGNORED;
    } else {
      result = Result.STORED;
      backlog.incrementAndGet();
      onStored.run();
    }
    return result;
  }

  /**
   * Whether the inbox is at its cap. The backlog is counted again at most every 200 ms (by one
   * caller; the others go on), and once more before refusing, so a refusal is always exact.
   */
  private boolean overBacklog() {
    long now = System.nanoTime();
    long last = backlogCountedAt.get();
    if ((last == 0 || now - last >= BACKLOG_RECOUNT_NANOS) && backlogCountedAt.compareAndSet(last, now)) {
      backlog.set(inbox.backlog());
    }
    if (backlog.get() < maxBacklog) {
      return false;
    }
    backlog.set(inbox.backlog());
    return backlog.get() >= maxBacklog;
  }
}
