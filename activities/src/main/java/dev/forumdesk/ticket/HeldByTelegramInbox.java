package dev.forumdesk.ticket;

import dev.forumdesk.telegram.SharedRead;
import dev.forumdesk.telegram.WebhookInfo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ticket's backlog with the updates Telegram still holds for us ({@link HeldByTelegram}, lifecycle
 * rules 13): the inbox's rows, then how many updates Telegram has not delivered yet (in webhook mode,
 * getWebhookInfo's pending_update_count). Read cheaply: one read of Telegram serves every ticket's look
 * for {@link #FRESH_FOR}, one read at a time, and a look waits {@link #WAIT_AT_MOST} at most for it
 * (the read goes on, for the next looks). A read that fails or does not answer in time counts as
 * nothing held: the inbox's rows alone decide, as without Telegram. In the app the read is the process's
 * one {@link WebhookInfo} (health's and the monitors' too): a look joins whichever read is in flight.
 */
public final class HeldByTelegramInbox implements TicketInbox {
  private static final Logger log = LoggerFactory.getLogger(HeldByTelegramInbox.class);
  /** How long one read of Telegram's count serves. */
  public static final Duration FRESH_FOR = Duration.ofMillis(1500);
  /** How long a look at the backlog waits for Telegram's count (the look has 5 s in all). */
  public static final Duration WAIT_AT_MOST = Duration.ofSeconds(2);

  private final TicketInbox inbox;
  /** Telegram's count, or why it could not be read; shared and single-flight. */
  private final Source held;
  /**
   * Whether Telegram's count is slow or failing now: said once at the start of such an episode (WARN)
   * and once when a read answers in time again (INFO), not at every look.
   */
  private boolean troubled;

  /** One read of Telegram's count: the count, or what went wrong. */
  record Count(long held, Optional<String> failure) {}

  /** The shared read of Telegram's count, as a look asks it. */
  @FunctionalInterface
  interface Source {
    SharedRead.Answer<Count> get(Duration freshFor, Duration waitAtMost);
  }

  private HeldByTelegramInbox(TicketInbox inbox, Source held) {
    this.inbox = inbox;
    this.held = held;
  }

  /** The updates Telegram holds for us as getWebhookInfo's pending_update_count, read through {@code info}. */
  public static HeldByTelegramInbox of(TicketInbox inbox, WebhookInfo info) {
    return new HeldByTelegramInbox(inbox, (freshFor, wait) -> info.read(freshFor, wait).map(s -> s.reachable()
        ? new Count(s.pendingUpdateCount(), Optional.empty())
        : new Count(0, Optional.of(s.error().orElse("Telegram did not answer")))));
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
    SharedRead.Answer<Count> a = held.get(FRESH_FOR, WAIT_AT_MOST);
    if (a.late()) {
      trouble("not read within " + WAIT_AT_MOST.toMillis() + " ms");
      return 0;
    }
    SharedRead.Reading<Count> r = a.reading().orElseThrow();
    if (r.value().failure().isPresent()) {
      trouble("not read (" + withoutToken(r.value().failure().get()) + ")");
      return 0;
    }
    if (r.took().compareTo(WAIT_AT_MOST) < 0) {
      recovered(); // answered in time: a slow one late is still slow
    }
    return Math.max(0, r.value().held());
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
    return WebhookInfo.withoutToken(text);
  }
}
