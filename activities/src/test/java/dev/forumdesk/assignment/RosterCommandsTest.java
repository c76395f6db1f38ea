package dev.forumdesk.assignment;

import static dev.forumdesk.outbox.QueuedRows.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.config.ConfigLoader;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.outbox.Fallback;
import dev.forumdesk.outbox.PrivateNotes;
import dev.forumdesk.outbox.StaffPlaces;
import dev.forumdesk.routing.AgentRequirements;
import dev.forumdesk.routing.RoutingActivities.CommandResult;
import dev.forumdesk.routing.RoutingActivities.RoutingCommand;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.OutboxRow;
import dev.forumdesk.store.TestTickets;
import dev.forumdesk.store.TicketStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /why, /away and /back answered in a ticket's topic, on the real H2 database. In group mode the
 * customer reads that topic: other agents' loads and shifts and the sentiment scoring are for
 * staff only, and go to the asking agent privately.
 */
class RosterCommandsTest {
  static final long CHAT = -1001234567890L;
  static final String TICKET = "ticket-" + CHAT + "-42";
  static final String AGENTS = """
      agents:
        - {id: 1001, name: Alice, username: alice, team: general, languages: [en]}
        - {id: 1002, name: Boris, username: boris, team: general, languages: [en]}
      """;
  static final List<String> REASONS = List.of("category technical: matched 'crash'", "language en: detected (0.93)",
      "sentiment -0.67: ужасно", "sentiment -0.67 below -0.50: priority HIGH", "tier gold: CRM",
      "recurring customer: 5 tickets within P7D → senior", "complexity 2.50",
      "not sticky: Boris is away", "lowest load 0.0 of 1 agent: Alice");
  static final String SAME_FORUM = "support: {mode: group, chat-id: -1001234567890}\n";
  static final String STAFF_FORUM = "support: {mode: group, chat-id: -1001234567890, level2-chat-id: -1009876543210}\n";
  static final String RELAY = "support: {mode: relay, chat-id: -1001234567890}\n";

  @TempDir Path dir;
  Database db;
  Outbox outbox;
  Roster roster;
  PrivateNotes notes;

  RosterCommands commands(String support) {
    ForumdeskConfig config = ConfigLoader.fromYaml(support + AGENTS);
    db = Database.embedded(dir);
    outbox = new Outbox(db);
    roster = new Roster(db, config::agents);
    roster.sync();
    TestTickets.project(db, TICKET, dev.forumdesk.ticket.Status.IN_PROGRESS, "App crash");
    StaffPlaces places = new StaffPlaces(() -> config);
    notes = new PrivateNotes(outbox, places);
    return new RosterCommands(roster, new Assigner(db, roster), CapacityFreed.NOBODY, places, notes,
        new TicketStore(db));
  }

  @AfterEach
  void close() {
    db.close();
  }

  static RoutingCommand command(String name, long actor) {
    return new RoutingCommand(TICKET, actor, false, name, "", new AgentRequirements("en", null, null, 1, null), 1.0,
        REASONS, "telegram");
  }

  @Test
  void whyInGroupModeKeepsTheTicketsOwnReasonsInTheTopicAndSendsTheRestPrivately() {
    RosterCommands commands = commands(SAME_FORUM);
    roster.setOnShift(1002, false);
    CommandResult r = commands.run(command("why", 1001), "run-1:7");

    assertThat(r.refused()).isFalse();
    assertThat(r.reply()).contains("category technical: matched 'crash'", "language en: detected (0.93)",
            "tier gold: CRM", "• assigned to Alice\n",
            "Full routing detail sent to Alice privately, if Alice has started a private chat with the bot.")
        .doesNotContain("you", "sentiment", "ужасно", "Current loads", "Boris", "away", "recurring", "complexity", "load");

    OutboxRow dm = onlyRow();
    assertThat(dm.chatId()).as("to the agent who asked").isEqualTo(1001);
    assertThat(text(dm)).contains("App crash", "sentiment -0.67: ужасно", "not sticky: Boris is away",
        "Current loads", "Boris: load 0.0, 0/8 open, away");
    // should the agent never have started the bot, the customer's topic gets nothing more: its answer said so
    assertThat(notes.whenRefused(outbox.refusalOf(dm.id()).orElseThrow().fallback()).sendsSomething()).isFalse();

    // a retried activity sends nothing twice; another /why is another message
    commands.run(command("why", 1001), "run-1:7");
    assertThat(outbox.queue(10)).hasSize(1);
    commands.run(command("why", 1001), "run-1:9");
    assertThat(outbox.queue(10)).hasSize(2);
  }

