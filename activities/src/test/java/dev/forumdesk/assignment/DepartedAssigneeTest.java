package dev.forumdesk.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.routing.AgentRequirements;
import dev.forumdesk.routing.AssignRequest;
import dev.forumdesk.routing.AssignResult;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.FreshDatabase;
import dev.forumdesk.store.TestTickets;
import dev.forumdesk.ticket.Status;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * An Assign repeated for a ticket whose assignment names an agent a config reload removed from
 * {@code agents}: the activity's retry after its first attempt committed, a ticket restored from a
 * snapshot older than its assignment, or the line's tell repeated by the sweep, each after the
 * reload. The Assign looked for the ticket's assignment among the configured agents only, found
 * none, joined the line and recorded a second assignment: a duplicate key on {@code assignments},
 * a WARN and a failed activity, retried with the same failure. Now the departed agent's assignment
 * is released and the ticket is assigned afresh by the usual rule, or waits when nobody can take it.
 */
class DepartedAssigneeTest {
  static final AgentConfig ALICE = new AgentConfig(1, "Alice", "alice", "general", List.of("en"), List.of(), 1, 1);
  static final AgentConfig BORIS = new AgentConfig(2, "Boris", "boris", "general", List.of("en"), List.of(), 1, 3);
  static final AgentRequirements EN = new AgentRequirements("en", null, null, 1, null);
  static final String LEFT = "previous agent @boris is no longer on the team: assignment released";

  static int assignments(Database db, String ticket) {
    return db.jdbi().withHandle(h -> h.createQuery("select count(*) from assignments where ticket_id = :t")
        .bind("t", ticket).mapTo(Integer.class).one());
  }

  static List<Long> holders(Database db, String ticket) {
    return db.jdbi().withHandle(h -> h.createQuery("select agent_id from assignments where ticket_id = :t")
        .bind("t", ticket).mapTo(Long.class).list());
  }

  static List<String> waiting(Database db) {
    return db.jdbi().withHandle(h -> h.createQuery("select ticket_id from waiting_line").mapTo(String.class).list());
  }

  /**
   * The desk on a case's database: its configured agents (a reload sets them), the roster synced
   * from them, and an assigner whose line tells the tickets it serves into {@link #told}.
   */
  private static final class Desk {
    final AtomicReference<List<AgentConfig>> agents;
    final Roster roster;
    final List<String> told = new CopyOnWriteArrayList<>();
    final Assigner assigner;

    Desk(Database db, AgentConfig... agents) {
      this.agents = new AtomicReference<>(List.of(agents));
      this.roster = new Roster(db, this.agents::get);
      roster.sync();
      this.assigner = new Assigner(db, roster, told::add);
    }

    /**
     * Alice at her cap of 1 with {@code busy}, Boris with {@code ticket} (asked with {@code weight}),
     * and then a reload removed Boris.
     */
    void borisLeftWithAliceAtCap(String busy, String ticket, double weight) {
      assertThat(assigner.assign(new AssignRequest(busy, EN, 1.0)).agent().name()).isEqualTo("Alice");
      assertThat(assigner.assign(new AssignRequest(ticket, EN, weight)).agent().name()).isEqualTo("Boris");
      agents.set(List.of(ALICE)); // Boris removed; Alice is at her cap of 1
    }
  }

