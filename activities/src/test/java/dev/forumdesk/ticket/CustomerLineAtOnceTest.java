package dev.forumdesk.ticket;

import static dev.forumdesk.outbox.QueuedRows.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.outbox.OutboxSender;
import dev.forumdesk.outbox.RateLimits;
import dev.forumdesk.outbox.SupervisorNotices;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.TelegramClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lifecycle rules 11, as the activities see it: the workflow hands over "⬆️ Escalated to Level 2"
 * twice, first to {@link TicketActivities#customerLine} at once, then, once its Level 2 topic has
 * opened, to {@link TicketActivities#post}. The first queues what the customer reads of it in group
 * mode, the second the staff's part only: the customer reads their line once, and does not wait for a
 * Level 2 topic in another group's budget.
 */
class CustomerLineAtOnceTest {
  static final long SUPPORT = StaffNoticesInTheTopicTest.CHAT;
  static final long STAFF_FORUM = StaffNoticesInTheTopicTest.STAFF;
  static final String LINE = "⬆️ A specialist will join shortly.";

  @TempDir Path dir;

  /**
   * The rows queued for a ticket's notice: its customer's line at once, then the notice itself.
   *
   * @param linesAtOnce how many rows {@code customerLine} queues (its line once, asked twice; none where
   *     the customer has no line): without the count a customerLine that queued nothing passed as well,
   *     the notice's post queuing the line later
   */
  private List<OutboxRow> lineThenNotice(String yaml, String notice, int linesAtOnce) throws Exception {
    try (Database db = Database.embedded(Files.createTempDirectory(dir, "db"))) {
      Outbox outbox = new Outbox(db);
      TicketActivitiesImpl activities = TicketActivitiesIdempotencyTest.activities(db, outbox, yaml);
      OutboundMessage m = new OutboundMessage(StaffNoticesInTheTopicTest.TICKET + ":reply:u7", SUPPORT, 42L, notice,
          OutboundMessage.NORMAL, MessageKind.ESCALATED);
      activities.customerLine(m);
      activities.customerLine(m); // a retry, or a restore asking again
      List<OutboxRow> atOnce = outbox.queue(20);
      assertThat(atOnce).as("what goes at once").hasSize(linesAtOnce).allSatisfy(r -> {
        assertThat(r.chatId()).as("the customer's topic only").isEqualTo(SUPPORT);
        assertThat(text(r)).isEqualTo(LINE);
      });
      activities.post(m);
      return outbox.queue(20);
    }
  }

  @Test
  void inGroupModeTheCustomersLineIsQueuedAtOnceAndTheNoticeLaterAddsOnlyTheStaffsPart() throws Exception {
    List<OutboxRow> rows = lineThenNotice(StaffNoticesInTheTopicTest.WITH_STAFF_FORUM, StaffNoticesInTheTopicTest.ESCALATED, 1);
    assertThat(rows).satisfiesExactly(
        topic -> {
          assertThat(topic.chatId()).isEqualTo(SUPPORT);
          assertThat(topic.threadId()).isEqualTo(42L);
          assertThat(text(topic)).as("once").isEqualTo(LINE);
          assertThat(topic.kind()).isEqualTo(MessageKind.ESCALATED);
          assertThat(topic.priority()).isEqualTo(OutboundMessage.NORMAL);
        },
        staff -> {
          assertThat(staff.chatId()).isEqualTo(STAFF_FORUM);
          assertThat(text(staff)).contains("https://t.me/c/1234567890/42", StaffNoticesInTheTopicTest.ESCALATED);
        });
  }

  /** Without a staff forum the supervisors get the notice by DM, later; the customer's line is at once all the same. */
  @Test
  void withoutAStaffForumTheLineIsAtOnceAndTheSupervisorsDmComesWithTheNotice() throws Exception {
    List<OutboxRow> rows = lineThenNotice(StaffNoticesInTheTopicTest.ONE_FORUM, StaffNoticesInTheTopicTest.ESCALATED, 1);
    assertThat(rows).filteredOn(r -> r.chatId() == SUPPORT).extracting(dev.forumdesk.outbox.QueuedRows::text)
        .containsExactly(LINE);
    assertThat(rows).filteredOn(r -> r.chatId() == 900001).singleElement()
        .satisfies(dm -> assertThat(text(dm)).contains("⬆️ Escalated to Level 2: customer angry. Please take a look."));
  }

  /** Relay mode: only agents read the topic; nothing goes at once, and the notice goes there as it is, later. */
  @Test
  void inRelayModeNothingGoesAtOnceAndTheNoticeGoesToTheAgentsTopicAsItIs() throws Exception {
    List<OutboxRow> rows = lineThenNotice(StaffNoticesInTheTopicTest.RELAY, StaffNoticesInTheTopicTest.ESCALATED, 0);
    assertThat(rows).singleElement().satisfies(topic -> {
      assertThat(topic.chatId()).isEqualTo(SUPPORT);
      assertThat(text(topic)).isEqualTo(StaffNoticesInTheTopicTest.ESCALATED);
    });
  }

  /** The escalation chain's call has no line for the customer: nothing at once, nothing in their topic. */
  @Test
  void theChainsCallHasNoLineForTheCustomer() throws Exception {
    List<OutboxRow> rows = lineThenNotice(StaffNoticesInTheTopicTest.WITH_STAFF_FORUM, StaffNoticesInTheTopicTest.CHAIN, 0);
    assertThat(rows).singleElement().satisfies(staff -> assertThat(staff.chatId()).isEqualTo(STAFF_FORUM));
  }

  /**
   * Against the fake Telegram, in a busy Level 2 forum (its 20 messages of the minute spent, so its
   * createForumTopic waits up to a minute for the group's budget; in a burst, minutes): the customer
   * reads "⬆️ A specialist will join shortly." in their topic at once, while the Level 2 topic has not
   * been created yet and the staff's notice waits for it. Under rules 10 the line went with the notice,
   * after the topic.
   */
  @Test
  void theCustomersLineIsSentWithoutWaitingForTheLevel2TopicInABusyForum() throws Exception {
    try (Database db = Database.embedded(dir); FakeTelegram telegram = new FakeTelegram("1:t")) {
      Outbox outbox = new Outbox(db);
      TicketActivitiesImpl activities =
          TicketActivitiesIdempotencyTest.activities(db, outbox, StaffNoticesInTheTopicTest.WITH_STAFF_FORUM);
      RateLimits limits = RateLimits.telegram();
      java.time.Instant now = java.time.Instant.now();
      for (int i = 0; i < 20; i++) {
        limits.remember(STAFF_FORUM, true, now); // the Level 2 forum's minute is spent
      }
      String ticket = "ticket-" + SUPPORT + "-250";
      OutboundMessage notice = new OutboundMessage(ticket + ":reply:e1", SUPPORT, 250L,
          StaffNoticesInTheTopicTest.ESCALATED, OutboundMessage.NORMAL, MessageKind.ESCALATED);
      try (OutboxSender sender = new OutboxSender(outbox, new TelegramClient(telegram.url(), "1:t",
          Duration.ofSeconds(5)), limits, new SimpleMeterRegistry(),
          new SupervisorNotices(outbox, STAFF_FORUM, List.of())).start()) {
        // as the rules 11 workflow does: the topic asked beside its loop, the customer's line at once
        Thread topicActivity = Thread.ofVirtual().start(() -> {
          try {
            activities.openLevel2Topic(ticket, STAFF_FORUM, "L2: " + ticket, "summary of " + ticket, ticket);
          } catch (RuntimeException waiting) {
            // the topic still waits for the forum's budget: the workflow would ask again later
          }
        });
        Awaitility.await("the topic's row").atMost(Duration.ofSeconds(10)).until(() -> outbox.queue(100).stream()
            .anyMatch(r -> r.method().equals("createForumTopic")));
        activities.customerLine(notice);

        Awaitility.await("the customer's line").atMost(Duration.ofSeconds(10))
            .until(() -> telegram.textsTo(SUPPORT, 250L).contains(LINE));
        assertThat(telegram.calls("createForumTopic")).as("the Level 2 topic waits for its forum's budget").isEmpty();
        assertThat(outbox.queue(100)).as("still queued").anyMatch(r -> r.method().equals("createForumTopic"));
        assertThat(telegram.calls()).as("nothing in the Level 2 forum yet, the staff's notice neither")
            .noneMatch(c -> c.params().path("chat_id").asLong() == STAFF_FORUM);
        assertThat(telegram.textsTo(SUPPORT, 250L)).as("what the customer reads").containsExactly(LINE);
        topicActivity.interrupt(); // the test is done with it: its wait need not run out
      }
    }
  }

  /**
   * The whole escalation against the fake Telegram, as the rules 11 workflow hands it over: the
   * customer's line, then the topic, then, once it is open, the notice. The customer reads their line
   * once; the staff forum gets the topic, its summary and then the notice.
   */
  @Test
  void theNoticeAfterItsTopicAddsNothingForTheCustomer() throws Exception {
    try (Database db = Database.embedded(dir); FakeTelegram telegram = new FakeTelegram("1:t")) {
      Outbox outbox = new Outbox(db);
      TicketActivitiesImpl activities =
          TicketActivitiesIdempotencyTest.activities(db, outbox, StaffNoticesInTheTopicTest.WITH_STAFF_FORUM);
      String ticket = "ticket-" + SUPPORT + "-260";
      OutboundMessage notice = new OutboundMessage(ticket + ":reply:e2", SUPPORT, 260L,
          StaffNoticesInTheTopicTest.ESCALATED, OutboundMessage.NORMAL, MessageKind.ESCALATED);
      try (OutboxSender sender = new OutboxSender(outbox, new TelegramClient(telegram.url(), "1:t",
          Duration.ofSeconds(5)), RateLimits.telegram(), new SimpleMeterRegistry(),
          new SupervisorNotices(outbox, STAFF_FORUM, List.of())).start()) {
        activities.customerLine(notice);
        assertThat(outbox.status(notice.key())).as("the line, queued before the topic and the notice").isPresent();
        long l2 = Level2TopicBurstTest.openAsTemporalWould(activities, ticket);
        activities.post(notice);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> outbox.backlog() == 0);

        assertThat(telegram.textsTo(SUPPORT, 260L)).as("the customer's line, once").containsExactly(LINE);
        List<String> inForum = telegram.calls().stream()
            .filter(c -> c.status() == 200 && c.params().path("chat_id").asLong() == STAFF_FORUM)
            .map(c -> c.method().equals("createForumTopic") ? "topic"
                : c.params().path("message_thread_id").asLong() == l2 ? "summary"
                : c.params().path("text").asText().contains("⬆️ Escalated to Level 2") ? "notice" : "other")
            .toList();
        assertThat(inForum).containsExactly("topic", "summary", "notice");
      }
    }
  }
}
