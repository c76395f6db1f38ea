package dev.forumdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.json.Json;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.OutboxRow;
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
    start(limits());
  }

  /** The limits of a desk whose customers' forum is {@link #SUPPORT}, with 30 a second per chat. */
  static RateLimits limits() {
    return new RateLimits(30, 30, 20, Duration.ofMinutes(1), RateLimits.STAFF_RESERVE, c -> c != SUPPORT);
  }

  /** The sender, not started. */
  void start(RateLimits limits) {
    telegram.enforcePerChatSecond(false);
    db = Database.embedded(dir);
    outbox = new Outbox(db);
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

  static final String GROUP_MODE =
      "support: {mode: group, chat-id: -1001234567890, level2-chat-id: -1009876543210, supervisors: [900001]}\n";
  static final String ESCALATED = "⬆️ Escalated to Level 2: customer angry. @sam, please take a look.";

  /** Group mode: the customers read the support forum, the staff forum is the Level 2 forum. */
  PrivateNotes groupModeNotes() {
    ForumdeskConfig config = ConfigLoader.fromYaml(GROUP_MODE);
    return new PrivateNotes(outbox, new StaffPlaces(() -> config));
  }

  static String ticket(int n) {
    return "ticket-" + SUPPORT + "-" + n;
  }

  void staffNotice(MessageKind kind, int n, String notice) {
    outbox.enqueue(kind, new OutboundMessage(ticket(n) + ":" + kind.name().toLowerCase() + ":staff", STAFF_FORUM, null,
        link(n) + "\n" + notice, OutboundMessage.URGENT), ticket(n), null);
  }

  /** Ticket {@code n}'s Level 2 topic, asked for in the staff forum. */
  void level2Topic(int n) {
    outbox.enqueue(MessageKind.OTHER, ticket(n) + ":l2-topic", STAFF_FORUM, null, "createForumTopic",
        Json.mapper().createObjectNode().put("chat_id", STAFF_FORUM).put("name", "L2: Question " + n).toString(),
        NewTopics.PRIORITY);
  }

  /** Ticket 300's Level 2 topic, opened in the staff forum, and its summary queued there. */
  void level2TopicOf300() {
    level2Topic(300);
    List<OutboxRow> topic = outbox.queue(10).stream().filter(r -> r.key().equals(ticket(300) + ":l2-topic")).toList();
    outbox.sent(outbox.attempting(topic).getFirst().id(), 9300L);
    outbox.enqueue(MessageKind.LEVEL2_SUMMARY, new OutboundMessage(ticket(300) + ":l2-summary", STAFF_FORUM, 9300L,
        "Level 2 escalation of Question 300", OutboundMessage.URGENT), ticket(300), null);
  }

  /** One pass; its call's outcome written before the next. */
  int pass() {
    int calls = sender.sendDue().calls();
    Awaitility.await("the pass's calls").atMost(Duration.ofSeconds(10)).until(() -> outbox.backlog()
        == outbox.queue(100).size());
    return calls;
  }

  /**
   * Audit 16: in a storm of 26 breaches the "⬆️ Escalated to Level 2 … @sam" notice a person's
   * /escalate queued waited 2 min 48 s in the staff forum (its turn after the Level 2 topics', and no
   * share of the 4 of the group's 20 a minute kept for the supervisors' calls), behind the breaches'
   * and the escalation chain's notices. It now goes before them, after its Level 2 summary, within
   * the group's 20 a minute. The passes are made one by one ({@link OutboxSender#sendDue}: each sends at most
   * one message to a chat), the minute's earlier messages told to the limits: no timing.
   */
  @Test
  void aPersonsEscalationGoesBeforeTheStormsBreachesAfterItsSummaryWithinTheMinute() {
    RateLimits limits = limits();
    // the storm's minute so far: 16 messages, all but the 4 kept for the supervisors' calls
    Instant earlier = Instant.now().minusSeconds(5);
    for (int i = 0; i < 20 - RateLimits.STAFF_RESERVE; i++) {
      limits.remember(STAFF_FORUM, true, earlier);
    }
    start(limits); // not started: the test makes the passes
    PrivateNotes notes = groupModeNotes();

    // the storm's notices, queued first: three breaches, two chain calls, a Level 2 topic
    for (int n = 201; n <= 203; n++) {
      staffNotice(MessageKind.FIRST_RESPONSE_BREACH, n, "⚠️ No agent has answered within 1 min. @sam, please take a look.");
    }
    for (int n = 204; n <= 205; n++) {
      staffNotice(MessageKind.ESCALATION_CHAIN, n,
          "🚨 Still unanswered 1 min after the escalation: moved to Level 2. @sam, please take a look.");
    }
    level2Topic(206);
    // ticket 300: /escalate opened its Level 2 topic, then its answer came (lifecycle rules 10)
    level2TopicOf300();
    notes.inTopic(new OutboundMessage(ticket(300) + ":reply:e1", SUPPORT, 300L, ESCALATED, OutboundMessage.NORMAL),
        id -> link(300));

    List<String> sent = new java.util.ArrayList<>();
    for (int i = 0; i < 6 && pass() > 0; i++) {
      sent = telegram.sent().stream().filter(c -> c.params().path("chat_id").asLong() == STAFF_FORUM)
          .map(c -> c.params().path("text").asText()).toList();
    }
    assertThat(sent).as("the summary, the notice pointing to it, then the storm's digests: the minute's 20")
        .hasSize(RateLimits.STAFF_RESERVE);
    assertThat(sent.get(0)).startsWith("Level 2 escalation of Question 300");
    assertThat(sent.get(1)).isEqualTo(link(300) + "\n" + ESCALATED);
    assertThat(sent.get(2)).startsWith("⚠️ No agent has answered within 1 min.").contains(link(201), link(202), link(203));
    assertThat(sent.get(3)).startsWith("🚨 Still unanswered").contains(link(204), link(205));
    assertThat(pass()).as("the minute is full: nothing more goes").isZero();
    assertThat(outbox.status(ticket(206) + ":l2-topic")).as("waits for the minute").contains("PENDING");
    assertThat(telegram.count429()).isZero();
  }

  /**
   * A ticket on rules before 10 queues the notice before its Level 2 topic: the notice still waits
   * for the topic (its turn after the topics'), as before.
   */
  @Test
  void aNoticeQueuedBeforeItsTopicOpenedStillWaitsForIt() {
    start(limits());
    PrivateNotes notes = groupModeNotes();
    notes.inTopic(new OutboundMessage(ticket(301) + ":reply:e1", SUPPORT, 301L, ESCALATED, OutboundMessage.NORMAL),
        id -> link(301));
    level2Topic(301);
    assertThat(outbox.queue(10).stream().filter(r -> r.chatId() == STAFF_FORUM).map(OutboxRow::key))
        .containsExactly(ticket(301) + ":l2-topic", ticket(301) + ":reply:e1:staff");
  }
}