  @ParameterizedTest
  @FreshDatabase.OnBothDatabases
  void anAssignRepeatedAfterItsAgentLeftTheDeskAssignsTheTicketAfreshWithoutADuplicateKey(FreshDatabase fresh)
      throws Exception {
    AtomicReference<List<AgentConfig>> agents = new AtomicReference<>(List.of(BORIS));
    try (Database db = fresh.open()) {
      Roster roster = new Roster(db, agents::get);
      roster.sync();
      Assigner assigner = new Assigner(db, roster);
      String ticket = "ticket--1001234567890-351";
      assertThat(assigner.assign(new AssignRequest(ticket, EN, 1.0)).agent().name()).isEqualTo("Boris");

      agents.set(List.of(ALICE)); // a reload removed Boris and added Alice
      AssignResult again = assigner.assign(new AssignRequest(ticket, EN, 1.0)); // a duplicate key before

      assertThat(again.assigned()).isTrue();
      assertThat(again.agent().name()).isEqualTo("Alice");
      assertThat(again.reasons()).first().isEqualTo(LEFT);
      assertThat(again.reasons()).contains("lowest load 0.0 of 1 agent: Alice");
      assertThat(holders(db, ticket)).as("Boris's assignment released, Alice's recorded").containsExactly(1L);
      assertThat(waiting(db)).isEmpty();
      assertThat(roster.overview()).singleElement().satisfies(a -> assertThat(a.openTickets()).isEqualTo(1));

      // the same Assign once more (its own retry): the same answer, still one assignment
      AssignResult retried = assigner.assign(new AssignRequest(ticket, EN, 1.0));
      assertThat(retried.agent().name()).isEqualTo("Alice");
      assertThat(retried.reasons()).isEqualTo(again.reasons());
      assertThat(assignments(db, ticket)).isEqualTo(1);

      // /why: staff read that Boris left; the topic, which customers may read, does not
      assertThat(Why.explain(again.reasons(), roster.candidates())).contains(LEFT);
      assertThat(Why.forTopic(again.reasons(), "")).doesNotContain("boris").contains("assigned to Alice");
    }
  }

  /**
   * At a reload, the departed agent's tickets that the read model shows assigned to them are moved
   * by DepartedAgents (app); one the line gave them whose workflow had not recorded it yet (its
   * tell failed) shows no assignee, so the waiting line's sweep tells it again, and its Assign
   * now gets a current agent instead of a duplicate key retried for days.
   */
  @ParameterizedTest
  @FreshDatabase.OnBothDatabases
  void aTicketTheLineGaveToAnAgentWhoLeftBeforeItsWorkflowRecordedItIsToldAgainAndGetsACurrentAgent(FreshDatabase fresh)
      throws Exception {
    try (Database db = fresh.open()) {
      Desk desk = new Desk(db, BORIS);
      AtomicReference<List<AgentConfig>> agents = desk.agents;
      Roster roster = desk.roster;
      List<String> told = desk.told;
      Assigner assigner = desk.assigner;
      Assigner tellFails = new Assigner(db, roster, t -> {
        throw new IllegalStateException("Temporal unreachable");
      });
      String ticket = "ticket--1001234567890-354";
      roster.setOnShift(2, false);
      assertThat(assigner.assign(new AssignRequest(ticket, EN, 1.0)).assigned()).as("Boris is away").isFalse();
      TestTickets.project(db, ticket, Status.NEW); // visible, no agent yet
      roster.setOnShift(2, true);
      assertThat(tellFails.serveLine("Boris is back")).containsExactly(ticket);
      assertThat(holders(db, ticket)).containsExactly(2L);

      agents.set(List.of(ALICE)); // a reload removed Boris before the ticket's workflow heard of him
      assertThat(assigner.retellUntold(Instant.now().plusSeconds(1))).containsExactly(ticket);
      assertThat(told).containsExactly(ticket);
      AssignResult asked = assigner.assign(new AssignRequest(ticket, EN, 1.0)); // a duplicate key before

      assertThat(asked.agent().name()).isEqualTo("Alice");
      assertThat(asked.reasons()).first().isEqualTo(LEFT);
      assertThat(holders(db, ticket)).containsExactly(1L);
      assertThat(waiting(db)).isEmpty();
    }
  }

