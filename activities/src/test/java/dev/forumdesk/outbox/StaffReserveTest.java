package dev.forumdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.json.Json;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.TelegramClient;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.Person;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit 15, F3: a burst of escalations spent the staff forum's whole minute (Telegram's 20 messages
 * a minute per group, which the fake enforces with 429 and retry_after) on Level 2 topics and their
 * summaries, and a first-response breach that fell due meanwhile waited 35 s. A staff group keeps 4
 * of its 20 for the supervisors' calls; the customers' support forum keeps none. The limits' 1/s per
 * chat is lifted here (in the fake too), so the group's minute fills in about a second.
 */
class StaffReserveTest {
  static final long SUPPORT = -1001234567890L;
  static final long STAFF_FORUM = -1009876543210L;

  @TempDir Path dir;
  final FakeTelegram telegram = new FakeTelegram("1:t");
  Database db;
  Outbox outbox;
  OutboxSender sender;

  void start() {
    telegram.enforcePerChatSecond(false);
    db = Database.embedded(dir);
    outbox = new Outbox(db);
    RateLimits limits = new RateLimits(30, 30, 20, Duration.ofMinutes(1), RateLimits.STAFF_RESERVE, c -> c != SUPPORT);
    sender = new OutboxSender(outbox, new TelegramClient(telegram.url(), "1:t", Duration.ofSeconds(5)), limits,
        new SimpleMeterRegistry(), new SupervisorNotices(outbox, STAFF_FORUM, List.of(new Person(900001L, "Sam", "sam"))));
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

  /** Calls Telegram accepted in {@code chat}: messages and new topics. */
  long acceptedIn(long chat) {
    return telegram.calls().stream().filter(c -> c.status() == 200 && c.params().path("chat_id").asLong() == chat
        && (c.method().equals("sendMessage") || c.method().equals("createForumTopic"))).count();
  }

  static String link(int ticket) {
    return "<a href=\"https://t.me/c/1234567890/" + ticket + "\">Question " + ticket + "</a>";
  }

  @Test
  void aBreachDueAfterABurstOfLevel2TopicsTakesTheStaffForumsReserveAtOnce() throws Exception {
    start();
    for (int i = 0; i < 10; i++) {
      int ticket = 200 + i;
      outbox.enqueue(MessageKind.OTHER, "ticket--100-" + ticket + ":l2-topic", STAFF_FORUM, null, "createForumTopic",
          Json.mapper().createObjectNode().put("chat_id", STAFF_FORUM).put("name", "L2: Question " + ticket).toString(),
          NewTopics.PRIORITY);
      // the summaries of topics opened before: urgent, but in their topics
      outbox.enqueue(MessageKind.OTHER, new OutboundMessage("ticket--100-" + (100 + i) + ":l2-summary", STAFF_FORUM,
          1000L + i, "Level 2 escalation of Question " + (100 + i), OutboundMessage.URGENT), null, null);
    }
    // ticket 300's "⬆️ Escalated" notice, after its topic in turn
    outbox.enqueue(MessageKind.ESCALATED, new OutboundMessage("ticket--100-300:reply:e1", STAFF_FORUM, null,
        "⬆️ Escalated to Level 2 (Question 300). @sam, please take a look.", PrivateNotes.AFTER_ITS_TOPIC),
        "ticket--100-300", null);
    sender.start();
    Awaitility.await("the topics and summaries that may go").atMost(Duration.ofSeconds(20))
        .until(() -> acceptedIn(STAFF_FORUM) == 16);
    Thread.sleep(500); // a pass that would send a 17th has had its time
    assertThat(acceptedIn(STAFF_FORUM)).as("16 of the minute's 20: 4 kept for the supervisors' calls").isEqualTo(16);
    assertThat(outbox.status("ticket--100-300:reply:e1")).contains("PENDING");

    // ticket 300's first-response breach falls due: it lends its turn to the ticket's notice before it
    Instant due = Instant.now();
    outbox.enqueue(MessageKind.FIRST_RESPONSE_BREACH, new OutboundMessage("ticket--100-300:first-response-breach",
        STAFF_FORUM, null, link(300) + "\n⚠️ No agent has answered within 30 s. @sam, please take a look.",
        OutboundMessage.URGENT), "ticket--100-300", null);
    Awaitility.await("the breach").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
        .until(() -> outbox.status("ticket--100-300:first-response-breach").orElse("").equals("SENT"));
    Duration late = Duration.between(due, Instant.now());
    System.out.printf("staff reserve: the breach after 16 topics and summaries went within %d ms%n", late.toMillis());

    List<String> texts = telegram.sent().stream().map(c -> c.params().path("text").asText()).toList();
    assertThat(texts.indexOf("⬆️ Escalated to Level 2 (Question 300). @sam, please take a look."))
        .as("the ticket's notice still before its breach").isLessThan(texts.size() - 1).isNotNegative();
    assertThat(texts.getLast()).contains("⚠️ No agent has answered");
    assertThat(acceptedIn(STAFF_FORUM)).as("the notice and the breach took 2 of the reserve").isEqualTo(18);
    assertThat(outbox.backlog()).as("4 topics wait for the minute to pass").isEqualTo(4);
    assertThat(telegram.count429()).isZero();
  }

  @Test
  void theCustomersForumsAcknowledgementsTakeAllTwentyOfTheMinute() throws Exception {
    start();
    for (int i = 0; i < 25; i++) {
      outbox.enqueue(MessageKind.OTHER, new OutboundMessage("ticket--100-" + (500 + i) + ":ack", SUPPORT, 500L + i,
          "An agent will answer here.", OutboundMessage.LOW), "ticket--100-" + (500 + i), null);
    }
    sender.start();
    Awaitility.await("the minute's acknowledgements").atMost(Duration.ofSeconds(20))
        .until(() -> acceptedIn(SUPPORT) == 20);
    Thread.sleep(500);
    assertThat(acceptedIn(SUPPORT)).as("the customers' forum keeps no reserve").isEqualTo(20);
    assertThat(outbox.backlog()).isEqualTo(5);
    assertThat(telegram.count429()).isZero();
  }
}
