package dev.forumdesk.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.telegram.SendOutcome;
import dev.forumdesk.telegram.TelegramGateway;
import io.micrometer.core.instrument.MeterRegistry;
import dev.forumdesk.retry.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way bot messages leave: a single thread that takes due outbox rows (most urgent first),
 * spends rate-limit tokens, calls Telegram and records the outcome on the row.
 */
public final class OutboxSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutboxSender.class);
  private static final Duration IDLE_POLL = Duration.ofMillis(100);
  private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofMinutes(5));

  private final Outbox outbox;
  private final TelegramGateway telegram;
  private final RateLimits limits;
  private final MeterRegistry metrics;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile BiConsumer<OutboxRow, String> onRejected = (row, reason) -> {};

  public OutboxSender(
      Outbox outbox, TelegramGateway telegram, RateLimits limits, MeterRegistry metrics) {
    this.outbox = outbox;
    this.telegram = telegram;
    this.limits = limits;
    this.metrics = metrics;
    this.thread = Thread.ofPlatform().name("outbox-sender").daemon().unstarted(this::loop);
  }

  public OutboxSender start() {
    thread.start();
    return this;
  }

  /** Told about every message Telegram refused for good (e.g. to send a DM's fallback). */
  public OutboxSender onRejected(BiConsumer<OutboxRow, String> listener) {
    this.onRejected = listener;
    return this;
  }

  /** Called after an enqueue so a new message does not wait for the next poll. */
  public void wake() {
    LockSupport.unpark(thread);
  }

  private void loop() {
    while (running) {
      try {
        if (sendDue() == 0) {
          LockSupport.parkNanos(IDLE_POLL.toNanos());
        }
      } catch (RuntimeException e) {
        log.warn("outbox pass failed, retrying: {}", e.toString());
        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
      }
    }
  }

  /** @return how many rows were attempted in this pass. */
  int sendDue() {
    List<OutboxRow> rows = outbox.due(200);
    int attempted = 0;
    for (OutboxRow row : rows) {
      if (!running) {
        break;
      }
      if (!limits.tryAcquire(row.chatId(), Instant.now())) {
        continue;
      }
      attempted++;
      send(row);
    }
    return attempted;
  }

  private void send(OutboxRow row) {
    JsonNode params = Json.read(row.payload(), JsonNode.class);
    SendOutcome outcome = telegram.call(row.method(), params);
    switch (outcome) {
      case SendOutcome.Sent sent -> {
        outbox.sent(row.id(), sent.messageId());
        metrics.counter("forumdesk_outbox_sent_total").increment();
      }
      case SendOutcome.RetryAfter r -> {
        limits.block(row.chatId(), Instant.now().plusSeconds(r.seconds()));
        outbox.retryLater(row.id(), Duration.ofSeconds(r.seconds()), r.description());
        metrics.counter("forumdesk_outbox_429_total").increment();
        log.info("Telegram asked to wait {} s for chat {}", r.seconds(), row.chatId());
      }
      case SendOutcome.Rejected r -> {
        outbox.failed(row.id(), r.description());
        metrics.counter("forumdesk_outbox_rejected_total").increment();
        log.warn("Telegram refused outbox message {} for good: {}", row.key(), r.description());
        onRejected.accept(row, r.description());
      }
      case SendOutcome.Transient t -> {
        outbox.retryLater(row.id(), BACKOFF.after(row.attempts()), t.description());
        metrics.counter("forumdesk_outbox_retries_total").increment();
        log.info("outbox message {} will be retried: {}", row.key(), t.description());
      }
    }
  }


  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
