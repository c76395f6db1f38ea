package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static dev.forumdesk.ticket.TicketHarness.CUSTOMER;
import static dev.forumdesk.ticket.TicketHarness.SUPERVISOR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.routing.AssignResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A follow-up run (the customer writes in the topic of a CLOSED ticket) is routed like a new
 * ticket: the previous agent is preferred, but only through the assignment, which checks their
 * shift and cap; the customer is acknowledged and the title lock follows whoever gets it.
 */
class FollowUpRoutingTest {
  static final Person BORIS = new Person(1002, "Boris", "boris");
  static final TicketPolicy POLICY = TicketPolicy.defaults().withSupervisors(List.of(SUPERVISOR));
  private final TicketHarness t = new TicketHarness();

  FollowUpRoutingTest() {
    t.routing.rules = dev.forumdesk.routing.RoutingRules::builtin; // the harness leaves routing off
  }

  @AfterEach
  void close() {
    t.close();
  }

  /** Run 1: assigned to Alice, resolved and auto-closed; then the customer writes again. */
  private TicketState closedThenFollowedUp(long thread) {
    t.send(thread, new TicketEvent.TopicOpened(t.nextEventId(), t.now(), CUSTOMER, Role.CUSTOMER, "Refund for order 7"), POLICY);
    t.customerSays(thread, "I was charged twice");
    t.await(thread, s -> AGENT.equals(s.assignee()) && t.routing.locks.size() == 1);
    TicketState closed = t.resolveAndClose(thread);
    // the gateway starts the follow-up's run with the desk's configuration, as any new run
    t.send(thread, new TicketEvent.MessagePosted(t.nextEventId(), t.now(), CUSTOMER, Role.CUSTOMER, thread + 1,
        "One more thing about my refund"), POLICY);
    return closed;
  }

  private static List<String> eventsOfThisRun(TicketState s) {
    List<String> events = s.audit().stream().map(AuditEntry::event).toList();
    return events.subList(events.lastIndexOf("OPENED"), events.size());
  }

  @Test
  void aFollowUpWhosePreviousAgentCannotTakeItGoesToAnotherWithReasonsAndAnAuditEntry() {
    closedThenFollowedUp(7);
    t.routing.assign = r -> new AssignResult(BORIS,
        List.of("not sticky: Alice is away", "lowest load 0.0 of 1 agents: Boris"));

    TicketState follow = t.await(7, s -> s.followUpOf() != null && s.assignee() != null);
    assertThat(follow.assignee()).isEqualTo(BORIS);
    assertThat(eventsOfThisRun(follow)).containsSubsequence("OPENED", "ROUTED", "ASSIGNED");
    assertThat(follow.routing().reasons()).contains("not sticky: Alice is away", "lowest load 0.0 of 1 agents: Boris");
    // the previous agent is asked for first: the assignment decides whether they can take it
    assertThat(t.routing.assignCalls).hasSize(2);
    assertThat(t.routing.assignCalls.getLast().requirements().preferredAgent()).isEqualTo(AGENT.id());
    // the topic's title names the new assignee
    t.await(7, s -> t.routing.locks.size() == 2);
    assertThat(t.routing.locks.getLast().agent()).isEqualTo(BORIS);
    // and the customer hears that the new request is in the queue, as for a new topic
    assertThat(t.activities.posted.stream().filter(m -> m.key().endsWith(":ack")).toList()).hasSize(2);
  }

  @Test
  void aFollowUpThatNobodyCanTakeWaitsAndItsSlaWarningGoesToTheSupervisorsNotThePreviousAgent() {
    closedThenFollowedUp(8);
    t.routing.assign = r -> AssignResult.waiting(List.of("not sticky: Alice is away",
        "waiting: all 1 capable agents at cap or away (1 away)"));

    TicketState follow = t.await(8, s -> s.followUpOf() != null && eventsOfThisRun(s).contains("WAITING"));
    assertThat(follow.assignee()).isNull();
    int dmsBefore = t.activities.dms.size();
    t.skip(Duration.ofMinutes(25)); // past 80 % of the 30 minutes
    t.await(8, s -> s.audit().getLast().event().equals("SLA_WARNING"));
    t.await(8, s -> t.activities.dms.size() > dmsBefore);
    assertThat(t.activities.dms.subList(dmsBefore, t.activities.dms.size()))
        .extracting(d -> d.message().chatId())
        .containsOnly(SUPERVISOR.id());
  }

  @Test
  void aFollowUpThatGoesBackToThePreviousAgentIsAssignedAndTitleLockedAgain() {
    closedThenFollowedUp(9);
    t.routing.assign = r -> new AssignResult(AGENT, List.of("sticky: customer's last agent Alice"));

    TicketState follow = t.await(9, s -> s.followUpOf() != null && eventsOfThisRun(s).contains("ASSIGNED"));
    assertThat(follow.assignee()).isEqualTo(AGENT);
    assertThat(follow.routing().reasons()).contains("sticky: customer's last agent Alice");
    t.await(9, s -> t.routing.locks.size() == 2);
    // another cause than run 1's, so the outbox does not take it for run 1's lock already sent
    assertThat(t.routing.locks.getLast().cause()).isNotEqualTo(t.routing.locks.getFirst().cause());
  }
}
