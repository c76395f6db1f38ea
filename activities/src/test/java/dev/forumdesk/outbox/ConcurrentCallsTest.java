package dev.forumdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forumdesk.json.Json;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.TelegramClient;
import dev.forumdesk.telegram.TelegramGateway;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.OutboundMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender's calls under way at once, several chats at a time, against the fake Bot API, which
 * enforces Telegram's limits (30 a second overall, 1 a second per chat, 20 a minute per group) where
 * the calls arrive.
 */
class ConcurrentCallsTest {
  static final String TOKEN = "42:concurrent-calls-token";

  @TempDir Path dir;
  final FakeTelegram telegram = new FakeTelegram(TOKEN);
  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  Database db;
  Outbox outbox;
  OutboxSender sender;

  void start(UnaryOperator<TelegramGateway> around) {
    db = Database.embedded(dir);
    outbox = new Outbox(db);
    sender = new OutboxSender(outbox, around.apply(new TelegramClient(telegram.url(), TOKEN, Duration.ofSeconds(10))),
        RateLimits.telegram(), metrics, new SupervisorNotices(outbox, -1001L, List.of()));
  }

  @AfterEach
  void stop() {
    if (sender != null) {
      sender.close();
    }
    if (db != null) {
      db.close();
    }
    telegram.close();
  }

  void enqueue(String key, long chat, Long thread, String text) {
    ObjectNode p = Json.mapper().createObjectNode().put("chat_id", chat).put("text", text);
    if (thread != null) {
      p.put("message_thread_id", thread);
    }
    outbox.enqueue(MessageKind.OTHER, key, chat, thread, "sendMessage", p.toString(), OutboundMessage.NORMAL);
  }

  /**
   * A burst to many chats at once, more than the 30 a second overall allows, private chats and
   * groups' topics: no call meets a 429, each message goes once, each topic's in order. Prints how
   * long it took against the least the limits allow, and each chat's longest gap between two sends
   * against the 1 s per chat.
   */
  @Test
  void aBurstToManyChatsMeetsNoLimitAndKeepsEachTopicsOrder() {
    start(gateway -> gateway);
    int privateChats = 40;
    int perPrivate = 3;
    long[] groups = {-1001L, -1002L, -1003L, -1004L};
    int perGroup = 5;
    for (int round = 0; round < Math.max(perPrivate, perGroup); round++) {
      for (int c = 0; c < privateChats && round < perPrivate; c++) {
        enqueue("dm " + c + " " + round, 7000L + c, null, "dm " + c + " #" + round);
      }
      for (long g : groups) {
        if (round < perGroup) {
          enqueue("group " + g + " " + round, g, 10L, "group " + g + " #" + round);
        }
      }
    }
    int total = privateChats * perPrivate + groups.length * perGroup;
    long started = System.nanoTime();
    sender.start();
    Awaitility.await("all sent").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
        .until(() -> outbox.backlog() == 0);
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(telegram.count429()).as("no call met Telegram's limits").isZero();
    assertThat(telegram.sent()).as("each message once").hasSize(total);
    for (int c = 0; c < privateChats; c++) {
      List<String> expected = new ArrayList<>();
      for (int round = 0; round < perPrivate; round++) {
        expected.add("dm " + c + " #" + round);
      }
      assertThat(telegram.textsTo(7000L + c, null)).containsExactlyElementsOf(expected);
    }
    for (long g : groups) {
      List<String> expected = new ArrayList<>();
      for (int round = 0; round < perGroup; round++) {
        expected.add("group " + g + " #" + round);
      }
      assertThat(telegram.textsTo(g, 10L)).containsExactlyElementsOf(expected);
    }
    long longestGapMs = 0;
    for (long chat : telegram.sent().stream().mapToLong(c -> c.params().path("chat_id").asLong()).distinct().toArray()) {
      List<FakeTelegram.Call> to = telegram.sent().stream().filter(c -> c.params().path("chat_id").asLong() == chat).toList();
      for (int i = 1; i < to.size(); i++) {
        longestGapMs = Math.max(longestGapMs, Duration.between(to.get(i - 1).at(), to.get(i).at()).toMillis());
      }
    }
    System.out.printf("burst to %d chats, %d messages: %d ms (the limits allow no less than about %d ms);"
            + " a chat's longest gap between two sends %d ms (its limit: 1,000 ms, the sender's 1,100 ms); %.0f passes%n",
        privateChats + groups.length, total, tookMs, (total - 30) * 1000L / 30, longestGapMs,
        metrics.counter("forumdesk_outbox_passes_total").count());
  }

