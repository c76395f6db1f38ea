package dev.forumdesk.ticket;

import static dev.forumdesk.outbox.QueuedRows.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.log.LogCapture;
import dev.forumdesk.outbox.Fallback;
import dev.forumdesk.outbox.PrivateNotes;
import dev.forumdesk.outbox.QueuedRows;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.telegram.FakeTelegram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflow's staff notices for the ticket's topic (a breach, the escalation chain, /hold,
 * /escalate, a resume), as the post activity gets them, in the configurations without a staff
 * forum and in relay mode: the app's end-to-end tests cover group mode with a staff forum.
 */
class StaffNoticesInTheTopicTest {
  static final long CHAT = -1001234567890L;
  static final long STAFF = -1009876543210L;
  static final String TICKET = "ticket-" + CHAT + "-42";
  static final Person SAM = new Person(900001, "Supervisor 900001", null);
  static final String SAM_MENTION = "<a href=\"tg://user?id=900001\">Supervisor 900001</a>";
  static final String ONE_FORUM = "support: {mode: group, chat-id: -1001234567890, supervisors: [900001]}\n";
  static final String NOBODY = "support: {mode: group, chat-id: -1001234567890}\n";
  static final String WITH_STAFF_FORUM =
      "support: {mode: group, chat-id: -1001234567890, level2-chat-id: -1009876543210, supervisors: [900001]}\n";
  static final String RELAY =
      "support: {mode: relay, chat-id: -1001234567890, level2-chat-id: -1009876543210, supervisors: [900001]}\n";

  static final String BREACH = Notices.firstResponseBreached(List.of(SAM), Duration.ofMinutes(1));
  static final String CHAIN = Notices.chainEscalated(List.of(SAM), Duration.ofMinutes(1));
  static final String ESCALATED = Notices.escalatedToLevel2("customer angry", List.of(SAM));
  static final String HOLD = "⏸ On hold: waiting for bank. SLA clocks paused.";
  static final String RESUMED = Notices.resumed("the customer wrote", Status.IN_PROGRESS);

  @TempDir Path dir;
  @RegisterExtension final LogCapture log = LogCapture.of(PrivateNotes.class);

  /** The rows the post activity queued for {@code html} in the ticket's topic (posted twice: a retry). */
  List<OutboxRow> posted(String yaml, String cause, String html) throws Exception {
    try (Database db = Database.embedded(Files.createTempDirectory(dir, "db")); FakeTelegram telegram = new FakeTelegram("1:t")) {
      Outbox outbox = new Outbox(db);
      TicketActivitiesImpl activities = TicketActivitiesIdempotencyTest.activities(db, outbox, telegram, yaml);
      OutboundMessage m = new OutboundMessage(TICKET + ":" + cause, CHAT, 42L, html, OutboundMessage.URGENT);
      activities.post(m);
      activities.post(m);
      List<OutboxRow> rows = outbox.queue(20);
      PrivateNotes notes = new PrivateNotes(outbox, new dev.forumdesk.outbox.StaffPlaces(
          () -> dev.forumdesk.config.ConfigLoader.fromYaml(yaml)));
      fallbacks = QueuedRows.fallbacks(outbox, notes, rows);
      return rows;
    }
  }

  /** What replaces each row {@link #posted} returned if Telegram refuses it, null where nothing would. */
  List<Fallback> fallbacks;

  static final String CARD = "<b>App crash</b>\nStatus: ESCALATED\nAssignee: Carmen\n"
      + "Priority: NORMAL · Level 2 · Queue level2\nFirst response due: 4 Dec 09:43 UTC (overdue)\n"
      + "Next response due: —\nResolution due: —";