  /**
   * Audit 10, F8: /why in a customer's topic showed "language pt (not served): …", "language pt: no
   * agent speaks it, agents of en (the default) instead" and "lowest load 1.5 of 1 agent: Alice".
   * The customer reads what concerns their ticket, none of the desk's routing internals: not that
   * nobody speaks their language, no loads, no priority, no cap or shift a supervisor overrode.
   */
  @Test
  void whyInGroupModeShowsTheCustomerNoRoutingInternals() {
    RosterCommands commands = commands(SAME_FORUM);
    List<String> reasons = List.of("language pt (not served): detected (0.93)",
        "language pt: no agent speaks it, agents of en (the default) instead", "tier gold: priority HIGH",
        "lowest load 1.5 of 1 agent: Alice",
        "assigned to Carmen by a supervisor over cap (3/2) while off shift until Sat 09:00 Europe/Berlin");
    CommandResult r = commands.run(new RoutingCommand(TICKET, 1001, false, "why", "",
        new AgentRequirements("en", null, null, 1, null), 1.0, reasons, "telegram"), "run-1:7");

    assertThat(r.reply()).startsWith("<b>Why this routing</b>\n• language pt: detected (0.93)\n• tier gold\n"
            + "• assigned to Alice\n• assigned to Carmen by a supervisor\nFull routing detail ")
        .doesNotContain("not served", "no agent speaks", "default", "load", "1.5", "priority", "cap", "shift");
    assertThat(text(onlyRow())).as("the agent who asked reads it all")
        .contains("language pt (not served)", "no agent speaks it", "lowest load 1.5", "over cap (3/2)");
  }

  @Test
  void whyWithAStaffForumFallsBackThereInFull() {
    RosterCommands commands = commands(STAFF_FORUM);
    commands.run(command("why", 1002), "run-1:7");
    OutboxRow dm = onlyRow();
    assertThat(dm.chatId()).isEqualTo(1002);
    Fallback f = notes.whenRefused(outbox.refusalOf(dm.id()).orElseThrow().fallback());
    assertThat(f.chatId()).isEqualTo(-1009876543210L);
    assertThat(f.threadId()).isNull();
    assertThat(f.text()).startsWith("@boris ").contains("App crash", "Current loads", "sentiment -0.67: ужасно");
  }

  /** Audit 8, F18: Carmen, who never started the bot, read "sent to you privately"; it went to the staff forum. */
  @Test
  void whySaysWhereTheDetailGoesByWhatBecameOfTheLastPrivateMessage() {
    RosterCommands commands = commands(STAFF_FORUM);
    assertThat(commands.run(command("why", 1002), "run-1:7").reply()).endsWith("Full routing detail sent to Boris"
        + " privately, or to the staff forum if Boris has not started a private chat with the bot.");
    OutboxRow first = onlyRow();
    outbox.failed(first.id(), "403 Forbidden: bot can't initiate conversation with a user"); // its fallback went
    assertThat(commands.run(command("why", 1002), "run-1:8").reply()).endsWith("Full routing detail posted in the"
        + " staff forum: the bot cannot write to Boris privately until Boris starts a private chat with it.");
    outbox.sent(outbox.queue(10).getFirst().id(), 77L); // they started the bot
    assertThat(commands.run(command("why", 1002), "run-1:9").reply()).endsWith("Full routing detail sent to Boris privately.");
  }

