package dev.forumdesk.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.store.Database;
import dev.forumdesk.store.Level2Topics;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.TelegramClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.TicketStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A retried activity (same ticket id + event key) never queues a second bot message. */
class TicketActivitiesIdempotencyTest {
  @TempDir Path dir;

  private static TicketActivitiesImpl activities(Database db, Outbox outbox, FakeTelegram telegram) {
    return activities(db, outbox, telegram, "support: {chat-id: -100, level2-chat-id: -200}"); // the tickets' -100
  }

  /**
   * The ticket activities with the configuration {@code yaml}. New topics are opened by the outbox's
   * sender; here only they are sent, at once, so that a test sees the other rows the activity queued.
   */
  static TicketActivitiesImpl activities(Database db, Outbox outbox, FakeTelegram telegram, String yaml) {
    sendTopicsAtOnce(db, telegram);
    return activities(db, outbox, yaml);
  }

  /** The ticket activities with the configuration {@code yaml}, and no sender: {@link #sendTopicsAtOnce} starts it. */
  static TicketActivitiesImpl activities(Database db, Outbox outbox, String yaml) {
    dev.forumdesk.config.ForumdeskConfig config = dev.forumdesk.config.ConfigLoader.fromYaml(yaml);
    return new TicketActivitiesImpl(new TicketStore(db), outbox,
        new Level2Topics(db), new dev.forumdesk.outbox.NewTopics(outbox, dev.forumdesk.outbox.NewTopics.ACTIVITY_WAIT),
        new SimpleMeterRegistry(), dev.forumdesk.assignment.CapacityFreed.NOBODY,
        new dev.forumdesk.outbox.PrivateNotes(outbox, new dev.forumdesk.outbox.StaffPlaces(() -> config)));
  }

  /** A sender for createForumTopic rows only, until the database closes. */
  static void sendTopicsAtOnce(Database db, FakeTelegram telegram) {
    Outbox outbox = new Outbox(db); // its own: the test's outbox tells the test of what it enqueues
    dev.forumdesk.outbox.OutboxSender sender = new dev.forumdesk.outbox.OutboxSender(outbox,
        new TelegramClient(telegram.url(), "1:t", Duration.ofSeconds(5)), dev.forumdesk.outbox.RateLimits.telegram(),
        new SimpleMeterRegistry(), new dev.forumdesk.outbox.SupervisorNotices(outbox, -1, List.of()));
    Thread.ofVirtual().start(() -> {
      try {
        while (true) {
          outbox.queue(50).stream().filter(r -> r.method().equals("createForumTopic") && r.dueAt(Instant.now()))
              .forEach(r -> sender.sendNow(r.key()));
          Thread.sleep(20);
        }
      } catch (RuntimeException | InterruptedException closed) {
        // the test closed the database
      }
    });
  }

  @Test
  void aRetriedLevel2TopicIsReusedAndAFollowUpRunGetsItsOwnWithItsSummary() {
    try (Database db = Database.embedded(dir); FakeTelegram telegram = new FakeTelegram("1:t")) {
      TicketActivitiesImpl activities = activities(db, new Outbox(db), telegram);
      String ticket = "ticket--100-42";
      long first = activities.openLevel2Topic(ticket, -200, "L2: Vendor bug", "first escalation", ticket);
      assertThat(activities.openLevel2Topic(ticket, -200, "L2: Vendor bug", "first escalation", ticket))
          .as("a retry").isEqualTo(first);
      assertThat(activities.openLevel2Topic(ticket, -200, "L2: Vendor bug", "first escalation", null))
          .as("a call from before runs were named: the ticket's topic").isEqualTo(first);
      long followUp = activities.openLevel2Topic(ticket, -200, "L2: Vendor bug", "second escalation",
          ticket + ":after:run-1");

      assertThat(followUp).isNotEqualTo(first);
      assertThat(telegram.calls("createForumTopic").stream().filter(c -> c.status() == 200)).hasSize(2);
      List<String> summaries = db.jdbi().withHandle(h -> h.createQuery(
              "select payload from outbox where chat_id = -200 and method = 'sendMessage' order by id").mapTo(String.class).list());
      assertThat(summaries).hasSize(2);
      assertThat(summaries.getFirst()).contains("first escalation").contains("\"message_thread_id\":" + first);
      assertThat(summaries.getLast()).contains("second escalation").contains("\"message_thread_id\":" + followUp);
      assertThat(new Level2Topics(db).ticketOf(-200, followUp)).contains(ticket);
    }
  }

  @Test
  void aRetriedPostEnqueuesOnce() {
    try (Database db = Database.embedded(dir); FakeTelegram telegram = new FakeTelegram("1:t")) {
      AtomicInteger wakes = new AtomicInteger();
      Outbox outbox = new Outbox(db);
      outbox.onEnqueued(chat -> wakes.incrementAndGet());
      TicketActivitiesImpl activities = activities(db, outbox, telegram);
      OutboundMessage ack = new OutboundMessage("ticket--100-42:ack", -100, 42L, "Thanks", OutboundMessage.LOW);
      for (int attempt = 0; attempt < 5; attempt++) {
        activities.post(ack);
      }
      long rows = db.jdbi().withHandle(h -> h.createQuery("select count(*) from outbox").mapTo(Long.class).one());
      assertThat(rows).isEqualTo(1);
      assertThat(wakes.get()).as("the sender is woken for the new row only").isEqualTo(1);
      assertThat(telegram.calls()).as("the activity only enqueues; the sender calls Telegram").isEmpty();
    }
  }
}
