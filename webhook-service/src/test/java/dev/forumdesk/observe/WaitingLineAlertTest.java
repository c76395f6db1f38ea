package dev.forumdesk.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.assignment.Assigner;
import dev.forumdesk.assignment.Roster;
import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.outbox.SupervisorNotices;
import dev.forumdesk.routing.AgentRequirements;
import dev.forumdesk.routing.AssignRequest;
import dev.forumdesk.shift.SettableClock;
import dev.forumdesk.store.AlertIncidents;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.TestTickets;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The waiting line's one alert, on the real database with two replicas looking: once the oldest
 * ticket has waited longer than alerts.waiting-line, one alert with the line's length and the
 * team's slots; none per ticket; "recovered" once, when the line is empty (not when its oldest
 * ticket is merely younger).
 */
class WaitingLineAlertTest {
  static final long STAFF_FORUM = -1009876543210L;
  static final AgentRequirements EN = new AgentRequirements("en", null, null, 1, null);
  static final List<AgentConfig> AGENTS = List.of(
      new AgentConfig(1, "Alice", "alice", "general", List.of("en"), List.of(), 1, 2),
      new AgentConfig(2, "Boris", "boris", "general", List.of("en"), List.of(), 1, 1),
      new AgentConfig(3, "Carmen", "carmen", "general", List.of("en"), List.of(), 1, 2));