  /**
   * Without a staff forum a refused DM is replaced by nothing (audit 9, F1): the topic's answer is
   * the one message that says where the detail went (F10: a mention after it said it again), so
   * before any DM to them it says that it needs a private chat.
   */
  @Test
  void withoutAStaffForumWhySaysTheDetailCouldNotReachWhomTheBotCannotWriteTo() {
    RosterCommands commands = commands(SAME_FORUM);
    assertThat(commands.run(command("why", 1002), "run-1:7").reply()).endsWith("Full routing detail sent to Boris"
        + " privately, if Boris has started a private chat with the bot.");
    OutboxRow first = onlyRow();
    assertThat(notes.whenRefused(outbox.refusalOf(first.id()).orElseThrow().fallback()).sendsSomething())
        .as("nothing in the customer's topic").isFalse();
    outbox.failed(first.id(), "403 Forbidden");
    assertThat(commands.run(command("why", 1002), "run-1:8").reply()).endsWith("Full routing detail could not be"
        + " sent to Boris privately: Boris needs to start a private chat with the bot, then ask again.");
    outbox.sent(outbox.queue(10).getFirst().id(), 77L); // they started the bot
    assertThat(commands.run(command("why", 1002), "run-1:9").reply()).endsWith("Full routing detail sent to Boris privately.");
  }

  @Test
  void whyInRelayModeIsAnsweredInFullInTheAgentsTopic() {
    CommandResult r = commands(RELAY).run(command("why", 1001), "run-1:7");
    assertThat(r.reply()).contains("Current loads", "sentiment -0.67: ужасно", "not sticky: Boris is away")
        .doesNotContain("privately");
    assertThat(outbox.queue(10)).isEmpty();
  }

  /**
   * /why of a ticket waiting in the line says what it waits for now, looked up when asked, not the
   * last reason its workflow stored: Alice came /back since it began waiting (the line gives it out
   * at its next look), then went away again while Boris's shift ended.
   */
  @Test
  void whyOfAWaitingTicketSaysWhatTheLineWaitsForNow() {
    RosterCommands commands = commands(RELAY);
    roster.setOnShift(1001, false);
    roster.setOnShift(1002, false);
    Assigner assigner = new Assigner(db, roster);
    var asked = assigner.assign(new dev.forumdesk.routing.AssignRequest(TICKET,
        new AgentRequirements("en", null, null, 1, null), 1.0));
    assertThat(asked.assigned()).isFalse();
    String stored = String.join("; ", asked.reasons());
    assertThat(stored).isEqualTo("waiting: Alice is away and Boris is away");
    List<String> reasons = List.of("category technical: matched 'crash'", "language en: detected (0.93)", stored);
    RoutingCommand why = new RoutingCommand(TICKET, 1001, false, "why", "",
        new AgentRequirements("en", null, null, 1, null), 1.0, reasons, "telegram");

    roster.setOnShift(1001, true); // /back of another ticket's topic: the line has not looked yet
    assertThat(commands.run(why, "run-1:7").reply())
        .contains("category technical: matched 'crash'", "waiting: Alice is free now: the waiting line gives")
        .doesNotContain("Alice is away and Boris is away");

    roster.setOnShift(1001, false); // away again: the stored reason is the current one, said once
    String again = commands.run(why, "run-1:8").reply();
    assertThat(again).contains("• waiting: Alice is away and Boris is away\n").doesNotContain("free now");
    assertThat(again.split("Alice is away", -1)).hasSize(2);
  }