  /**
   * /status's card names the escalation level, the queue and the SLA dues (overdue): in group mode
   * the customer's topic gets the status in words and who has it.
   */
  @Test
  void statusInGroupModeShowsTheCustomerTheStatusInWords() throws Exception {
    assertThat(posted(WITH_STAFF_FORUM, "reply:u7", CARD)).as("the card goes to who asked: CommandAnswersTest")
        .singleElement().satisfies(topic -> {
          assertThat(topic.chatId()).isEqualTo(CHAT);
          assertThat(topic.threadId()).isEqualTo(42L);
          assertThat(text(topic)).isEqualTo("<b>App crash</b>\nStatus: in progress\nAssignee: Carmen");
        });
    assertThat(posted(ONE_FORUM, "reply:u7", CARD.replace("ESCALATED", "ON_HOLD (SLA paused)")))
        .singleElement().satisfies(topic -> {
          assertThat(topic.chatId()).isEqualTo(CHAT);
          assertThat(text(topic)).isEqualTo("<b>App crash</b>\nStatus: on hold\nAssignee: Carmen");
        });
    // audit 15, F5: a NEW ticket an agent has waits for that agent's reply, not "for an agent"
    assertThat(posted(ONE_FORUM, "reply:u7", CARD.replace("ESCALATED", "NEW"))).singleElement()
        .satisfies(topic -> assertThat(text(topic))
            .isEqualTo("<b>App crash</b>\nStatus: waiting for the agent's reply\nAssignee: Carmen"));
    assertThat(posted(ONE_FORUM, "reply:u7", CARD.replace("ESCALATED", "NEW").replace("Carmen", "unassigned")))
        .singleElement().satisfies(topic -> assertThat(text(topic))
            .isEqualTo("<b>App crash</b>\nStatus: waiting for an agent\nAssignee: unassigned"));
    assertThat(posted(RELAY, "reply:u7", CARD)).singleElement()
        .satisfies(topic -> assertThat(text(topic)).as("the agents' own topic").isEqualTo(CARD));
    // audit 16b, F2: on hold the card says what each clock has left, with no "First response due:" line
    assertThat(posted(ONE_FORUM, "reply:u7", HELD_CARD)).singleElement()
        .satisfies(topic -> assertThat(text(topic)).isEqualTo("<b>App crash</b>\nStatus: on hold\nAssignee: Carmen"));
  }

  static final String HELD_CARD = "<b>App crash</b>\nStatus: ON_HOLD (SLA paused)\nAssignee: Carmen\n"
      + "Priority: NORMAL · Level 1 · Queue billing\nFirst response: 55 s left (paused)\n"
      + "Next response due: —\nResolution: 23 h 59 min left (paused)";

  /**
   * Audit 10, F5: an upset customer read "Priority is now LOW." in their topic. In group mode
   * /priority's answer (a bot command's, or an API action's) is not posted there: the staff member
   * who typed it gets it privately (CommandAnswersTest), the API's caller in its answer.
   */
  @Test
  void priorityIsNotAnsweredInATopicTheCustomerReads() throws Exception {
    for (String yaml : List.of(WITH_STAFF_FORUM, ONE_FORUM, NOBODY)) {
      for (String answer : List.of("Priority is now LOW.", "Priority is already URGENT.")) {
        assertThat(posted(yaml, "reply:u7", answer)).as(answer).isEmpty();
      }
    }
    assertThat(posted(RELAY, "reply:u7", "Priority is now LOW.")).singleElement()
        .satisfies(topic -> assertThat(text(topic)).as("the agents' own topic").isEqualTo("Priority is now LOW."));
  }

  @Test
  void groupModeTheCustomerReadsNeutralLinesAndTheStaffForumTheNotices() throws Exception {
    assertThat(posted(WITH_STAFF_FORUM, "reply:u7", ESCALATED)).satisfiesExactly(
        topic -> {
          assertThat(topic.chatId()).isEqualTo(CHAT);
          assertThat(topic.threadId()).isEqualTo(42L);
          assertThat(text(topic)).isEqualTo("⬆️ A specialist will join shortly.");
        },
        staff -> {
          assertThat(staff.chatId()).isEqualTo(STAFF);
          assertThat(staff.threadId()).as("its General topic").isNull();
          assertThat(text(staff)).contains("https://t.me/c/1234567890/42", ESCALATED);
        });
    assertThat(posted(WITH_STAFF_FORUM, "first-response-breach", BREACH)).singleElement()
        .satisfies(staff -> assertThat(staff.chatId()).as("nothing for the customer").isEqualTo(STAFF));
  }

