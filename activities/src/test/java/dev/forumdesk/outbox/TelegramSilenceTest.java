package dev.forumdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.store.Database;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.telegram.SendOutcome;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.Person;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hold after a call Telegram did not answer: how it ends (review of audit 21b F1's fix). */
class TelegramSilenceTest {
  static final long GROUP = -1001234567890L;

  @TempDir Path dir;
  final ExecutorService calls = Executors.newCachedThreadPool();
  Database db;
  Outbox outbox;
  SupervisorNotices notices;
  final AtomicInteger probes = new AtomicInteger();

  TelegramSilence silence(Supplier<SendOutcome> answers) {
    db = Database.embedded(dir);
    outbox = new Outbox(db);
    notices = new SupervisorNotices(outbox, GROUP, List.of(new Person(900001L, "Sam", null)));
    return new TelegramSilence(() -> {
      probes.incrementAndGet();
      return answers.get();
    }, calls, notices);
  }

  OutboxRow lost(String key) {
    outbox.enqueue(MessageKind.OTHER, key, GROUP, 42L, "sendMessage", "{\"chat_id\":" + GROUP + ",\"text\":\"x\"}", 1);
    return outbox.queue(100).stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
  }

  @AfterEach
  void close() {
    calls.shutdownNow();
    if (db != null) {
      db.close();
    }
  }

  /** Finding 1: the notice's database down ends the hold once anyway: no probe, no 'answers again' per pass. */
  @Test
  void aHoldThatEndsWhileTheDatabaseIsDownEndsOnceAndIsNotProbedAgain() {
    TelegramSilence silence = silence(() -> new SendOutcome.Sent(null));
    OutboxRow row = lost("ack 1");
    silence.unanswered(row, List.of(row), "sendMessage: timeout");
    db.close(); // the notice cannot be enqueued
    for (int pass = 0; pass < 5; pass++) {
      assertThat(silence.waitFor()).as("pass %d: the calls go", pass).isEmpty();
    }
    assertThat(silence.held()).isFalse();
    assertThat(probes.get()).as("getMe once, not once a pass").isEqualTo(1);
  }

  /**
   * Finding 2: the webhook role sends the notice at once (sentAtOnceBy → sendNow → waitFor), on the
   * same thread: it found the hold still on, probed getMe again and ended it a second time.
   */
  @Test
  void theNoticeSentAtOnceDoesNotProbeTheEndedHoldAgain() {
    AtomicInteger nested = new AtomicInteger();
    TelegramSilence silence = silence(() -> new SendOutcome.Sent(null));
    OutboxRow row = lost("ack 1");
    silence.unanswered(row, List.of(row), "sendMessage: timeout");
    notices.sentAtOnceBy(key -> {
      nested.incrementAndGet();
      assertThat(silence.waitFor()).as("sent at once: it goes").isEmpty();
    });
    assertThat(silence.waitFor()).isEmpty();
    assertThat(probes.get()).as("getMe once").isEqualTo(1);
    assertThat(nested.get()).as("the notice sent at once, once").isEqualTo(1);
    assertThat(outbox.queue(100).stream().filter(r -> r.key().startsWith("outbox-unknown:"))).hasSize(1);
  }

  /** Finding 7: a refused connection is no answer (nothing reached Telegram); a 5xx is one. */
  @Test
  void aRefusedConnectionKeepsTheHoldAndA5xxEndsIt() {
    AtomicInteger asked = new AtomicInteger();
    TelegramSilence silence = silence(() -> asked.getAndIncrement() == 0
        ? new SendOutcome.Transient("getMe: java.net.ConnectException: Connection refused", false)
        : new SendOutcome.Transient("getMe: 502 Bad Gateway"));
    OutboxRow row = lost("ack 1");
    silence.unanswered(row, List.of(), "sendMessage: timeout");
    assertThat(silence.waitFor()).as("refused: still held").isPresent();
    assertThat(silence.held()).isTrue();
    Awaitility.await("the next probe, answered with a 502").atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100)).until(() -> silence.waitFor().isEmpty());
    assertThat(probes.get()).isEqualTo(2);
    assertThat(silence.held()).isFalse();
  }
}
