package dev.forumdesk.ingress;

import static dev.forumdesk.outbox.QueuedRows.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.outbox.Fallback;
import dev.forumdesk.outbox.PrivateNotes;
import dev.forumdesk.outbox.QueuedRows;
import dev.forumdesk.outbox.StaffPlaces;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.store.TestTickets;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.CommandReply;
import dev.forumdesk.ticket.CommandRequest;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.RefusalKind;
import dev.forumdesk.ticket.Role;
import dev.forumdesk.ticket.Status;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /status answered in a topic the customer reads: the topic gets the status in words (PrivateNotes
 * .inTopic), and the staff member who asked gets the whole card, with the level and SLA dues, by
 * DM (audit 8 F4).
 */
class CommandAnswersTest {
  static final long CHAT = -1001234567890L;
  static final String TICKET = "ticket-" + CHAT + "-42";
  static final String CARD = "<b>App crash</b>\nStatus: ESCALATED\nAssignee: Carmen\n"
      + "Priority: NORMAL · Level 2 · Queue level2\nFirst response due: 4 Dec 09:43 UTC (overdue)\n"
      + "Next response due: —\nResolution due: —";
  static final String AGENTS = """
      agents:
        - {id: 1001, name: Alice, username: alice}
      """;

  @TempDir Path dir;

  List<OutboxRow> answered(String support, String command, String reply) throws Exception {
    ForumdeskConfig config = ConfigLoader.fromYaml(support + AGENTS);
    try (Database db = Database.embedded(java.nio.file.Files.createTempDirectory(dir, "db"))) {
      Outbox outbox = new Outbox(db);
      TestTickets.project(db, TICKET, Status.ESCALATED, "App crash");
      StaffPlaces places = new StaffPlaces(() -> config);
      PrivateNotes notes = new PrivateNotes(outbox, places);
      CommandAnswers answers = new CommandAnswers(outbox, notes, places,
          new TicketStore(db)::topicLink);
      var c = new Classified.Command(TICKET, CHAT, 42, new CommandRequest("u7", Instant.EPOCH,
          new Person(1001, "Alice", "alice"), Role.AGENT, command, "", "telegram"));
      answers.accept(c, new TicketGateway.CommandOutcome.Accepted(new CommandReply(reply, Status.ESCALATED)));
      answers.accept(c, new TicketGateway.CommandOutcome.Accepted(new CommandReply(reply, Status.ESCALATED)));
      List<OutboxRow> rows = outbox.queue(10);
      fallbacks = QueuedRows.fallbacks(outbox, notes, rows);
      return rows;
    }
  }

  /** What replaces each row if Telegram refuses it, null where nothing would. */
  List<Fallback> fallbacks;

  /** Audit 16b, F2: a held ticket's card (what each clock has left) goes to who asked, privately, too. */
  @Test
  void aHeldTicketsCardGoesToWhoAskedPrivately() throws Exception {
    String held = "<b>App crash</b>\nStatus: ON_HOLD (SLA paused)\nAssignee: Carmen\n"
        + "Priority: NORMAL · Level 1 · Queue billing\nFirst response: 55 s left (paused)\n"
        + "Next response due: —\nResolution: 23 h 59 min left (paused)";
    assertThat(answered("support: {mode: group, chat-id: -1001234567890}\n", "status", held)).singleElement()
        .satisfies(dm -> {
          assertThat(dm.chatId()).as("Alice, privately, once").isEqualTo(1001);
          assertThat(text(dm)).contains("App crash", "55 s left (paused)");
        });
  }

  @Test
  void statusInGroupModeSendsTheWholeCardToWhoAskedPrivately() throws Exception {
    assertThat(answered("support: {mode: group, chat-id: -1001234567890}\n", "status", CARD)).singleElement()
        .satisfies(dm -> {
          assertThat(dm.chatId()).as("Alice, privately, once").isEqualTo(1001);
          assertThat(text(dm)).contains("App crash", "Level 2", "(overdue)");
        });
    assertThat(fallbacks.getFirst().sendsSomething())
        .as("without a staff forum nothing of it in the customer's topic, should Alice never have started the bot")
        .isFalse();
  }