  /**
   * One chat's messages go one a second: prints each gap between two sends (the sender keeps 1.1 s
   * after a call returned; a wake-up lost after a call would show as up to a second more).
   */
  @Test
  void oneChatsMessagesGoAsSoonAsItsLimitAllows() {
    start(gateway -> gateway);
    int n = 6;
    for (int i = 0; i < n; i++) {
      enqueue("m" + i, 7100L, null, "m" + i);
    }
    sender.start();
    Awaitility.await("all sent").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> outbox.backlog() == 0);
    assertThat(telegram.count429()).isZero();
    List<FakeTelegram.Call> sent = telegram.sent();
    assertThat(sent).extracting(c -> c.params().path("text").asText()).containsExactly("m0", "m1", "m2", "m3", "m4", "m5");
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < sent.size(); i++) {
      gaps.add(Duration.between(sent.get(i - 1).at(), sent.get(i).at()).toMillis());
    }
    System.out.printf("one chat, %d messages: gaps between sends %s ms%n", n, gaps);
  }

  /**
   * A call that reaches Telegram late (a slow connection: here held before it leaves) while the
   * other chats' messages fill the overall 30 a second. Its slot left the overall window a second
   * after it was taken, while the call was still under way, and the window let a 31st message go
   * in the second the late call then arrived in: Telegram's 429. One thread making every call never
   * met this (no other call was made while one was under way).
   */
  @Test
  void aCallUnderWayStillCountsInTheOverallWindowUntilItReturns() throws Exception {
    long late = 7999L;
    OutboxSenderTest.Gate gate = new OutboxSenderTest.Gate(late);
    start(gate::around);
    enqueue("late", late, null, "the late call");
    int others = 70;
    for (int c = 0; c < others; c++) {
      enqueue("other " + c, 8000L + c, null, "to chat " + c);
    }
    sender.start();
    try {
      Awaitility.await("the late call held").atMost(Duration.ofSeconds(10)).until(() -> gate.waiting.get() == 1);
      // two windows' worth of the others: the overall window let go of the late call's slot meanwhile
      Awaitility.await("the others' second second").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
          .until(() -> telegram.sent().size() >= 58);
      Thread.sleep(300); // a 59th the window would let go, if it does
    } finally {
      gate.release();
    }
    Awaitility.await("all sent").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> outbox.backlog() == 0);
    assertThat(telegram.count429()).as("no call met Telegram's 30 a second").isZero();
    assertThat(telegram.sent()).hasSize(others + 1);
  }

  /**
   * The webhook role sends its own alerts at once (sendNow claims the row), and the worker's sender
   * may have read the queue with the alert still PENDING just before: it marked the row SENDING
   * over the claim and called too, and the supervisors got the alert twice. A row another role took
   * since the queue was read is now left to it.
   */
  /**
   * The webhook role's sender, and the worker's (started by the test) whose pass lets that role's
   * sendNow claim row {@code key} once, when it asks whether the row is still worth sending: after it
   * read the queue, before it takes the rows (the head's, and each folded into its message).
   */
  private OutboxSender webhookRoleClaimingMeanwhile(String key, AtomicBoolean claimed) {
    telegram.enforcePerChatSecond(false); // two roles, each with its own limits, write to one chat
    db = Database.embedded(dir);
    outbox = new Outbox(db);
    TelegramClient client = new TelegramClient(telegram.url(), TOKEN, Duration.ofSeconds(10));
    SupervisorNotices notices = new SupervisorNotices(outbox, -1001L, List.of());
    OutboxSender webhookRole = new OutboxSender(outbox, client, RateLimits.telegram(), new SimpleMeterRegistry(), notices);
    OutboxSender.Obsolete meanwhile = (row, now) -> {
      if (row.key().equals(key) && claimed.compareAndSet(false, true)) {
        webhookRole.sendNow(key);
      }
      return Optional.empty();
    };
    sender = new OutboxSender(outbox, client, RateLimits.telegram(), metrics, notices, meanwhile);
    return webhookRole;
  }

  @Test
  void anAlertTheWebhookRoleClaimedAfterTheQueueWasReadGoesOnce() {
    AtomicBoolean claimed = new AtomicBoolean();
    try (OutboxSender webhookRole = webhookRoleClaimingMeanwhile("alert", claimed)) {
      enqueue("alert", -1001L, null, "🚨 an alert");
      sender.start();
      Awaitility.await("claimed and sent").atMost(Duration.ofSeconds(10))
          .until(() -> claimed.get() && outbox.status("alert").orElse("").equals("SENT"));
      Awaitility.await("no second call").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
          .until(() -> telegram.calls("sendMessage").size() == 1);
      assertThat(telegram.textsTo(-1001L, null)).containsExactly("🚨 an alert");
      assertThat(outbox.status("alert")).contains("SENT");
    }
  }

  /**
   * A message that folds several rows (a topic's low-priority notices coalesced, a digest) whose
   * rows the webhook role's sendNow partly claimed after the worker's sender read the queue: the
   * claimed row went at once, in full, so the folded message leaves it out and sends only the rows
   * it took, each marked once (the claimed row keeps its own call's message id).
   */
  @Test
  void aFoldedMessageLeavesOutARowTheWebhookRoleSentMeanwhile() {
    AtomicBoolean claimed = new AtomicBoolean();
    try (OutboxSender webhookRole = webhookRoleClaimingMeanwhile("note 2", claimed)) {
      for (int i = 1; i <= 3; i++) {
        outbox.enqueue(MessageKind.OTHER, "note " + i, -1001L, 77L, "sendMessage", Json.mapper().createObjectNode()
            .put("chat_id", -1001L).put("message_thread_id", 77L).put("text", "note " + i).toString(), OutboundMessage.LOW);
      }
      sender.start();
      Awaitility.await("all sent").atMost(Duration.ofSeconds(10)).until(() -> outbox.backlog() == 0);
      Awaitility.await("no other call").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
          .until(() -> telegram.calls("sendMessage").size() == 2);
      assertThat(claimed).isTrue();
      assertThat(telegram.textsTo(-1001L, 77L)).containsExactly("note 2", "note 1\n\nnote 3");
      Long folded = outbox.outcome("note 1").orElseThrow().messageId();
      assertThat(outbox.outcome("note 3").orElseThrow().messageId()).as("folded into note 1's message").isEqualTo(folded);
      assertThat(outbox.outcome("note 2").orElseThrow().messageId()).as("marked by its own call only")
          .isNotNull().isNotEqualTo(folded);
      assertThat(List.of("note 1", "note 2", "note 3")).allSatisfy(k -> assertThat(outbox.status(k)).contains("SENT"));
    }
  }
}
