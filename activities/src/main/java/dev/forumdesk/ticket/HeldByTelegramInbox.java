package dev.forumdesk.ticket;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ticket's backlog with the updates Telegram still holds for us ({@link HeldByTelegram}, lifecycle
 * rules 13): the inbox's rows, then how many updates Telegram has not delivered yet (in webhook mode,
 * getWebhookInfo's pending_update_count). Read cheaply: one read of Telegram serves every ticket's look
 * for {@link #FRESH_FOR}, one read at a time, and a look waits {@link #WAIT_AT_MOST} at most for it
 * (the read goes on, for the next looks). A read that fails or does not answer in time counts as
 * nothing held: the inbox's rows alone decide, as without Telegram.
 */
public final class HeldByTelegramInbox implements TicketInbox {
  private static final Logger log = LoggerFactory.getLogger(HeldByTelegramInbox.class);
  /** How long one read of Telegram's count serves. */
  public static final Duration FRESH_FOR = Duration.ofMillis(1500);
  /** How long a look at the backlog waits for Telegram's count (the look has 5 s in all). */
  public static final Duration WAIT_AT_MOST = Duration.ofSeconds(2);

  private final TicketInbox inbox;
  private final LongSupplier held;
  private final Clock clock;
  private long last;
  /** When {@link #last} was read; null before the first read. */
  private Instant readAt;
  private CompletableFuture<Long> reading;
  /**
   * Whether Telegram's count is slow or failing now: said once at the start of such an episode (WARN)
   * and once when a read answers in time again (INFO), not at every look.
   */
  private boolean troubled;

  /**
   * @param held how many updates Telegram holds for us now (one call to Telegram); it may throw
   */
  public HeldByTelegramInbox(TicketInbox inbox, LongSupplier held, Clock clock) {
    this.inbox = inbox;
    this.held = held;
    this.clock = clock;
  }

  @Override
  public List<Long> backlog(String ticketId, Long customerId) {
    return HeldByTelegram.answer(inbox.backlog(ticketId, customerId), held());
  }

  @Override
  public Optional<String> topicName(String ticketId) {
    return inbox.topicName(ticketId);
  }

  /** Telegram's count, read at most {@link #FRESH_FOR} ago; 0 when it could not be read in time. */
  long held() {
    CompletableFuture<Long> read;
    synchronized (this) {
      if (reading == null && readAt != null && Duration.between(readAt, clock.instant()).compareTo(FRESH_FOR) < 0) {
        return last;
      }
      read = reading;
      if (read == null) {
        read = CompletableFuture.supplyAsync(this::read, r -> Thread.ofVirtual().name("telegram-held").start(r));
        reading = read;
        // may run at once, here (the lock is this thread's): then it is no longer reading
        read.whenComplete((count, failed) -> keep(count == null ? 0 : count));
      }
    }
    try {
      return read.get(WAIT_AT_MOST.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      trouble("not read within " + WAIT_AT_MOST.toMillis() + " ms");
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } catch (ExecutionException e) {
      return 0; // read() counts its failure as none
    }
  }

  private long read() {
    long start = System.nanoTime();
    long count;
    try {
      count = Math.max(0, held.getAsLong());
    } catch (RuntimeException e) {
      trouble("not read (" + withoutToken(e.toString()) + ")");
      return 0;
    }
    if (Duration.ofNanos(System.nanoTime() - start).compareTo(WAIT_AT_MOST) < 0) {
      recovered(); // answered in time: a slow one late is still slow
    }
    return count;
  }

  /** A look found the count slow or failing: WARN at the first of an episode only. */
  private void trouble(String what) {
    boolean first;
    synchronized (this) {
      first = !troubled;
      troubled = true;
    }
    if (first) {
      log.warn("Telegram's count of undelivered updates {}: counted as none (said once, until it is read in time"
          + " again)", what);
    } else {
      log.debug("Telegram's count of undelivered updates {}: counted as none", what);
    }
  }

  private void recovered() {
    boolean was;
    synchronized (this) {
      was = troubled;
      troubled = false;
    }
    if (was) {
      log.info("Telegram's count of undelivered updates read in time again");
    }
  }

  /** A bot token in a message (an API address in an exception's text) never reaches the log. */
  static String withoutToken(String text) {
    return text.replaceAll("bot\\d+:[A-Za-z0-9_-]+", "bot<token>");
  }

  private synchronized void keep(long count) {
    last = count;
    readAt = clock.instant();
    reading = null;
  }
}
