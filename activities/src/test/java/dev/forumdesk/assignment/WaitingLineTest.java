package dev.forumdesk.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.routing.AgentRequirements;
import dev.forumdesk.routing.AssignRequest;
import dev.forumdesk.routing.AssignResult;
import dev.forumdesk.shift.SettableClock;
import dev.forumdesk.shift.ShiftHours;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.TestTickets;
import dev.forumdesk.ticket.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The waiting line on the real H2 database: the most urgent first, then first come, first served
 * when capacity frees.
 */
class WaitingLineTest {
  static final AgentRequirements EN = new AgentRequirements("en", null, null, 1, null);
  static final AgentRequirements RU = new AgentRequirements("ru", null, null, 1, null);
  /** Alice works Berlin office hours; Boris has no hours. Both take one ticket at a time. */
  static final List<AgentConfig> AGENTS = List.of(
      new AgentConfig(1, "Alice", "alice", "general", List.of("en", "ru"), List.of(), 1, 1,
          ShiftHours.parse("Europe/Berlin", List.of("Mon-Fri 09:00-18:00"))),
      new AgentConfig(2, "Boris", "boris", "general", List.of("en"), List.of(), 1, 1));
  static final Instant MONDAY_NOON = Instant.parse("2026-01-05T12:00:00+01:00");

