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
import dev.forumdesk.ticket.MessageKind;
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

  static TicketActivitiesImpl activities(Database db, Outbox outbox, FakeTelegram telegram, ForumdeskConfig config) {
    return new TicketActivitiesImpl(new TicketStore(db), outbox, new Level2Topics(db),
        new NewTopics(outbox, Duration.ofSeconds(12)), new SimpleMeterRegistry(),
        CapacityFreed.NOBODY, new PrivateNotes(outbox, new StaffPlaces(() -> config)));
  }

  /** The workflow's DirectMessage effect for {@code to}: the DM, and the note with a mention for the topic. */
  Fallback refusedDmTo(long to, String mention, String yaml) {
    return refusedDmTo(to, mention, yaml, yaml);
  }

  /**
   * @param yaml the configuration when the DM is queued
   * @param atRefusal the configuration when Telegram refuses it (a restart in between)
   * @return what replaces it then
   */
  Fallback refusedDmTo(long to, String mention, String yaml, String atRefusal) {
    java.util.concurrent.atomic.AtomicReference<ForumdeskConfig> config =
        new java.util.concurrent.atomic.AtomicReference<>(ConfigLoader.fromYaml(yaml + AGENTS));
    try (Database db = Database.embedded(dir); FakeTelegram telegram = new FakeTelegram("1:t")) {
      Outbox outbox = new Outbox(db);
      PrivateNotes notes = new PrivateNotes(outbox, new StaffPlaces(config::get));
      TicketActivitiesImpl activities = new TicketActivitiesImpl(new TicketStore(db), outbox, new Level2Topics(db),
          new NewTopics(outbox, Duration.ofSeconds(12)), new SimpleMeterRegistry(), CapacityFreed.NOBODY, notes);
      String cause = TICKET + ":sentiment:first message";
      activities.directMessage(TICKET,
          new OutboundMessage(cause + ":dm:" + to, to, null, NOTE, OutboundMessage.URGENT),
          new OutboundMessage(cause + ":fallback:" + to, CHAT, 42L, mention + " " + NOTE, OutboundMessage.URGENT));
      OutboxRow dm = outbox.queue(10).stream().filter(r -> r.chatId() == to).findFirst().orElseThrow();
      config.set(ConfigLoader.fromYaml(atRefusal + AGENTS));
      Outbox.Refusal refusal = outbox.refusalOf(dm.id()).orElseThrow();
      assertThat(refusal.ticketId()).isEqualTo(TICKET);
      return notes.whenRefused(refusal.fallback());
    }
  }

  /**
   * A DM queued before a restart that removed the staff forum, refused after it: where staff read
   * now, so nowhere (audit 10, F8: "@sue_lead ⏰ Not resolved within 4 min" was posted in the forum
   * the desk no longer used); and queued before one was configured, refused after: the staff forum.
   */
  @Test
  void theFallbackIsWhereStaffReadWhenTheDmIsRefusedNotWhenItWasQueued() {
    String staffForum = "support: {mode: group, chat-id: -1001234567890, level2-chat-id: -1009876543210}\n";
    String none = "support: {mode: group, chat-id: -1001234567890}\n";
    Fallback removed = refusedDmTo(1002, "@boris", staffForum, none);
    assertThat(removed.sendsSomething()).isFalse();
    assertThat(removed.instead()).startsWith("not posted: the customer reads the topic, and there is no staff forum");

    Fallback added = refusedDmTo(1002, "@boris", none, staffForum);
    assertThat(added.chatId()).isEqualTo(STAFF);
    assertThat(added.threadId()).isNull();
    assertThat(added.text()).isEqualTo("@boris " + NOTE);
    assertThat(added.instead()).isEqualTo("posted in the staff forum instead");

    Fallback moved = refusedDmTo(1002, "@boris", staffForum,
        "support: {mode: group, chat-id: -1001234567890, level2-chat-id: -1005555555555}\n");
    assertThat(moved.chatId()).as("the staff forum of now").isEqualTo(-1005555555555L);
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

  /**
   * Audit 9, F1: without a staff forum nothing replaces the DM in the customer's topic, not even a
   * mention: a supervisor who never started the bot was pinged there for every notice of every ticket.
   */
  @Test
  void groupModeInOneForumPostsNothingInTheCustomersTopicAndTheAuditSaysWhy() {
    String sameForum = """
        support: {mode: group, chat-id: -1001234567890, level2-chat-id: -1001234567890, supervisors: [900001]}
        """;
    for (long to : new long[] {1002, 900001}) {
      Fallback f = refusedDmTo(to, "@boris", sameForum);
      assertThat(f.sendsSomething()).isFalse();
      assertThat(f.instead()).isEqualTo("not posted: the customer reads the topic, and there is no staff forum"
          + " (support.level2-chat-id); nothing reaches them privately until they start a private chat with the bot");
    }
  }

  @Test
  void aFallbackToNothingReadsBackAsNothing() {
    Fallback f = Fallback.read(Fallback.nothing("not posted").json());
    assertThat(f.sendsSomething()).isFalse();
    assertThat(f.instead()).isEqualTo("not posted");
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

  /**
   * A note with nobody to go to privately (no assignee, no supervisors), through the ticket
   * activity as the workflow's StaffNote effect calls it.
   *
   * @return where it went instead of the topic, and the one row it enqueued (null: none)
   */
  NoteWent noteForNobody(String yaml) {
    ForumdeskConfig config = ConfigLoader.fromYaml(yaml + AGENTS);
    try (Database db = Database.embedded(dir); FakeTelegram telegram = new FakeTelegram("1:t")) {
      Outbox outbox = new Outbox(db);
      TicketActivitiesImpl activities = activities(db, outbox, telegram, config);
      OutboundMessage note = new OutboundMessage(TICKET + ":sentiment:first message", CHAT, 42L, NOTE, OutboundMessage.URGENT);
      java.util.Optional<String> instead = activities.staffNote(TICKET, note);
      activities.staffNote(TICKET, note); // a retried activity
      java.util.List<OutboxRow> rows = outbox.queue(10);
      assertThat(rows).hasSizeLessThanOrEqualTo(1);
      return new NoteWent(instead.orElse(null), rows.isEmpty() ? null : rows.getFirst());
    }
  }

  record NoteWent(String instead, OutboxRow row) {}

  @Test
  void aNoteForNobodyGoesToTheStaffForumInGroupMode() {
    NoteWent went = noteForNobody("support: {mode: group, chat-id: -1001234567890, level2-chat-id: -1009876543210}\n");
    assertThat(went.instead()).isEqualTo("posted in the staff forum instead");
    assertThat(went.row().chatId()).isEqualTo(STAFF);
    assertThat(went.row().threadId()).as("its General topic").isNull();
    assertThat(went.row().payload()).contains("sounds upset");
  }

  @Test
  void aNoteForNobodyInGroupModeWithoutAStaffForumIsNotPostedAndSaysSo() {
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(PrivateNotes.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log = new ch.qos.logback.core.read.ListAppender<>();
    log.start();
    logger.addAppender(log);
    try {
      NoteWent went = noteForNobody("support: {mode: group, chat-id: -1001234567890, level2-chat-id: -1001234567890}\n");
      assertThat(went.row()).as("nothing for the customer's topic").isNull();
      assertThat(went.instead()).isEqualTo(
          "not posted: the customer reads the topic, and there is no staff forum (support.level2-chat-id)");
      assertThat(log.list).anySatisfy(e -> {
        assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
        assertThat(e.getFormattedMessage()).startsWith(TICKET + ": a note for staff").contains("support.supervisors")
            .doesNotContain("upset");
      });
    } finally {
      logger.detachAppender(log);
    }
  }

  @Test
  void aNoteForNobodyInRelayModeGoesToTheAgentsTopic() {
    NoteWent went = noteForNobody("support: {mode: relay, chat-id: -1001234567890, level2-chat-id: -1009876543210}\n");
    assertThat(went.instead()).isNull();
    assertThat(went.row().chatId()).isEqualTo(CHAT);
    assertThat(went.row().threadId()).isEqualTo(42L);
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

  /**
   * Audit 12, F5: the "⚠️ No Level 2 topic can be opened …" notice left out a supervisor whose DMs
   * Telegram refuses, even where a staff forum takes her other notes as "@sue_lead …": she learnt of
   * each failed topic, never why. She gets it there, once like the rest; Sam, whose DMs go through,
   * by DM.
   */
  @Test
  void theNoLevel2TopicNoticeReachesASupervisorWhoseDmsAreRefusedInTheStaffForum() {
    ForumdeskConfig config = ConfigLoader.fromYaml("""
        support:
          mode: group
          chat-id: -1001234567890
          level2-chat-id: -1009876543210
          supervisors:
            - {id: 900001, name: Sam, username: sam_lead}
            - {id: 900002, name: Sue, username: sue_lead}
        """ + AGENTS);
    try (Database db = Database.embedded(dir)) {
      Outbox outbox = new Outbox(db);
      outbox.enqueue(MessageKind.OTHER, new OutboundMessage("earlier:dm:900002", 900002, null, "an earlier note", OutboundMessage.URGENT),
          null, null);
      outbox.failed(outbox.queue(10).getFirst().id(), "Forbidden: bot can't initiate conversation with a user");
      PrivateNotes notes = new PrivateNotes(outbox, new StaffPlaces(() -> config));

      notes.level2TopicRefused(STAFF, "Bad Request: not enough rights to create a topic");
      notes.level2TopicRefused(STAFF, "Bad Request: not enough rights to create a topic");

      java.util.List<OutboxRow> rows = outbox.queue(10);
      assertThat(rows).extracting(OutboxRow::chatId).containsExactlyInAnyOrder(900001L, STAFF);
      OutboxRow sue = rows.stream().filter(r -> r.chatId() == STAFF).findFirst().orElseThrow();
      assertThat(sue.threadId()).as("the staff forum's General topic").isNull();
      assertThat(sue.payload()).contains("@sue_lead ⚠️ No Level 2 topic can be opened").doesNotContain("@sam_lead");
    }
  }
}