  @Test
  void aRefusedReassignInGroupModeIsNeutralInTheTopicAndTellsTheAskerWhyPrivately() {
    RosterCommands commands = commands(SAME_FORUM);
    holdsTheTicket(1001);
    roster.setOnShift(1002, false);
    CommandResult r = commands.run(reassign("@boris"), "run-1:8");

    assertThat(r.refused()).isTrue();
    assertThat(r.kind()).isEqualTo(dev.forumdesk.ticket.RefusalKind.CONFLICT);
    assertThat(r.reply()).isEqualTo("Could not reassign: Boris is not available now, and no other agent is either."
        + " The reason was sent to Alice privately, if Alice has started a private chat with the bot.");
    OutboxRow dm = onlyRow();
    assertThat(dm.chatId()).as("to the agent who asked").isEqualTo(1001);
    assertThat(text(dm)).contains("App crash", "Boris is away; no other capable agent has a free slot.");
    assertThat(notes.whenRefused(outbox.refusalOf(dm.id()).orElseThrow().fallback()).sendsSomething())
        .as("nothing in the customer's topic").isFalse();

    CommandResult unnamed = commands.run(reassign(""), "run-1:9");
    assertThat(unnamed.reply()).startsWith("Could not reassign: no other agent is available now.");
    assertThat(outbox.queue(10)).as("each refusal once, keyed by its invocation").hasSize(2);
  }

  @Test
  void aRefusedReassignInRelayModeSaysWhyInTheAgentsTopic() {
    RosterCommands commands = commands(RELAY);
    holdsTheTicket(1001);
    roster.setOnShift(1002, false);
    assertThat(commands.run(reassign("@boris"), "run-1:8").reply())
        .isEqualTo("Boris is away; no other capable agent has a free slot.");
    assertThat(outbox.queue(10)).isEmpty();
  }

  /**
   * An unknown name is answered with the agents' usernames: where the customer reads the answer,
   * they go to the one who asked, privately. A dashboard action is answered on the dashboard, in full.
   */
  @Test
  void anUnknownAgentInGroupModeIsRefusedWithoutTheStaffsUsernamesInTheTopic() {
    RosterCommands commands = commands(SAME_FORUM);
    holdsTheTicket(1001);
    CommandResult r = commands.run(reassign("@zed"), "run-1:8");

    assertThat(r.refused()).isTrue();
    assertThat(r.kind()).isEqualTo(dev.forumdesk.ticket.RefusalKind.INVALID);
    assertThat(r.reply()).isEqualTo("Unknown agent @zed. The known agents were sent to Alice privately, if Alice has"
        + " started a private chat with the bot.");
    OutboxRow dm = onlyRow();
    assertThat(dm.chatId()).as("to the agent who asked").isEqualTo(1001);
    assertThat(text(dm)).contains("App crash", "Unknown agent @zed; known agents: @alice, @boris.");
    assertThat(notes.whenRefused(outbox.refusalOf(dm.id()).orElseThrow().fallback()).sendsSomething())
        .as("nothing in the customer's topic").isFalse();

    RoutingCommand assign = new RoutingCommand(TICKET, 1001, true, "assign", "@zed",
        new AgentRequirements("en", null, null, 1, null), 1.0, REASONS, "api");
    assertThat(commands.run(assign, "run-1:9").reply()).as("on the dashboard")
        .isEqualTo("Unknown agent @zed; known agents: @alice, @boris.");
    assertThat(outbox.queue(10)).hasSize(1);
  }

  @Test
  void anUnknownAgentInRelayModeIsAnsweredWithTheKnownOnesInTheAgentsTopic() {
    RosterCommands commands = commands(RELAY);
    holdsTheTicket(1001);
    assertThat(commands.run(reassign("@zed"), "run-1:8").reply()).isEqualTo("Unknown agent @zed; known agents: @alice, @boris.");
    assertThat(outbox.queue(10)).isEmpty();
  }

