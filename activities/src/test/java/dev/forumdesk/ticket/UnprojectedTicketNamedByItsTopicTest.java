package dev.forumdesk.ticket;

import static dev.forumdesk.outbox.QueuedRows.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.assignment.CapacityFreed;
import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.outbox.NewTopics;
import dev.forumdesk.outbox.PrivateNotes;
import dev.forumdesk.outbox.StaffPlaces;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.Level2Topics;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.telegram.UpdateJson;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit 16, F6.1 (and 16b, 6): a breach that falls due in a ticket's first workflow task (its topic
 * opened hours ago, Telegram sending it again after an outage; or opened just before a kill -9) is
 * queued before the ticket's first projection. Its staff copy was headed by the ticket's id
 * ("ticket--1001234567890-1002"), in the digest too; now by the name the topic's opening update gives it.
 */
class UnprojectedTicketNamedByItsTopicTest {
  static final long CHAT = -1001234567890L;
  static final long STAFF = -1009876543210L;
  static final String WITH_STAFF_FORUM =
      "support: {mode: group, chat-id: -1001234567890, level2-chat-id: -1009876543210, supervisors: [900001]}\n";
  static final String BREACH =
      Notices.firstResponseBreached(List.of(new Person(900001, "Sam", null)), java.time.Duration.ofMinutes(1));
  static final UpdateJson.Sender BOB = new UpdateJson.Sender(5001, "Bob", "bob", "en");

  @TempDir Path dir;

  private String staffCopyOf(long thread, String opening) throws Exception {
    try (Database db = Database.embedded(dir.resolve("db" + thread))) {
      Outbox outbox = new Outbox(db);
      Inbox inbox = new Inbox(db);
      ForumdeskConfig config = ConfigLoader.fromYaml(WITH_STAFF_FORUM);
      TicketActivitiesImpl activities = new TicketActivitiesImpl(new TicketStore(db), outbox, new Level2Topics(db),
          new NewTopics(outbox, NewTopics.ACTIVITY_WAIT), new SimpleMeterRegistry(), CapacityFreed.NOBODY,
          new PrivateNotes(outbox, new StaffPlaces(() -> config)), dev.forumdesk.assignment.FirstAnswer.NOBODY,
          SummaryFirstMessage.AS_WRITTEN, inbox);
      String ticket = TicketWorkflow.id(CHAT, thread);
      if (opening != null) {
        inbox.append(thread * 10, Optional.of(ticket), "topic-created", opening);
      }
      activities.post(new OutboundMessage(ticket + ":first-response-breach", CHAT, thread, BREACH,
          OutboundMessage.URGENT));
      OutboxRow staff = outbox.queue(20).stream().filter(r -> r.chatId() == STAFF).findFirst().orElseThrow();
      return text(staff);
    }
  }

  @Test
  void aBreachInTheTicketsFirstTaskIsHeadedByItsTopicsNameNotItsId() throws Exception {
    long date = UpdateJson.now() - 86_400;
    String copy = staffCopyOf(1002, UpdateJson.topicCreated(10020, CHAT, 1002, BOB, "Yesterday <2>", date));
    assertThat(copy).startsWith("<a href=\"https://t.me/c/1234567890/1002\">Yesterday &lt;2&gt;</a>\n")
        .doesNotContain("ticket-");
  }

  @Test
  void aTopicKnownByItsFirstMessageIsNamedByTheTopicTheMessageRepliesTo() throws Exception {
    long date = UpdateJson.now() - 86_400;
    String copy = staffCopyOf(1003, UpdateJson.textInTopic(10030, CHAT, 1003, 1004, BOB, "Yesterday 3", "hello", date));
    assertThat(copy).startsWith("<a href=\"https://t.me/c/1234567890/1003\">Yesterday 3</a>\n");
  }

  @Test
  void withNothingInTheInboxTheIdIsAllThereIs() throws Exception {
    assertThat(staffCopyOf(1005, null)).startsWith("<a href=\"https://t.me/c/1234567890/1005\">"
        + TicketWorkflow.id(CHAT, 1005) + "</a>\n");
  }
}
