package dev.forumdesk.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.assignment.CapacityFreed;
import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Level2Topics;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.telegram.FakeTelegram;
import dev.forumdesk.telegram.TelegramClient;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.TicketActivitiesImpl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a private note goes when Telegram refuses the DM, as the ticket activity stores it with
 * the DM: in group mode the customer reads the topic, so the note itself never goes there.
 */
class PrivateNotesTest {
  static final long CHAT = -1001234567890L;
  static final long STAFF = -1009876543210L;
  static final String TICKET = "ticket-" + CHAT + "-42";
  static final String NOTE = "😟 The customer in <a href=\"https://t.me/c/1234567890/42\">App crash</a> sounds upset"
      + " (sentiment -0.94); priority is now HIGH.";
  static final String AGENTS = """
      agents:
        - {id: 1002, name: Boris, username: boris, team: general, languages: [en]}
      """;

  @TempDir Path dir;

  /** The workflow's DirectMessage effect for {@code to}: the DM, and the note with a mention for the topic. */
  Fallback refusedDmTo(long to, String mention, String yaml) {
    ForumdeskConfig config = ConfigLoader.fromYaml(yaml + AGENTS);
    try (Database db = Database.embedded(dir); FakeTelegram telegram = new FakeTelegram("1:t")) {
      Outbox outbox = new Outbox(db);
      TicketActivitiesImpl activities = new TicketActivitiesImpl(new TicketStore(db), outbox, new Level2Topics(db),
          new TelegramClient(telegram.url(), "1:t", Duration.ofSeconds(5)), new SimpleMeterRegistry(),
          CapacityFreed.NOBODY, new PrivateNotes(outbox, new StaffPlaces(() -> config)));
      String cause = TICKET + ":sentiment:first message";
      activities.directMessage(TICKET,
          new OutboundMessage(cause + ":dm:" + to, to, null, NOTE, OutboundMessage.URGENT),
          new OutboundMessage(cause + ":fallback:" + to, CHAT, 42L, mention + " " + NOTE, OutboundMessage.URGENT));
      OutboxRow dm = outbox.queue(10).stream().filter(r -> r.chatId() == to).findFirst().orElseThrow();
      Outbox.Refusal refusal = outbox.refusalOf(dm.id()).orElseThrow();
      assertThat(refusal.ticketId()).isEqualTo(TICKET);
      return Fallback.read(refusal.fallback());
    }
  }

  @Test
  void groupModeWithAStaffForumPostsTheNoteThereMentioningThePerson() {
    Fallback f = refusedDmTo(1002, "@boris", """
        support: {mode: group, chat-id: -1001234567890, level2-chat-id: -1009876543210}
        """);
    assertThat(f.chatId()).isEqualTo(STAFF);
    assertThat(f.threadId()).as("the staff forum's General topic").isNull();
    assertThat(f.text()).isEqualTo("@boris " + NOTE);
    assertThat(f.instead()).isEqualTo("posted in the staff forum instead");
  }

  @Test
  void groupModeInOneForumMentionsThePersonInTheTopicWithoutTheNote() {
    String sameForum = """
        support: {mode: group, chat-id: -1001234567890, level2-chat-id: -1001234567890}
        """;
    Fallback f = refusedDmTo(1002, "@boris", sameForum);
    assertThat(f.chatId()).isEqualTo(CHAT);
    assertThat(f.threadId()).isEqualTo(42L);
    assertThat(f.text()).isEqualTo("@boris, please take a look at this ticket.")
        .doesNotContain("upset", "sentiment", "customer");
    assertThat(f.instead()).isEqualTo("mentioned them in the topic instead, without the note");
  }

  @Test
  void aSupervisorWhoIsNoAgentIsMentionedByTheirId() {
    Fallback f = refusedDmTo(900001, "<a href=\"tg://user?id=900001\">Supervisor 900001</a>", """
        support: {mode: group, chat-id: -1001234567890, supervisors: [900001]}
        """);
    assertThat(f.text()).isEqualTo("<a href=\"tg://user?id=900001\">Supervisor 900001</a>, please take a look at this ticket.");
  }

  @Test
  void relayModesTopicIsTheAgentsOwnAndGetsTheNote() {
    Fallback f = refusedDmTo(1002, "@boris", """
        support: {mode: relay, chat-id: -1001234567890, level2-chat-id: -1009876543210}
        """);
    assertThat(f.chatId()).isEqualTo(CHAT);
    assertThat(f.threadId()).isEqualTo(42L);
    assertThat(f.text()).isEqualTo("@boris " + NOTE);
    assertThat(f.instead()).isEqualTo("posted in the topic instead");
  }

  /** A row stored by the version before, with no word of where it goes: the topic, as then. */
  @Test
  void aFallbackStoredBeforeSaysNothingOfWhereAndWasForTheTopic() {
    Fallback f = Fallback.read("{\"key\":\"k\",\"chat_id\":-100,\"thread_id\":42,\"priority\":0,"
        + "\"payload\":\"{\\\"chat_id\\\":-100,\\\"text\\\":\\\"@boris hi\\\"}\"}");
    assertThat(f.instead()).isEqualTo("posted in the topic instead");
    assertThat(f.text()).isEqualTo("@boris hi");
    assertThat(f.threadId()).isEqualTo(42L);
  }
}