  /**
   * A supervisor's /assign overriding Boris's shift: the customer reads only who takes care of the
   * ticket; the supervisor who asked gets the override (loads, shifts) privately.
   */
  @Test
  void anAssignInGroupModeNamesTheAgentInTheTopicAndTellsTheSupervisorTheOverridePrivately() {
    RosterCommands commands = commands(SAME_FORUM);
    holdsTheTicket(1001);
    roster.setOnShift(1002, false);
    CommandResult r = commands.run(assign("@boris"), "run-1:8");

    assertThat(r.refused()).isFalse();
    assertThat(r.reply()).isEqualTo("👤 Boris will take care of this.");
    assertThat(r.reason()).as("the audit keeps it").isEqualTo("assigned to Boris by a supervisor while away");
    OutboxRow dm = onlyRow();
    assertThat(dm.chatId()).as("to the supervisor who asked").isEqualTo(1001);
    assertThat(text(dm)).contains("App crash", "Assigned to Boris by a supervisor while away.");
    assertThat(notes.whenRefused(outbox.refusalOf(dm.id()).orElseThrow().fallback()).sendsSomething())
        .as("nothing in the customer's topic, should the supervisor never have started the bot").isFalse();

    // nothing overridden: nothing more to say privately
    assertThat(commands.run(assign("@alice"), "run-1:9").reply()).isEqualTo("👤 Alice will take care of this.");
    assertThat(outbox.queue(10)).hasSize(1);
  }

  @Test
  void anAssignInRelayModeSaysTheOverrideInTheAgentsTopic() {
    RosterCommands commands = commands(RELAY);
    holdsTheTicket(1001);
    roster.setOnShift(1002, false);
    assertThat(commands.run(assign("@boris"), "run-1:8").reply())
        .isEqualTo("👤 Assigned to Boris by a supervisor while away.");
    assertThat(outbox.queue(10)).isEmpty();
  }

  static RoutingCommand assign(String args) {
    return new RoutingCommand(TICKET, 1001, true, "assign", args, new AgentRequirements("en", null, null, 1, null),
        1.0, REASONS, "telegram");
  }

  private void holdsTheTicket(long agent) {
    db.jdbi().useHandle(h -> h.createUpdate("insert into assignments (ticket_id, agent_id, weight, assigned_at)"
        + " values (:t, :a, 1.0, current_timestamp)").bind("t", TICKET).bind("a", agent).execute());
  }

  static RoutingCommand reassign(String args) {
    return new RoutingCommand(TICKET, 1001, false, "reassign", args, new AgentRequirements("en", null, null, 1, null),
        1.0, REASONS, "telegram");
  }

  @Test
  void awayAndBackInGroupModeAreAcknowledgedWithoutTheShiftInTheTopic() {
    RosterCommands commands = commands(SAME_FORUM);
    CommandResult away = commands.run(command("away", 1002), "run-1:3");
    assertThat(away.reply()).isEqualTo("✅ Noted.");
    assertThat(roster.candidates()).filteredOn(c -> c.agent().id() == 1002).singleElement()
        .satisfies(c -> assertThat(c.onShift()).isFalse());
    assertThat(commands.run(command("back", 1002), "run-1:4").reply()).isEqualTo("✅ Noted.");
    assertThat(roster.candidates()).allMatch(Candidate::onShift);
    // a customer's /away never reaches the roster (CommandRules), but anyone not configured is refused
    CommandResult stranger = commands.run(command("away", 5001), "run-1:5");
    assertThat(stranger.refused()).isTrue();
    assertThat(outbox.queue(10)).as("nothing private for a shift").isEmpty();
  }

  @Test
  void awayInRelayModeSaysWhatItDoes() {
    assertThat(commands(RELAY).run(command("away", 1002), "run-1:3").reply()).startsWith("🌙 You are away");
  }

  private OutboxRow onlyRow() {
    List<OutboxRow> rows = outbox.queue(10);
    assertThat(rows).hasSize(1);
    return rows.getFirst();
  }
}