  @ParameterizedTest
  @FreshDatabase.OnBothDatabases
  void aTicketWhoseAgentLeftWaitsWhenEveryCurrentAgentIsAtCapAndIsServedWhenASlotFrees(FreshDatabase fresh)
      throws Exception {
    try (Database db = fresh.open()) {
      Desk desk = new Desk(db, ALICE, BORIS);
      Assigner assigner = desk.assigner;
      String busy = "ticket--1001234567890-352";
      String ticket = "ticket--1001234567890-353";
      desk.borisLeftWithAliceAtCap(busy, ticket, 1.0);
      AssignResult again = assigner.assign(new AssignRequest(ticket, EN, 1.0)); // a duplicate key before

      assertThat(again.assigned()).as("nobody can take it now").isFalse();
      assertThat(again.reasons()).containsExactly(LEFT, "waiting: Alice is at cap (1/1)");
      assertThat(assignments(db, ticket)).as("Boris's assignment released").isZero();
      assertThat(waiting(db)).containsExactly(ticket);
      assertThat(desk.roster.overview()).singleElement().satisfies(a -> assertThat(a.openTickets()).isEqualTo(1));

      AssignResult stillWaiting = assigner.assign(new AssignRequest(ticket, EN, 1.0));
      assertThat(stillWaiting.assigned()).isFalse();
      assertThat(stillWaiting.reasons()).as("released once: its next ask is an ordinary wait")
          .containsExactly("waiting: Alice is at cap (1/1)");

      TestTickets.project(db, busy, Status.RESOLVED);
      assertThat(assigner.serveLine(busy + " resolved")).containsExactly(ticket);
      assertThat(desk.told).containsExactly(ticket);
      AssignResult served = assigner.assign(new AssignRequest(ticket, EN, 1.0));
      assertThat(served.agent().name()).isEqualTo("Alice");
      assertThat(served.reasons()).anySatisfy(r -> assertThat(r).startsWith("from the waiting line after"));
      assertThat(holders(db, ticket)).containsExactly(1L);
    }
  }

  /**
   * Audit 15, F2: the desk's /reassign (as a supervisor) of a ticket whose agent left while every
   * current agent is at cap released nothing: the ticket stayed on the departed agent, outside the
   * waiting line. Now its assignment is released, it joins the line with the requirements it asked
   * with, and the reason says who left and that it waits; a freed slot serves it.
   */
  @ParameterizedTest
  @FreshDatabase.OnBothDatabases
  void theDesksReassignOfATicketWhoseAgentLeftReleasesItIntoTheLineWhenEveryoneIsAtCap(FreshDatabase fresh)
      throws Exception {
    try (Database db = fresh.open()) {
      Desk desk = new Desk(db, ALICE, BORIS);
      Assigner assigner = desk.assigner;
      Roster roster = desk.roster;
      List<String> told = desk.told;
      String busy = "ticket--1001234567890-355";
      String ticket = "ticket--1001234567890-356";
      desk.borisLeftWithAliceAtCap(busy, ticket, 2.0);
      Reassignment.Outcome o = assigner.apply(ticket, 1.0, EN, all -> Reassignment.reassign(
          0, true, assigner.holder(ticket).orElse(null), java.util.Optional.empty(), all, EN));

      assertThat(o).isEqualTo(new Reassignment.Released(LEFT + "; no other capable agent"
          + " has a free slot; " + Assigner.WAITING_IN_THE_LINE));
      assertThat(assignments(db, ticket)).as("Boris's assignment released").isZero();
      assertThat(waiting(db)).containsExactly(ticket);
      double weight = db.jdbi().withHandle(h -> h.createQuery("select weight from waiting_line where ticket_id = :t")
          .bind("t", ticket).mapTo(Double.class).one());
      assertThat(weight).as("the weight it had").isEqualTo(2.0);
      String reason = ((Reassignment.Released) o).reason();
      assertThat(Why.forTopic(List.of(reason), "")).as("what a customer may read")
          .contains(Assigner.WAITING_IN_THE_LINE).doesNotContain("boris").doesNotContain("at cap");

      // an agent's own /reassign with nobody else free is refused as before: nothing released
      assertThat(Reassignment.reassign(1, false, 1L, java.util.Optional.empty(), roster.candidates(), EN))
          .isInstanceOf(Reassignment.Unavailable.class);

      TestTickets.project(db, busy, Status.RESOLVED);
      assertThat(assigner.serveLine(busy + " resolved")).containsExactly(ticket);
      assertThat(told).containsExactly(ticket);
      AssignResult served = assigner.assign(new AssignRequest(ticket, EN, 1.0));
      assertThat(served.agent().name()).isEqualTo("Alice");
      assertThat(served.reasons()).anySatisfy(r -> assertThat(r).startsWith("from the waiting line after"));
    }
  }
}
