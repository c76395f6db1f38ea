package dev.forumdesk.ingress;

import dev.forumdesk.json.Json;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.InboxRow;
import dev.forumdesk.telegram.Update;
import io.micrometer.core.instrument.MeterRegistry;
import dev.forumdesk.retry.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers inbox rows to their ticket workflows with signalWithStart: in update order within a
 * ticket, tickets in parallel on virtual threads. A row stays PENDING until Temporal accepted it;
 * failures are retried with exponential backoff and jitter, and hold back the ticket's later rows.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final Duration IDLE_POLL = Duration.ofMillis(200);
  private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30));

  private final Inbox inbox;
  private final UpdateClassifier classifier;
  private final TicketGateway tickets;
  private final java.util.function.BiConsumer<Classified.Command, TicketGateway.CommandOutcome> answerRefusals;
  private final MeterRegistry metrics;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final Thread loop;
  private volatile boolean running = true;

  public Dispatcher(
      Inbox inbox,
      UpdateClassifier classifier,
      TicketGateway tickets,
      java.util.function.BiConsumer<Classified.Command, TicketGateway.CommandOutcome> answerRefusals,
      MeterRegistry metrics) {
    this.inbox = inbox;
    this.classifier = classifier;
    this.tickets = tickets;
    this.answerRefusals = answerRefusals;
    this.metrics = metrics;
    this.loop = Thread.ofPlatform().name("inbox-dispatcher").daemon().unstarted(this::run);
  }

  public Dispatcher start() {
    loop.start();
    return this;
  }

  /** Called after an update was stored so it does not wait for the next poll. */
  public void wake() {
    LockSupport.unpark(loop);
  }

  private void run() {
    while (running) {
      try {
        if (dispatchOnce() == 0) {
          LockSupport.parkNanos(IDLE_POLL.toNanos());
        }
      } catch (RuntimeException e) {
        log.warn("dispatch pass failed, retrying: {}", e.toString());
        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
      }
    }
  }

  /** One pass over the pending rows. @return rows delivered */
  int dispatchOnce() {
    Map<String, List<InboxRow>> byTicket = new LinkedHashMap<>();
    for (InboxRow row : inbox.pending(1_000)) {
      byTicket.computeIfAbsent(row.ticketId(), k -> new ArrayList<>()).add(row);
    }
    List<Future<Integer>> results = new ArrayList<>();
    for (List<InboxRow> rows : byTicket.values()) {
      results.add(workers.submit(() -> deliverInOrder(rows)));
    }
    int delivered = 0;
    for (Future<Integer> f : results) {
      try {
        delivered += f.get();
      } catch (Exception e) {
        log.warn("delivery task failed: {}", e.toString());
      }
    }
    return delivered;
  }

  private int deliverInOrder(List<InboxRow> rows) {
    int delivered = 0;
    Instant now = Instant.now();
    for (InboxRow row : rows) {
      if (row.nextAttemptAt().isAfter(now)) {
        return delivered; // an earlier failure holds back this ticket's later updates
      }
      try {
        deliver(row);
        inbox.delivered(row.updateId());
        metrics.counter("forumdesk_inbox_delivered_total").increment();
        metrics.timer("forumdesk_inbox_delivery_delay")
            .record(Duration.between(row.receivedAt(), Instant.now()));
        delivered++;
      } catch (RuntimeException e) {
        Duration wait = BACKOFF.after(row.attempts());
        inbox.retryLater(row.updateId(), wait, e.toString());
        metrics.counter("forumdesk_inbox_retries_total").increment();
        log.info("update {} for {} not delivered, retry in {} ms: {}",
            row.updateId(), row.ticketId(), wait.toMillis(), e.toString());
        return delivered;
      }
    }
    return delivered;
  }

  private void deliver(InboxRow row) {
    Update update = Json.read(row.payload(), Update.class);
    switch (classifier.classify(update)) {
      case Classified.ForTicket t -> tickets.deliver(t);
      case Classified.Command c -> answerRefusals.accept(c, tickets.command(c.ticketId(), c.request()));
      case Classified.Ignored i -> {} // the configuration changed since it was stored
    }
  }

  @Override
  public void close() {
    running = false;
    LockSupport.unpark(loop);
    try {
      loop.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
  }
}
