package dev.forumdesk.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.json.Json;
import dev.forumdesk.telegram.SendOutcome;
import dev.forumdesk.telegram.WebhookInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * A ticket's backlog with the updates Telegram still holds for us (lifecycle rules 13): the inbox's
 * rows, then -N for N held; Telegram read once for many looks, a failed or hanging read counted as none.
 * Built as the app builds it ({@link HeldByTelegramInbox#of}), over a {@link WebhookInfo} whose Bot
 * API is a stand-in answering getWebhookInfo.
 */
class HeldByTelegramInboxTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-05T10:00:00Z"));
  private final Clock clock = new Clock() {
    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };
  /** The inbox: rows 7 and 9 of ticket-1 unapplied. */
  private final TicketInbox inbox = new TicketInbox() {
    @Override
    public List<Long> backlog(String ticketId, Long customerId) {
      return ticketId.equals("ticket-1") ? List.of(7L, 9L) : List.of();
    }

    @Override
    public Optional<String> topicName(String ticketId) {
      return Optional.of("Refund");
    }
  };

  /**
   * The inbox with Telegram holding {@code held} updates, read through the process's one
   * {@link WebhookInfo} (on the test's clock): each getWebhookInfo answers {@code held}'s count as its
   * pending_update_count; {@code held} may throw (Telegram unreachable) or hang.
   */
  private HeldByTelegramInbox withTelegramHolding(LongSupplier held) {
    return HeldByTelegramInbox.of(inbox, new WebhookInfo((method, params) -> {
      assertThat(method).isEqualTo("getWebhookInfo");
      return new SendOutcome.Sent(Json.mapper().createObjectNode().put("url", "https://desk.example/telegram")
          .put("pending_update_count", held.getAsLong()));
    }, Duration.ZERO, clock));
  }

  @Test
  void theAnswerSaysHowManyUpdatesTelegramHoldsAfterTheInboxsRows() {
    AtomicLong pending = new AtomicLong(4);
    AtomicInteger reads = new AtomicInteger();
    var held = withTelegramHolding(() -> {
      reads.incrementAndGet();
      return pending.get();
    });

    assertThat(held.backlog("ticket-1", null)).containsExactly(7L, 9L, -4L);
    assertThat(HeldByTelegram.held(held.backlog("ticket-2", 5001L))).isEqualTo(4);
    assertThat(reads).as("one read of Telegram for both looks").hasValue(1);

    pending.set(0); // Telegram delivered them
    now.set(now.get().plus(HeldByTelegramInbox.FRESH_FOR));
    assertThat(held.backlog("ticket-1", null)).containsExactly(7L, 9L);
    assertThat(held.backlog("ticket-2", null)).isEmpty();
    assertThat(reads).hasValue(2);
    assertThat(held.topicName("ticket-1")).contains("Refund");
  }

  @Test
  void aReadThatFailsIsNoBacklog() {
    AtomicInteger reads = new AtomicInteger();
    var held = withTelegramHolding(() -> {
      reads.incrementAndGet();
      throw new IllegalStateException("Telegram unreachable");
    });

    assertThat(held.backlog("ticket-1", null)).containsExactly(7L, 9L);
    assertThat(held.backlog("ticket-2", null)).isEmpty();
    assertThat(reads).as("the failure is kept as fresh as an answer").hasValue(1);
  }

  @Test
  void aReadThatHangsIsNoBacklogWithinItsBound() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    AtomicInteger reads = new AtomicInteger();
    var held = withTelegramHolding(hangingUntil(answer, 6, reads));

    long t0 = System.nanoTime();
    assertThat(held.backlog("ticket-1", null)).containsExactly(7L, 9L);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(took).isGreaterThanOrEqualTo(HeldByTelegramInbox.WAIT_AT_MOST.minusMillis(50))
        .isLessThan(HeldByTelegramInbox.WAIT_AT_MOST.plusSeconds(2));

    answer.countDown(); // the read answers late: the next look has it, with no second read
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    List<Long> next = held.backlog("ticket-1", null);
    while (next.size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(10);
      next = held.backlog("ticket-1", null);
    }
    assertThat(next).containsExactly(7L, 9L, -6L);
    assertThat(reads).hasValue(1);
  }

  /** The WARN and INFO lines HeldByTelegramInbox logs during {@code looks}. */
  private List<String> logged(Runnable looks) {
    var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(HeldByTelegramInbox.class);
    var appender = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    appender.start();
    logger.addAppender(appender);
    try {
      looks.run();
    } finally {
      logger.detachAppender(appender);
    }
    return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.INFO))
        .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
  }

  /** A failing read is said once per episode (WARN), its end once (INFO), never at every look; no token. */
  @Test
  void aFailingReadIsLoggedOncePerEpisodeNotAtEveryLook() {
    AtomicReference<RuntimeException> failing = new AtomicReference<>(
        new IllegalStateException("https://api.telegram.org/bot123456:AAE-secret_T0ken/getWebhookInfo timed out"));
    var held = withTelegramHolding(() -> {
      if (failing.get() != null) {
        throw failing.get();
      }
      return 2;
    });
    Runnable fiveReads = () -> {
      for (int i = 0; i < 5; i++) {
        held.backlog("ticket-1", null);
        now.set(now.get().plus(HeldByTelegramInbox.FRESH_FOR));
      }
    };

    List<String> lines = logged(() -> {
      fiveReads.run(); // failing
      failing.set(null);
      fiveReads.run(); // answering
      failing.set(new IllegalStateException("Telegram unreachable"));
      fiveReads.run(); // failing again: a new episode
    });

    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("WARN ").contains("not read").contains("bot<token>")
        .doesNotContain("AAE-secret_T0ken");
    assertThat(lines.get(1)).isEqualTo("INFO Telegram's count of undelivered updates read in time again");
    assertThat(lines.get(2)).startsWith("WARN ").contains("Telegram unreachable");
  }

  /** Looks that each wait out a hanging read: one WARN for them all. */
  @Test
  void aHangingReadIsLoggedOnceForAllTheLooksThatWaitForIt() {
    CountDownLatch answer = new CountDownLatch(1);
    AtomicInteger reads = new AtomicInteger();
    var held = withTelegramHolding(hangingUntil(answer, 6, reads));

    List<String> lines = logged(() -> {
      held.backlog("ticket-1", null);
      held.backlog("ticket-2", null);
      answer.countDown();
    });

    assertThat(lines).hasSize(1).allSatisfy(l -> assertThat(l).startsWith("WARN ").contains("not read within 2000 ms"));
    assertThat(reads).as("both looks waited for the one read").hasValue(1);
  }

  /** A read of Telegram's count that hangs until {@code answer} is counted down, then says {@code count}. */
  private static LongSupplier hangingUntil(CountDownLatch answer, long count, AtomicInteger reads) {
    return () -> {
      reads.incrementAndGet();
      try {
        answer.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return count;
    };
  }
}
