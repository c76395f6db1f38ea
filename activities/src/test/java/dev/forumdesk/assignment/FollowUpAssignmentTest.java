package dev.forumdesk.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.routing.AgentRequirements;
import dev.forumdesk.routing.AssignRequest;
import dev.forumdesk.routing.AssignResult;
import dev.forumdesk.store.Database;
import dev.forumdesk.store.TestTickets;
import dev.forumdesk.ticket.Status;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follow-up run has its closed ticket's id. On the real H2 database: the closed run's assignment
 * neither counts towards its agent's load while the follow-up waits for routing, nor answers the
 * follow-up's request as if it were already assigned; the follow-up is assigned afresh, its previous
 * agent preferred only when free.
 */
class FollowUpAssignmentTest {
  /** Alice, the customer's previous agent, and Boris; both take one ticket at a time. */
  static final List<AgentConfig> AGENTS = List.of(
      new AgentConfig(1, "Alice", "alice", "general", List.of("en"), List.of(), 1, 1),
      new AgentConfig(2, "Boris", "boris", "general", List.of("en"), List.of(), 1, 1));
  static final AgentRequirements PREFER_ALICE = new AgentRequirements("en", null, null, 1, 1L);

  @TempDir Path dir;
  Database db;
  Roster roster;
  Assigner assigner;

  @BeforeEach
  void open() {
    db = Database.embedded(dir);
    roster = new Roster(db, () -> AGENTS);
    roster.sync();
    assigner = new Assigner(db, roster);
  }

  @AfterEach
  void close() {
    db.close();
  }

  AssignResult ask(String ticket, AgentRequirements req) {
    return assigner.assign(new AssignRequest(ticket, req, 1.0));
  }

  int openTicketsOf(String name) {
    return roster.overview().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow().openTickets();
  }

  /** Run 1 of "t" is Alice's, resolved and auto-closed; then the follow-up run projects phase 1. */
  void closedThenFollowedUp() {
    assertThat(ask("t", PREFER_ALICE).agent().name()).isEqualTo("Alice");
    TestTickets.project(db, "t", Status.IN_PROGRESS);
    TestTickets.project(db, "t", Status.RESOLVED);
    TestTickets.project(db, "t", Status.CLOSED);
    TestTickets.project(db, "t", Status.NEW); // the follow-up run, not routed yet
  }

  @Test
  void theClosedRunsSlotIsNotCountedAgainAndTheFollowUpIsAssignedAfreshToThePreviousAgent() {
    closedThenFollowedUp();
    assertThat(openTicketsOf("Alice")).as("run 1's slot stays free until the follow-up is assigned").isZero();

    AssignResult r = ask("t", PREFER_ALICE);
    assertThat(r.agent().name()).isEqualTo("Alice");
    assertThat(r.reasons()).contains("sticky: customer's last agent Alice");
    assertThat(openTicketsOf("Alice")).isEqualTo(1);
  }

  @Test
  void aFollowUpWhosePreviousAgentIsAtCapGoesToAnother() {
    closedThenFollowedUp();
    assertThat(ask("other", new AgentRequirements("en", null, null, 1, 1L)).agent().name()).isEqualTo("Alice");

    AssignResult r = ask("t", PREFER_ALICE);
    assertThat(r.agent().name()).isEqualTo("Boris");
    assertThat(r.reasons()).contains("not sticky: Alice is at cap (1/1)");
    assertThat(openTicketsOf("Alice")).isEqualTo(1);
    assertThat(openTicketsOf("Boris")).isEqualTo(1);
  }

  @Test
  void aFollowUpWhosePreviousAgentIsAwayWaitsWhenNobodyElseIsFree() {
    closedThenFollowedUp();
    roster.setOnShift(1, false);
    assertThat(ask("other", new AgentRequirements("en", null, null, 1, null)).agent().name()).isEqualTo("Boris");

    AssignResult r = ask("t", PREFER_ALICE);
    assertThat(r.assigned()).isFalse();
    assertThat(r.reasons()).anyMatch(x -> x.startsWith("not sticky: Alice is away"))
        .anyMatch(x -> x.equals("waiting: Alice is away and Boris is at cap (1/1)"));
    assertThat(openTicketsOf("Alice")).isZero();
  }
}