  @Test
  void withoutAStaffForumTheSupervisorsAreCalledPrivatelyAndTheCustomersTopicHasNothingOfIt() throws Exception {
    for (String notice : List.of(BREACH, CHAIN)) {
      List<OutboxRow> rows = posted(ONE_FORUM, "first-response-breach", notice);
      assertThat(rows).singleElement().satisfies(dm -> {
        assertThat(dm.chatId()).as("Sam, privately").isEqualTo(900001);
        assertThat(text(dm)).contains("https://t.me/c/1234567890/42", notice.replace(SAM_MENTION + ", please", "Please"));
      });
      assertThat(fallbacks.getFirst().sendsSomething())
          .as("should Sam never have started the bot: nothing in the customer's topic (audit 9, F1)").isFalse();
    }
    List<OutboxRow> escalated = posted(ONE_FORUM, "reply:u8", ESCALATED);
    assertThat(escalated).hasSize(2);
    assertThat(escalated).filteredOn(r -> r.chatId() == CHAT).extracting(QueuedRows::text)
        .containsExactly("⬆️ A specialist will join shortly.");
    assertThat(escalated).filteredOn(r -> r.chatId() == 900001).singleElement()
        .satisfies(dm -> assertThat(text(dm)).contains("https://t.me/c/1234567890/42",
            "⬆️ Escalated to Level 2: customer angry. Please take a look."));
  }

  /**
   * Two supervisors, neither an agent, without a staff forum: each DM asks its reader to look (not
   * "@sam, please take a look" to Sue), and should one never have started the bot, the customer's
   * topic gets nothing of it (audit 9 F1; audit 8 F15 saw their Telegram id there).
   */
  @Test
  void eachSupervisorsDmIsAddressedToThemAndTheTopicNeverShowsTheirId() throws Exception {
    Person sue = new Person(900002, "Supervisor 900002", null);
    String two = "support: {mode: group, chat-id: -1001234567890, supervisors: [900001, 900002]}\n";
    for (String notice : List.of(Notices.firstResponseBreached(List.of(SAM, sue), Duration.ofMinutes(1)),
        Notices.escalatedToLevel2("customer angry", List.of(SAM, sue)))) {
      List<OutboxRow> rows = posted(two, "reply:u8", notice);
      List<OutboxRow> dms = rows.stream().filter(r -> r.chatId() > 0).toList();
      assertThat(dms).extracting(OutboxRow::chatId).containsExactlyInAnyOrder(900001L, 900002L);
      assertThat(dms).allSatisfy(dm -> assertThat(text(dm)).contains("https://t.me/c/1234567890/42")
          .endsWith(". Please take a look.").doesNotContain("tg://user", "Supervisor 9000"));
      for (int i = 0; i < rows.size(); i++) {
        if (rows.get(i).chatId() > 0) {
          assertThat(fallbacks.get(i).sendsSomething()).as("nothing in the customer's topic").isFalse();
        }
      }
    }
  }

  @Test
  void withoutAStaffForumAHoldOrResumeIsNeutralInTheTopicAndKeptByTheAuditAlone() throws Exception {
    assertThat(posted(ONE_FORUM, "reply:u9", HOLD)).singleElement().satisfies(topic -> {
      assertThat(topic.chatId()).isEqualTo(CHAT);
      assertThat(text(topic)).isEqualTo("⏸ This ticket is on hold; we will get back to you.");
    });
    assertThat(posted(ONE_FORUM, "resumed:u10", RESUMED)).singleElement()
        .satisfies(topic -> assertThat(text(topic)).isEqualTo("▶️ We are back on it."));
    assertThat(log.warnings()).isEmpty();
  }

  @Test
  void aBreachWithNobodyToCallIsNotPostedAndLogsAWarning() throws Exception {
    String old = Notices.firstResponseBreached(List.of(), Duration.ofMinutes(1)); // "supervisors, please take a look"
    assertThat(posted(NOBODY, "first-response-breach", old)).isEmpty();
    assertThat(log.warnings()).as("one for each attempt").isNotEmpty().allSatisfy(w -> assertThat(w)
        .startsWith(TICKET + ": a note for staff").contains("support.supervisors").doesNotContain("No agent"));
  }

  @Test
  void relayModesTopicIsTheAgentsOwnAndGetsEachNoticeAsItIs() throws Exception {
    for (String notice : List.of(BREACH, CHAIN, ESCALATED, HOLD, RESUMED)) {
      assertThat(posted(RELAY, "n", notice)).singleElement().satisfies(topic -> {
        assertThat(topic.chatId()).isEqualTo(CHAT);
        assertThat(topic.threadId()).isEqualTo(42L);
        assertThat(text(topic)).isEqualTo(notice);
      });
    }
  }
}