  @TempDir Path dir;
  Database db;

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
  }

  List<String> alerts() {
    return db.jdbi().withHandle(h -> h.createQuery("select payload from outbox where idem_key like 'alert:waiting-line%'"
        + " or idem_key like 'recovered:waiting-line%' order by id").mapTo(String.class).list());
  }

  /**
   * Audit 9 F9: "6 of 8 slots … are taken" read as free capacity and no reason for a line. With
   * slots free, the alert says what the waiting tickets need and who has it.
   */
  @Test
  void withSlotsFreeTheAlertNamesWhatTheWaitingTicketsNeedAndWhoHasIt() {
    db = Database.embedded(dir);
    SettableClock clock = new SettableClock(Instant.parse("2026-12-04T14:00:00Z"));
    Roster roster = new Roster(db, () -> List.of(
        new AgentConfig(1, "Alice", "alice", "general", List.of("en"), List.of("billing"), 1, 2),
        new AgentConfig(2, "Boris", "boris", "technical", List.of("en"), List.of("technical"), 1, 1),
        new AgentConfig(3, "Carmen", "carmen", "general", List.of("en", "es"), List.of(), 1, 2)), clock);
    roster.sync();
    roster.setOnShift(3, false); // Carmen, the only one who speaks Spanish, is /away
    Assigner assigner = new Assigner(db, roster, ticket -> {});
    AgentRequirements billing = new AgentRequirements("en", "billing", null, 1, null);
    assertThat(assigner.assign(new AssignRequest("a1", billing, 1.0)).assigned()).isTrue();
    assertThat(assigner.assign(new AssignRequest("a2", billing, 1.0)).assigned()).isTrue();
    assertThat(assigner.assign(new AssignRequest("refund", billing, 1.0)).reasons())
        .contains("waiting: skill billing: Alice is at cap (2/2)");
    clock.advance(Duration.ofSeconds(1));
    assertThat(assigner.assign(new AssignRequest("hola", new AgentRequirements("es", null, null, 1, null), 1.0))
        .reasons()).contains("waiting: language es: Carmen is away");
    clock.advance(Duration.ofSeconds(66));

    WaitingLineAlert line = new WaitingLineAlert(roster, Duration.ofMinutes(1), clock);
    assertThat(line.get()).singleElement().satisfies(r -> assertThat(r.alert()).isEqualTo(
        "2 tickets are waiting for an agent, the oldest for 1 min 7 s; 2 of 3 slots of the agents on shift are"
            + " taken (1 agent away), and they need skill billing (Alice at cap) and language es (Carmen away)"));

    TestTickets.project(db, "refund", Status.CLOSED); // the customer gave up
    assertThat(line.get()).singleElement().satisfies(r -> assertThat(r.alert()).isEqualTo(
        "1 ticket is waiting for an agent, the oldest for 1 min 6 s; 2 of 3 slots of the agents on shift are"
            + " taken (1 agent away), and it needs language es (Carmen away)"));
  }

  /**
   * Audit 10, F8: with 6 waiting, all for Alice's billing, the alert said "the 5 oldest need skill
   * billing (Alice at cap)", as if the sixth waited for nothing named. The needs are those of the
   * whole line (up to the oldest {@link WaitingLineAlert#LOOKED_AT}).
   */
  @Test
  void theNeedsAreThoseOfTheWholeLine() {
    db = Database.embedded(dir);
    SettableClock clock = new SettableClock(Instant.parse("2026-12-04T16:54:00Z"));
    Roster roster = new Roster(db, () -> List.of(
        new AgentConfig(1, "Alice", "alice", "general", List.of("en"), List.of("billing"), 1, 1),
        new AgentConfig(2, "Boris", "boris", "technical", List.of("en"), List.of("technical"), 1, 2)), clock);
    roster.sync();
    Assigner assigner = new Assigner(db, roster, ticket -> {});
    AgentRequirements billing = new AgentRequirements("en", "billing", null, 1, null);
    assertThat(assigner.assign(new AssignRequest("a1", billing, 1.0)).assigned()).isTrue();
    for (int i = 1; i <= 6; i++) {
      assertThat(assigner.assign(new AssignRequest("w" + i, billing, 1.0)).assigned()).isFalse();
    }
    clock.advance(Duration.ofSeconds(80));
    assertThat(new WaitingLineAlert(roster, Duration.ofMinutes(1), clock).get()).singleElement()
        .satisfies(r -> assertThat(r.alert()).isEqualTo("6 tickets are waiting for an agent, the oldest for 1 min"
            + " 20 s; 1 of 3 slots of the agents on shift are taken, and they need skill billing (Alice at cap)"));
  }

  @Test
  void beyondTheTicketsLookedAtTheAlertSaysWhoseNeedsItNames() {
    assertThat(WaitingLineAlert.needs(WaitingLineAlert.LOOKED_AT + 1, List.of("skill billing (Alice at cap)")))
        .isEqualTo(", and the " + WaitingLineAlert.LOOKED_AT + " oldest need skill billing (Alice at cap)");
    assertThat(WaitingLineAlert.needs(40, List.of("a", "b", "c", "d", "e", "f")))
        .isEqualTo(", and they need a, b, c, d and e, among others");
  }

  @Test
  void oneAlertForTheWholeLineOnceAcrossReplicasAndRecoveredWhenItIsEmpty() {
    db = Database.embedded(dir);
    SettableClock clock = new SettableClock(Instant.parse("2026-12-04T09:40:00Z"));
    Roster roster = new Roster(db, () -> AGENTS, clock);
    roster.sync();
    roster.setOnShift(3, false); // Carmen is /away
    Assigner assigner = new Assigner(db, roster, ticket -> {});
    Outbox outbox = new Outbox(db);
    SupervisorNotices notices = new SupervisorNotices(outbox, STAFF_FORUM, List.of(new Person(900001L, "Sam", "sam")));
    AlertIncidents incidents = new AlertIncidents(db, Duration.ofSeconds(30));
    WaitingLineAlert line = new WaitingLineAlert(roster, Duration.ofMinutes(5), clock);
    List<BacklogMonitor> replicas = List.of(
        new BacklogMonitor(Duration.ofSeconds(30), List.of(WaitingLineAlert.CONDITION), line, notices, incidents,
            new SimpleMeterRegistry()),
        new BacklogMonitor(Duration.ofSeconds(30), List.of(WaitingLineAlert.CONDITION), line, notices, incidents,
            new SimpleMeterRegistry()));

    for (String t : List.of("a1", "a2", "b1")) { // Alice's 2 slots and Boris's 1
      assertThat(assigner.assign(new AssignRequest(t, EN, 1.0)).assigned()).isTrue();
    }
    assertThat(assigner.assign(new AssignRequest("w1", EN, 1.0)).assigned()).isFalse();
    clock.advance(Duration.ofMinutes(5));
    for (int i = 2; i <= 28; i++) {
      assertThat(assigner.assign(new AssignRequest("w" + i, EN, 1.0)).assigned()).isFalse();
    }
    replicas.forEach(BacklogMonitor::check);
    assertThat(alerts()).as("w1 has waited 5 min: not longer than the threshold").isEmpty();

    clock.advance(Duration.ofMinutes(1));
    replicas.forEach(BacklogMonitor::check);
    replicas.forEach(BacklogMonitor::check);
    assertThat(alerts()).as("one alert for the line, across both replicas and looks").singleElement()
        .satisfies(p -> assertThat(p).contains("@sam: 🚨 Forumdesk: 28 tickets are waiting for an agent, the oldest"
            + " for 6 min; all 3 slots of the agents on shift are taken (1 agent away)."));

    TestTickets.project(db, "a1", Status.RESOLVED);
    assigner.serveLine("a1 resolved"); // w1, the oldest, takes the slot; the rest waited 1 min
    replicas.forEach(BacklogMonitor::check);
    assertThat(alerts()).as("the line is shorter, not empty: no recovery yet").hasSize(1);

    for (int i = 2; i <= 28; i++) {
      TestTickets.project(db, "w" + i, Status.CLOSED); // the customers gave up
    }
    replicas.forEach(BacklogMonitor::check);
    replicas.forEach(BacklogMonitor::check);
    assertThat(alerts()).hasSize(2).last().satisfies(p -> assertThat(p)
        .contains("✅ Forumdesk recovered: no ticket is waiting for an agent any more (alert lasted"));
  }
}