  @TempDir Path dir;
  Database db;
  SettableClock clock = new SettableClock(MONDAY_NOON);
  Roster roster;
  Assigner assigner;
  final List<String> told = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    db = Database.embedded(dir);
    roster = new Roster(db, () -> AGENTS, clock);
    roster.sync();
    assigner = new Assigner(db, roster, told::add);
  }

  @AfterEach
  void close() {
    db.close();
  }

  AssignResult ask(String ticket, AgentRequirements req) {
    return assigner.assign(new AssignRequest(ticket, req, 1.0));
  }

  void project(String ticket, String status) {
    TestTickets.project(db, ticket, Status.valueOf(status));
  }

  @Test
  void theLongestWaitingTicketGetsTheFreedSlotBeforeANewcomerAndIsTold() {
    assertThat(ask("a", EN).agent().name()).isEqualTo("Alice");
    assertThat(ask("b", EN).agent().name()).isEqualTo("Boris");
    assertThat(ask("w1", EN).assigned()).isFalse();
    clock.advance(Duration.ofSeconds(30));
    assertThat(ask("w2", EN).assigned()).isFalse();

    project("a", "RESOLVED"); // Alice's slot frees; nobody has been told yet
    clock.advance(Duration.ofSeconds(10));
    AssignResult newcomer = ask("w3", EN);
    assertThat(newcomer.assigned()).as("the newcomer queues behind w1 and w2").isFalse();
    assertThat(told).containsExactly("w1");
    assertThat(ask("w1", EN).reasons()).as("w1's next ask finds its assignment")
        .contains("lowest load 0.0 of 1 agent: Alice", "from the waiting line after 40 s");

    project("b", "RESOLVED");
    clock.advance(Duration.ofSeconds(5));
    assertThat(assigner.serveLine("b resolved")).containsExactly("w2");
    assertThat(told).containsExactly("w1", "w2");
    assertThat(ask("w2", EN).reasons())
        .contains("lowest load 0.0 of 1 agent: Boris", "from the waiting line after 15 s (capacity freed: b resolved)");
    assertThat(assigner.serveLine("nothing")).as("everyone busy again: w3 keeps waiting").isEmpty();
  }

  void raise(String ticket, String priority) {
    db.jdbi().useHandle(h -> h.createUpdate("update tickets set priority = :p where id = :t")
        .bind("p", priority).bind("t", ticket).execute()); // as its projection after /priority or a sentiment raise
  }

  /**
   * Audit 9 F5: a HIGH "site down" ticket waited behind an older NORMAL one. The line serves by the
   * priority the ticket has now (raised after it joined), then oldest first, and the ASSIGNED
   * reason says whom it went before.
   */
  @Test
  void aTicketRaisedToHighWhileWaitingIsServedBeforeOlderNormalAndLowOnes() {
    ask("a", EN);
    ask("b", EN);
    ask("normal", EN);
    project("normal", "NEW");
    clock.advance(Duration.ofSeconds(5));
    ask("low", EN);
    project("low", "NEW");
    raise("low", "LOW");
    clock.advance(Duration.ofSeconds(5));
    ask("siteDown", EN);
    project("siteDown", "NEW");
    clock.advance(Duration.ofSeconds(20));
    raise("siteDown", "HIGH"); // negative sentiment, after it joined the line

    project("a", "RESOLVED");
    assertThat(assigner.serveLine("a resolved")).containsExactly("siteDown");
    assertThat(ask("siteDown", EN).reasons()).contains(
        "from the waiting line after 20 s (capacity freed: a resolved)",
        "priority HIGH: served before 2 older tickets of priority NORMAL and LOW");

    project("b", "RESOLVED");
    assertThat(assigner.serveLine("b resolved")).as("then the oldest of the rest").containsExactly("normal");
    assertThat(ask("normal", EN).reasons()).contains("from the waiting line after 30 s (capacity freed: b resolved)")
        .noneMatch(r -> r.startsWith("priority "));
  }

  @Test
  void anUrgentNewcomerTakesAFreeSlotBeforeAnOlderNormalTicketInTheSameRound() {
    ask("a", EN);
    ask("b", EN);
    ask("old", EN);
    clock.advance(Duration.ofSeconds(10));
    ask("urgent", EN);
    project("urgent", "NEW");
    raise("urgent", "URGENT");
    project("a", "RESOLVED"); // freed, the pickup not run yet: the next assignment serves the line
    clock.advance(Duration.ofSeconds(1));
    assertThat(ask("new", EN).assigned()).isFalse();
    assertThat(told).as("URGENT first, though younger").containsExactly("urgent");
  }

  @Test
  void aTicketEscalatedToLevel2WhileWaitingPrefersALevel2AgentAsRoutingAndReassignDo() {
    List<AgentConfig> withSven = new java.util.ArrayList<>(AGENTS);
    withSven.add(new AgentConfig(4, "Sven", "sven", "senior", List.of("en"), List.of(), 2, 1));
    roster = new Roster(db, () -> withSven, clock);
    roster.sync();
    assigner = new Assigner(db, roster, told::add);
    ask("a", EN);
    ask("b", EN);
    ask("c", EN);
    assertThat(ask("w", EN).assigned()).isFalse(); // asked at level 1, as routed
    project("w", "ESCALATED");
    db.jdbi().useHandle(h -> h.execute("update tickets set level = 2 where id = 'w'")); // the escalation chain
    project("a", "RESOLVED");
    project("c", "RESOLVED");
    clock.advance(Duration.ofSeconds(5));
    assertThat(assigner.serveLine("a and c resolved")).containsExactly("w");
    assertThat(ask("w", EN).agent().name()).as("Alice (level 1) and Sven (level 2) are free").isEqualTo("Sven");
  }

  /** What /observe/metrics shows: the line's length and first arrival, the agents by state, the open tickets. */
  @Test
  void theLineTheAgentsAndTheOpenTicketsAsALeadReadsThem() {
    assertThat(roster.waitingLine()).isEqualTo(new Roster.Line(0, java.util.Optional.empty()));
    assertThat(roster.agentsByState()).containsExactly(java.util.Map.entry("available", 2L),
        java.util.Map.entry("at_cap", 0L), java.util.Map.entry("away", 0L), java.util.Map.entry("off_shift", 0L));
    ask("a", EN);
    ask("b", EN);
    project("a", "IN_PROGRESS");
    project("b", "NEW");
    Instant first = clock.instant();
    ask("w1", EN);
    project("w1", "NEW");
    clock.advance(Duration.ofSeconds(30));
    ask("w2", EN);
    project("w2", "ESCALATED");
    roster.setOnShift(2, false); // Boris goes away with his ticket

    Roster.Line line = roster.waitingLine();
    assertThat(line.length()).isEqualTo(2);
    assertThat(line.oldestSince()).hasValueSatisfying(t -> assertThat(Duration.between(first, t).abs())
        .isLessThan(Duration.ofMillis(1)));
    assertThat(roster.agentsByState()).containsEntry("at_cap", 1L).containsEntry("away", 1L)
        .containsEntry("available", 0L);
    clock.advance(Duration.ofHours(8)); // 20:00 in Berlin: Alice's shift is over
    assertThat(roster.agentsByState()).containsEntry("off_shift", 1L).containsEntry("at_cap", 0L);

    var open = new dev.forumdesk.store.TicketStore(db).openCounts();
    assertThat(open.byStatus()).containsEntry(Status.NEW, 2L).containsEntry(Status.IN_PROGRESS, 1L)
        .containsEntry(Status.ESCALATED, 1L).containsEntry(Status.ON_HOLD, 0L).doesNotContainKey(Status.RESOLVED);
    assertThat(open.unassigned()).as("projected without an assignee").isEqualTo(4);
    project("w1", "CLOSED");
    assertThat(roster.waitingLine().length()).as("a finished ticket is out of the line").isEqualTo(1);
  }

  @Test
  void aTicketNoFreeAgentCanServeDoesNotBlockYoungerOnesThatOthersCan() {
    assertThat(ask("a", EN).agent().name()).isEqualTo("Alice");
    assertThat(ask("russian", RU).assigned()).as("only Alice speaks Russian").isFalse();
    clock.advance(Duration.ofSeconds(1));
    project("english", "NEW");
    raise("english", "HIGH");
    AssignResult english = ask("english", EN);
    assertThat(english.agent().name()).isEqualTo("Boris");
    assertThat(english.reasons()).as("Boris could not have taken the older Russian ticket: not 'served before' it")
        .noneMatch(r -> r.startsWith("priority "));
    assertThat(told).isEmpty();
  }

  /**
   * A reload removes Greta, the only German speaker, while a German ticket waits for her: the line
   * asks for the agents of the default language (en), as routing does for a new German ticket, not
   * for anyone. Boris, who speaks only Russian, is free but does not get it (nor does a younger
   * HIGH Russian ticket he takes say it went before it), the waiting line's alert names what it
   * waits for, and Alice's next free slot takes it with the reason.
   */
  @Test
  void aTicketWhoseOnlySpeakerAReloadRemovedWaitsForTheAgentsOfTheDefaultLanguage() {
    AgentConfig alice = new AgentConfig(1, "Alice", "alice", "general", List.of("en"), List.of(), 1, 1);
    AgentConfig boris = new AgentConfig(2, "Boris", "boris", "general", List.of("ru"), List.of(), 1, 1);
    AgentConfig greta = new AgentConfig(3, "Greta", "greta", "general", List.of("de"), List.of(), 1, 1);
    var agents = new java.util.concurrent.atomic.AtomicReference<>(List.of(alice, boris, greta));
    roster = new Roster(db, agents::get, () -> "en", clock);
    roster.sync();
    assigner = new Assigner(db, roster, told::add);
    AgentRequirements de = new AgentRequirements("de", null, null, 1, null);
    assertThat(ask("a", EN).agent().name()).isEqualTo("Alice");
    assertThat(ask("g", de).agent().name()).isEqualTo("Greta");
    assertThat(ask("w", de).reasons()).contains("waiting: language de: Greta is at cap (1/1)");
    project("w", "NEW");

    agents.set(List.of(alice, boris)); // the reload
    clock.advance(Duration.ofSeconds(20));
    assertThat(assigner.serveLine("configuration reloaded")).as("Boris speaks neither de nor en").isEmpty();
    assertThat(roster.lineNeeds(5)).containsExactly("language en (Alice at cap)");
    project("r", "NEW");
    raise("r", "HIGH");
    AssignResult russian = ask("r", RU);
    assertThat(russian.agent().name()).isEqualTo("Boris");
    assertThat(russian.reasons()).noneMatch(r -> r.startsWith("priority "));

    project("a", "RESOLVED");
    clock.advance(Duration.ofSeconds(10));
    assertThat(assigner.serveLine("a resolved")).containsExactly("w");
    assertThat(ask("w", EN).reasons()).containsExactly(
        "language de: no agent speaks it, agents of en (the default) instead", "lowest load 0.0 of 1 agent: Alice",
        "from the waiting line after 30 s (capacity freed: a resolved)");
  }

  /**
   * The reverse: a German ticket asks while nobody speaks German and every agent is busy. It waits
   * for the agents of the default language, saying so, but the line keeps its language: when a
   * reload brings Greta, she takes it though Alice is still busy, and the reason no longer speaks
   * of a redirect.
   */
  @Test
  void aTicketRedirectedToTheDefaultLanguageGoesToASpeakerAReloadAdds() {
    AgentConfig alice = new AgentConfig(1, "Alice", "alice", "general", List.of("en"), List.of(), 1, 1);
    AgentConfig boris = new AgentConfig(2, "Boris", "boris", "general", List.of("ru"), List.of(), 1, 1);
    AgentConfig greta = new AgentConfig(3, "Greta", "greta", "general", List.of("de"), List.of(), 1, 1);
    var agents = new java.util.concurrent.atomic.AtomicReference<>(List.of(alice, boris));
    roster = new Roster(db, agents::get, () -> "en", clock);
    roster.sync();
    assigner = new Assigner(db, roster, told::add);
    AgentRequirements de = new AgentRequirements("de", null, null, 1, null);
    assertThat(ask("a", EN).agent().name()).isEqualTo("Alice");
    assertThat(ask("r", RU).agent().name()).isEqualTo("Boris");
    assertThat(ask("w", de).reasons()).containsExactly(
        "language de: no agent speaks it, agents of en (the default) instead", "waiting: language en: Alice is at cap (1/1)");
    project("w", "NEW");
    assertThat(roster.lineNeeds(5)).containsExactly("language en (Alice at cap)");

    agents.set(List.of(alice, boris, greta)); // the reload
    roster.sync();
    clock.advance(Duration.ofSeconds(20));
    assertThat(assigner.serveLine("configuration reloaded")).containsExactly("w");
    AssignResult served = ask("w", de);
    assertThat(served.agent().name()).isEqualTo("Greta");
    assertThat(served.reasons()).containsExactly("lowest load 0.0 of 1 agent: Greta",
        "from the waiting line after 20 s (capacity freed: configuration reloaded)");
  }

  @Test
  void finishedTicketsLeaveTheLineAndAnAssignedOneIsNotServedTwice() {
    ask("a", EN);
    ask("b", EN);
    ask("gone", EN);
    ask("w", EN);
    project("gone", "CLOSED"); // the customer closed the topic while waiting
    project("a", "RESOLVED");
    assertThat(assigner.serveLine("a resolved")).containsExactly("w");
    project("b", "RESOLVED");
    assertThat(assigner.serveLine("b resolved")).as("the closed ticket left the line").isEmpty();
    int waiting = db.jdbi().withHandle(h -> h.createQuery("select count(*) from waiting_line").mapTo(Integer.class).one());
    assertThat(waiting).isZero();
  }

  @Test
  void whenAShiftStartsTheAlarmHasTheWaitingTicketAssigned() {
    clock.set(Instant.parse("2026-01-05T08:30:00+01:00")); // Monday, before Alice's shift
    assertThat(ask("b", EN).agent().name()).isEqualTo("Boris");
    AssignResult w = ask("w", EN);
    assertThat(w.reasons())
        .contains("waiting: Alice is off shift until Mon 09:00 Europe/Berlin and Boris is at cap (1/1)");

    ShiftStartAlarm alarm = new ShiftStartAlarm(() -> AGENTS, clock, assigner::serveLine);
    assertThat(alarm.check()).as("arms 09:00, looks again in a minute at most").isEqualTo(Duration.ofMinutes(1));
    clock.set(Instant.parse("2026-01-05T08:59:30+01:00"));
    assertThat(alarm.check()).isEqualTo(Duration.ofSeconds(30));
    assertThat(told).isEmpty();
    clock.set(Instant.parse("2026-01-05T09:00:00+01:00"));
    alarm.check();
    assertThat(told).containsExactly("w");
    assertThat(ask("w", EN).reasons()).contains("lowest load 0.0 of 1 agent: Alice",
        "from the waiting line after 1800 s (capacity freed: Alice's shift started)");
    assertThat(alarm.check()).as("the next start is Tuesday 09:00").isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void thePickupServesTheLineOnItsOwnThreadWhenToldCapacityFreed() {
    ask("a", EN);
    ask("b", EN);
    ask("w", EN);
    project("a", "RESOLVED");
    try (WaitingPickup pickup = new WaitingPickup(assigner).start()) {
      pickup.freed("a resolved");
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> told.contains("w"));
    }
    assertThat(ask("w", EN).agent().name()).isEqualTo("Alice");
  }

  @Test
  void aTicketWhoseTellFailedIsToldAgainByTheSweepUntilItsWorkflowRecordsTheAgent() {
    Assigner failing = new Assigner(db, new Roster(db, () -> AGENTS, clock), ticket -> {
      throw new IllegalStateException("Temporal unreachable");
    });
    ask("a", EN);
    ask("b", EN);
    ask("w", EN);
    project("w", "NEW"); // visible, no agent yet
    project("a", "RESOLVED");
    assertThat(failing.serveLine("a resolved")).containsExactly("w");
    assertThat(told).isEmpty();

    assertThat(assigner.retellUntold(Instant.now().minus(WaitingPickup.TELL_GRACE)))
        .as("just assigned: its workflow may be recording it now").isEmpty();
    assertThat(assigner.retellUntold(Instant.now().plusSeconds(1))).containsExactly("w");
    assertThat(told).containsExactly("w");

    db.jdbi().useHandle(h -> h.createUpdate("update tickets set assignee_id = 1 where id = 'w'").execute());
    assertThat(assigner.retellUntold(Instant.now().plusSeconds(1))).as("recorded: not told again").isEmpty();
  }

  @Test
  void thePickupsSweepServesTheLineWithoutBeingToldCapacityFreed() {
    ask("a", EN);
    ask("b", EN);
    ask("w", EN);
    project("a", "RESOLVED"); // a slot freed, but its cause never reached the pickup
    try (WaitingPickup pickup = new WaitingPickup(assigner, Duration.ofMillis(100)).start()) {
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> told.contains("w"));
    }
    assertThat(ask("w", EN).reasons()).anyMatch(r -> r.contains("capacity freed: periodic check"));
  }

  @Test
  void theNextShiftStartIsTheEarliestAmongAgentsWithEveryoneStartingThen() {
    var office = ShiftHours.parse("Europe/Berlin", List.of("Mon-Fri 09:00-18:00"));
    List<AgentConfig> agents = List.of(
        new AgentConfig(1, "Alice", null, "general", List.of("en"), List.of(), 1, 1, office),
        new AgentConfig(2, "Boris", null, "general", List.of("en"), List.of(), 1, 1, office),
        new AgentConfig(3, "Carmen", null, "general", List.of("en"), List.of(), 1, 1,
            ShiftHours.parse("UTC", List.of("Sat-Thu 22:00-06:00"))),
        new AgentConfig(4, "Dmitri", null, "general", List.of("en"), List.of(), 1, 1));
    assertThat(ShiftStartAlarm.next(agents, Instant.parse("2026-01-05T07:00:00Z")))
        .contains(new ShiftStartAlarm.Next(Instant.parse("2026-01-05T08:00:00Z"), List.of("Alice", "Boris")));
    assertThat(ShiftStartAlarm.next(agents, Instant.parse("2026-01-05T12:00:00Z")))
        .contains(new ShiftStartAlarm.Next(Instant.parse("2026-01-05T22:00:00Z"), List.of("Carmen")));
    assertThat(ShiftStartAlarm.next(agents.subList(3, 4), Instant.EPOCH)).as("nobody has hours").isEmpty();
  }
}
