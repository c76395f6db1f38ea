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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
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
    // rows left PENDING by a previous run (crash, outage) are simply the first ones found here
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

  /**
   * One pass over the pending rows: each ticket with due rows and no delivery under way gets a
   * virtual thread that delivers its rows in update order. A pass does not wait for them, so a
   * ticket stuck in retries never holds back the others.
   *
   * @return tickets handed to a delivery thread
   */
  int dispatchOnce() {
    Map<String, List<InboxRow>> byTicket = new LinkedHashMap<>();
    for (InboxRow row : inbox.pending(1_000)) {
      byTicket.computeIfAbsent(row.ticketId(), k -> new ArrayList<>()).add(row);
    }
    int started = 0;
    Instant now = Instant.now();
    for (Map.Entry<String, List<InboxRow>> e : byTicket.entrySet()) {
      if (e.getValue().getFirst().nextAttemptAt().isAfter(now) || !inFlight.add(e.getKey())) {
        continue; // waiting for its backoff, or a thread is already on it
      }
      started++;
      workers.submit(
          () -> {
            try {
              // read again: the pass's list may predate a delivery that just finished
              deliverInOrder(inbox.pendingFor(e.getKey(), 1_000));
            } finally {
              inFlight.remove(e.getKey());
            }
          });
    }
    return started;
  }

  /** Tickets whose delivery is under way right now (for tests and health). */
  int inFlight() {
    return inFlight.size();
  }

  private void deliverInOrder(List<InboxRow> rows) {
    for (InboxRow row : rows) {
      if (row.nextAttemptAt().isAfter(Instant.now())) {
        return;
      }
      try {
        deliver(row);
        inbox.delivered(row.updateId());
        metrics.counter("forumdesk_inbox_delivered_total").increment();
        metrics.timer("forumdesk_inbox_delivery_delay")
            .record(Duration.between(row.receivedAt(), Instant.now()));
      } catch (RuntimeException e) {
        // the row stays PENDING and, being the ticket's oldest, holds back its later updates
        Duration wait = BACKOFF.after(row.attempts());
        inbox.retryLater(row.updateId(), wait, e.toString());
        metrics.counter("forumdesk_inbox_retries_total").increment();
        log.info("update {} for {} not delivered, retry in {} ms: {}",
            row.updateId(), row.ticketId(), wait.toMillis(), e.toString());
        return;
      }
    }
    wake(); // more rows of this ticket may have arrived meanwhile
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