  /**
   * Audit 10, F5: the topic the customer reads gets nothing of /priority (PrivateNotes.inTopic); the
   * agent who typed it gets the answer under the ticket's link by DM, once, with /why's fallbacks.
   */
  @Test
  void priorityInGroupModeIsAnsweredToWhoAskedPrivately() throws Exception {
    assertThat(answered("support: {mode: group, chat-id: -1001234567890}\n", "priority", "Priority is now LOW."))
        .singleElement().satisfies(dm -> {
          assertThat(dm.chatId()).as("Alice, privately, once").isEqualTo(1001);
          assertThat(text(dm)).contains("App crash", "Priority is now LOW.");
        });
    assertThat(fallbacks.getFirst().sendsSomething()).isFalse();
    answered("support: {mode: group, chat-id: -1001234567890, level2-chat-id: -1009876543210}\n", "priority",
        "Priority is already LOW.");
    Fallback staff = fallbacks.getFirst();
    assertThat(staff.chatId()).as("should Alice never have started the bot").isEqualTo(-1009876543210L);
    assertThat(staff.text()).startsWith("@alice ").contains("Priority is already LOW.");
  }

  @Test
  void relayModeAndOtherCommandsNeedNothingMore() throws Exception {
    assertThat(answered("support: {mode: relay, chat-id: -1001234567890}\n", "status", CARD)).isEmpty();
    assertThat(answered("support: {mode: relay, chat-id: -1001234567890}\n", "priority", "Priority is now HIGH."))
        .isEmpty();
    assertThat(answered("support: {mode: group, chat-id: -1001234567890}\n", "hold", "⏸ On hold. SLA clocks paused."))
        .isEmpty();
  }

  /**
   * Audit 14, F5: a customer's /help is answered with guidance, not a "forbidden" sign; a staff
   * member's refused command still says it was refused.
   */
  @Test
  void aCustomersUnknownCommandIsAnsweredWithGuidanceAndAStaffRefusalWithTheRefusedSign() throws Exception {
    ForumdeskConfig config = ConfigLoader.fromYaml("support: {mode: group, chat-id: -1001234567890}\n" + AGENTS);
    try (Database db = Database.embedded(java.nio.file.Files.createTempDirectory(dir, "db"))) {
      Outbox outbox = new Outbox(db);
      TestTickets.project(db, TICKET, Status.NEW, "App crash");
      StaffPlaces places = new StaffPlaces(() -> config);
      CommandAnswers answers = new CommandAnswers(outbox, new PrivateNotes(outbox, places), places,
          new TicketStore(db)::topicLink);
      answers.accept(new Classified.Command(TICKET, CHAT, 42, new CommandRequest("u8", Instant.EPOCH,
              new Person(5001, "Carol", null), Role.CUSTOMER, "help", "", "telegram")),
          new TicketGateway.CommandOutcome.Refused("Just write your question here; an agent will answer.",
              RefusalKind.INVALID));
      answers.accept(new Classified.Command(TICKET, CHAT, 42, new CommandRequest("u9", Instant.EPOCH,
              new Person(1001, "Alice", "alice"), Role.AGENT, "resume", "", "telegram")),
          new TicketGateway.CommandOutcome.Refused("The ticket is not on hold.", RefusalKind.CONFLICT));
      // audit 15, F6: staff's /help gets the list of commands without the refused sign; /dance is still refused
      answers.accept(new Classified.Command(TICKET, CHAT, 42, new CommandRequest("u10", Instant.EPOCH,
              new Person(1001, "Alice", "alice"), Role.AGENT, "help", "", "telegram")),
          new TicketGateway.CommandOutcome.Refused("Commands: /status, /why", RefusalKind.INVALID));
      answers.accept(new Classified.Command(TICKET, CHAT, 42, new CommandRequest("u11", Instant.EPOCH,
              new Person(1001, "Alice", "alice"), Role.AGENT, "dance", "", "telegram")),
          new TicketGateway.CommandOutcome.Refused("Unknown command /dance. Commands: /status, /why", RefusalKind.INVALID));

      assertThat(outbox.queue(10)).extracting(QueuedRows::text).containsExactlyInAnyOrder(
          "Just write your question here; an agent will answer.", "🚫 The ticket is not on hold.",
          "Commands: /status, /why", "🚫 Unknown command /dance. Commands: /status, /why");
    }
  }
}
