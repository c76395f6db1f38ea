package dev.forumdesk.ingress;

import dev.forumdesk.json.Json;
import dev.forumdesk.loop.LoopThread;
import dev.forumdesk.retry.Backoff;
import dev.forumdesk.store.DatabaseOutageLog;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.InboxRow;
import dev.forumdesk.telegram.Update;
import dev.forumdesk.ticket.CommandRequest;
import dev.forumdesk.ticket.JournalEntry;
import dev.forumdesk.ticket.RefusalKind;
import dev.forumdesk.ticket.WhoMay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers inbox rows to their ticket workflows with signalWithStart: in update order within a
 * ticket, up to {@code concurrency} tickets at once on a fixed pool of platform threads. A row
 * stays PENDING until Temporal accepted it; failures are retried with exponential backoff and
 * jitter, and hold back the ticket's later rows.
 *
 * <p>The bound is what keeps the webhook fast under load: the inbox absorbs a burst and the
 * dispatcher feeds Temporal at the pace the worker keeps up with. Unbounded (one virtual thread
 * per ticket with pending rows) it started hundreds of deliveries at once, every one of them
 * waking workflow and activity tasks, and the webhook's virtual threads queued behind them for
 * the two cores (ack p50 5.4 s at 200 updates/s; see BENCHMARKS.md).
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  /** Its passes while the database is unavailable: a line per outage, not a WARN each (audit 21b F5). */
  private final DatabaseOutageLog databaseDown =
      new DatabaseOutageLog(log, "the dispatcher", "stored updates wait to be handed to their tickets");
  private static final Duration IDLE_POLL = Duration.ofMillis(200);
  /**
   * The least time between two passes that started nothing while tickets waited for their retries
   * (an outage). Without it, with Temporal down and a backlog, every acknowledged update woke a
   * pass that read the inbox's oldest 1,000 rows again: 28 % of the webhook's CPU at 200 updates/s
   * (BENCHMARKS.md).
   */
  /** How long a close waits for the deliveries under way. */
  static final Duration STOP_WITHIN = Duration.ofSeconds(2);
  private static final Duration RESCAN_FLOOR = Duration.ofMillis(50);
  private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30));

  private final Inbox inbox;
  private final UpdateClassifier classifier;
  private final TicketGateway tickets;
  private final java.util.function.BiConsumer<Classified.Command, TicketGateway.CommandOutcome> answerRefusals;
  private final java.util.function.Consumer<Classified.Answer> answers;
  private final java.util.function.Function<Classified.Shift, String> shifts;
  private final java.util.function.Predicate<Classified> answered;
  private final java.util.function.Function<Classified.Command, Optional<Supplier<String>>> answeredHere;
  /** Registered at 0 from the start, so that an alert on their increase sees 0 rather than no data. */
  private final Counter passes;
  private final Counter delivered;
  private final Counter retries;
  private final Timer deliveryDelay;
  private final Relay relay;
  private final ExecutorService workers;
  private final int concurrency;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final LoopThread loop;

  /** @param relay relay mode's private chats ({@link Relay#OFF} in group mode) */
  public Dispatcher(
      Inbox inbox,
      UpdateClassifier classifier,
      TicketGateway tickets,
      java.util.function.BiConsumer<Classified.Command, TicketGateway.CommandOutcome> answerRefusals,
      MeterRegistry metrics,
      int concurrency,
      Relay relay) {
    this(inbox, classifier, tickets, answerRefusals, a -> {}, s -> "🚫 Shifts are not kept here.", u -> false,
        c -> Optional.empty(), metrics, concurrency, relay);
  }

  /**
   * @param answers posts a command's answer where no ticket is ({@link CommandAnswers#answer})
   * @param shifts runs an /away or /back typed where no ticket is; its answer (Telegram HTML)
   * @param answered whether the update's answer is posted already ({@link CommandAnswers#answered}):
   *     it ran before a crash kept its row from being marked, and is not run again
   * @param answeredHere the answer to a command that its workflow is not asked (a customer's /status,
   *     {@link CustomerStatus#answer}), posted where it was typed as its one effect; empty for the others.
   *     Whether there is one is decided from the command alone; the answer (a read of the read model) is
   *     made only when it is posted, not when a restore's journal leaves such a command out
   */
  public Dispatcher(
      Inbox inbox,
      UpdateClassifier classifier,
      TicketGateway tickets,
      java.util.function.BiConsumer<Classified.Command, TicketGateway.CommandOutcome> answerRefusals,
      java.util.function.Consumer<Classified.Answer> answers,
      java.util.function.Function<Classified.Shift, String> shifts,
      java.util.function.Predicate<Classified> answered,
      java.util.function.Function<Classified.Command, Optional<Supplier<String>>> answeredHere,
      MeterRegistry metrics,
      int concurrency,
      Relay relay) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("dispatcher concurrency must be at least 1");
    }
    this.concurrency = concurrency;
    this.workers = Executors.newFixedThreadPool(concurrency, Thread.ofPlatform().name("inbox-delivery-", 1).daemon().factory());
    this.inbox = inbox;
    this.classifier = classifier;
    this.tickets = tickets;
    this.answerRefusals = answerRefusals;
    this.answers = answers;
    this.shifts = shifts;
    this.answered = answered;
    this.answeredHere = answeredHere;
    this.passes = Counter.builder("forumdesk_inbox_dispatch_passes_total")
        .description("passes of the inbox dispatcher over undelivered updates").register(metrics);
    this.delivered = Counter.builder("forumdesk_inbox_delivered_total")
        .description("updates delivered from the inbox to their ticket workflow").register(metrics);
    this.retries = Counter.builder("forumdesk_inbox_retries_total")
        .description("deliveries that failed and were scheduled again").register(metrics);
    this.deliveryDelay = Timer.builder("forumdesk_inbox_delivery_delay")
        .description("how long an update waited in the inbox until its workflow took it").register(metrics);
    this.relay = relay;
    this.loop = new LoopThread("inbox-dispatcher", this::run);
  }

  public Dispatcher start() {
    loop.start();
    return this;
  }

  /** Called after an update was stored so it does not wait for the next poll. */
  public void wake() {
    loop.wake();
  }

  private void run() {
    // rows left PENDING by a previous run (crash, outage) are simply the first ones found here
    while (loop.running()) {
      try {
        if (inFlight.size() >= concurrency) {
          // no slot: a pass could start nothing, and a finishing delivery wakes the loop
          LockSupport.parkNanos(IDLE_POLL.toNanos());
          continue;
        }
        Pass pass = dispatchOnce();
        databaseDown.succeeded();
        if (pass.started() > 0) {
          continue;
        }
        if (pass.backingOff() > 0) {
          // nothing could start, and tickets wait for their retries (an outage): the stores
          // that wake this loop, hundreds a second, would each read the same rows again. A sleep,
          // not a park: a wake meanwhile stays pending for the park below
          Thread.sleep(RESCAN_FLOOR);
        }
        LockSupport.parkNanos(IDLE_POLL.toNanos());
      } catch (RuntimeException e) {
        if (!databaseDown.failed(e)) {
          log.warn("dispatch pass failed, retrying: {}", e.toString());
        }
        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** What one pass saw: tickets waiting for a retry's backoff, and tickets handed to a delivery thread. */
  record Pass(long backingOff, int started) {}

  /**
   * One pass over the pending rows: each ticket with due rows and no delivery under way gets a
   * delivery thread, while fewer than {@code concurrency} are busy, that delivers its rows in
   * update order. A pass does not wait for them, so a ticket stuck in retries never holds back the
   * others; a ticket left out now is picked up when a delivery finishes.
   *
   * @return tickets waiting for a retry's backoff, and those handed to a delivery thread
   */
  Pass dispatchOnce() {
    passes.increment();
    // a ticket's oldest row decides: it is the one that may be waiting for a retry
    Map<String, Instant> dueByTicket = new LinkedHashMap<>();
    for (Inbox.Waiting row : inbox.waiting(1_000)) {
      dueByTicket.putIfAbsent(row.ticketId(), row.nextAttemptAt());
    }
    int started = 0;
    Instant now = Instant.now();
    for (Map.Entry<String, Instant> e : dueByTicket.entrySet()) {
      if (inFlight.size() >= concurrency) {
        break; // the rest waits in the inbox; a finishing delivery wakes the next pass
      }
      if (e.getValue().isAfter(now) || !inFlight.add(e.getKey())) {
        continue; // waiting for its backoff, or a thread is already on it
      }
      started++;
      workers.submit(
          () -> {
            try {
              // read again: the pass's list may predate a delivery that just finished
              deliverInOrder(inbox.pendingFor(e.getKey(), 1_000), false);
            } finally {
              inFlight.remove(e.getKey());
              wake(); // a slot is free: tickets left out of the last pass may go now
            }
          });
    }
    long backingOff = dueByTicket.values().stream().filter(due -> due.isAfter(now)).count();
    return new Pass(backingOff, started);
  }

  /** Tickets whose delivery is under way right now (for tests and health). */
  int inFlight() {
    return inFlight.size();
  }

  /** @param now whether a row waiting for its retry goes now too (a restored journal's, which its ticket has) */
  private void deliverInOrder(List<InboxRow> rows, boolean now) {
    for (InboxRow row : rows) {
      if (!now && row.nextAttemptAt().isAfter(Instant.now())) {
        return;
      }
      try {
        if (deliver(row)) {
          inbox.settled(row.updateId());
        } else {
          inbox.delivered(row.updateId());
        }
        delivered.increment();
        deliveryDelay.record(Duration.between(row.receivedAt(), Instant.now()));
      } catch (Relay.TopicWaiting e) {
        // a turn, not a failure: asked again soon, holding back only this customer's later messages
        inbox.retryLater(row.updateId(), Relay.TopicWaiting.RETRY_IN, e.getMessage());
        log.debug("update {}: {}", row.updateId(), e.getMessage());
        return;
      } catch (RuntimeException e) {
        // the row stays PENDING and, being the ticket's oldest, holds back its later updates
        Duration wait = BACKOFF.after(row.attempts());
        inbox.retryLater(row.updateId(), wait, e.toString());
        retries.increment();
        log.info("update {} for {} not delivered, retry in {} ms: {}",
            row.updateId(), row.ticketId(), wait.toMillis(), e.toString());
        return;
      }
    }
  }

  /**
   * @return whether the update's effect is there for good already: a refused command answered, an
   *     answer or a shift change. Otherwise (an event, an accepted command) it lives in the ticket's
   *     workflow until a projection shows it, and a restart of the embedded server delivers it again.
   */
  private boolean deliver(InboxRow row) {
    Classified classified = classifier.classify(Json.read(row.payload(), Update.class));
    if (answered.test(classified)) {
      return true; // its answer, its one effect, was written before a crash kept this row from being marked
    }
    switch (classified) {
      case Classified.ForTicket t -> {
        // turned away (relay mode: a CLOSED ticket's topic, the customer busy in another): its one
        // effect, the topic's notice, is in the outbox
        return relay.deliver(t, tickets::deliver).isPresent();
      }
      case Classified.RelayIn r -> {
        // reaches its ticket as an event: settled when the ticket's projection shows it; else done here
        return !relay.in(r);
      }
      case Classified.Command c -> {
        Optional<Supplier<String>> here = answeredHere.apply(c);
        if (here.isPresent()) { // keyed as a refusal's answer: a redelivery finds it answered
          answers.accept(new Classified.Answer(c.chatId(), c.threadId(), CommandAnswers.key(c), here.get().get()));
          return true;
        }
        TicketGateway.CommandOutcome outcome = refusedHere(c.request())
            .orElseGet(() -> tickets.command(c.ticketId(), c.request()));
        answerRefusals.accept(c, outcome);
        // a refusal is the command's one effect: run again after a restart, against a ticket that
        // changed meanwhile, it could be applied hours after the topic was told it was refused
        return !(outcome instanceof TicketGateway.CommandOutcome.Accepted);
      }
      case Classified.Ignored i -> {
        return true; // the configuration changed, or the bot learned its name (getMe), since it was stored
      }
      case Classified.Answer a -> {
        answers.accept(a);
        return true;
      }
      case Classified.Shift s -> {
        answers.accept(new Classified.Answer(s.chatId(), null, s.key(), shifts.apply(s)));
        return true; // the roster keeps it
      }
    }
  }

  /**
   * A reason over the API's limit, refused as the API refuses it, before the ticket has it; but
   * who may comes first, as in the ticket's rules: a customer's over-long /hold is told that only
   * agents and supervisors can use it, an agent's over-long /assign that only a supervisor can
   * ({@link WhoMay}), not how long a reason or username may be.
   */
  private static Optional<TicketGateway.CommandOutcome> refusedHere(CommandRequest r) {
    return CommandArgs.commandTooLong(r.name(), r.args()).map(why -> WhoMay.notAllowed(r.role(), r.name())
        .map(notAllowed -> new TicketGateway.CommandOutcome.Refused(notAllowed, RefusalKind.FORBIDDEN))
        .orElseGet(() -> new TicketGateway.CommandOutcome.Refused(why, RefusalKind.INVALID)));
  }

  /**
   * What delivering {@code row} would tell ticket {@code ticketId}'s workflow, for a restored ticket's
   * journal (Restore): a topic event or a bot command of its topic, or in relay mode a private message
   * of its customer that goes to it (their open ticket's). Nothing for a command whose answer is posted
   * already (it ran before; {@link #deliver} settles it), nor for one answered or refused here without
   * its workflow (a customer's /status, an over-long reason), nor for what reaches no workflow or another's
   * (a private message that opens a topic, an answer, a shift change). Its delivery after the restore
   * is dropped as seen, or answered as it was then: one effect.
   */
  public Optional<JournalEntry> journalEntry(InboxRow row, String ticketId) {
    Classified classified = classifier.classify(Json.read(row.payload(), Update.class));
    if (answered.test(classified)) {
      return Optional.empty();
    }
    return switch (classified) {
      case Classified.ForTicket t when t.ticketId().equals(ticketId) -> Optional.of(JournalEntry.of(t.event()));
      // not one the dispatcher answers itself: the workflow would answer it too, or take an over-long reason
      case Classified.Command c when c.ticketId().equals(ticketId) && answeredHere.apply(c).isEmpty()
          && refusedHere(c.request()).isEmpty() -> Optional.of(JournalEntry.of(c.request()));
      case Classified.RelayIn r when relay.ticketOf(r).filter(ticketId::equals).isPresent() ->
          Optional.of(JournalEntry.of(Relay.event(r)));
      default -> Optional.empty();
    };
  }

  /**
   * Delivers at once, before this dispatcher starts, the rows a restored ticket's journal held
   * ({@link #journalEntry}), right after its workflow started: the workflow drops the events as seen
   * and answers the commands as the journal did, and what is done here beside the workflow (an agent's
   * reply relayed to the customer, the help desk's mirror, a command's answer) is done now. Left to the
   * dispatcher's first pass, the ticket's first projection could mark the rows applied before it, and
   * it would skip them; so a row that waited for a retry at the stop goes now too (it waited for its
   * backoff before, and its relay to the topic or the customer never came). A row that fails stays
   * pending for the dispatcher, as any.
   */
  public void deliverRestored(List<InboxRow> rows) {
    deliverInOrder(rows, true);
  }

  /**
   * Starts no more deliveries and lets those under way finish, for {@link #STOP_WITHIN} at most,
   * while the worker still takes their signals; only what is still running then is interrupted (a
   * call Temporal does not answer). Their rows stay in the inbox and are delivered after the restart.
   */
  @Override
  public void close() {
    loop.close();
    workers.shutdown();
    try {
      if (workers.awaitTermination(STOP_WITHIN.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
  }
}
