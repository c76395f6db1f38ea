package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static dev.forumdesk.ticket.TicketHarness.CHAT;
import static dev.forumdesk.ticket.TicketHarness.SUPERVISOR;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Audit 16, F2 (lifecycle rules 12): SLA clocks go by Telegram's time of each message. A /resolve or an
 * agent's reply written by its deadline that reaches Forumdesk after it (a webhook retried, a backlog in
 * the inbox, Telegram redelivering after an outage) finds the breach recorded and its notice sent: the
 * breach is withdrawn from the ticket (so from its report), the audit says so, the notice stays. One
 * written after the deadline keeps it.
 */
class LateBreachWithdrawnTest {
  static final TicketPolicy POLICY = TicketPolicy.defaults().withSupervisors(List.of(SUPERVISOR))
      .withDurations(Duration.ofMinutes(30), Duration.ofMinutes(40), Duration.ofHours(2), Duration.ofDays(2),
          Duration.ofDays(3));
  private final TicketHarness t = new TicketHarness();

  @AfterEach
  void close() {
    t.close();
  }

  private TicketState answered(long thread) {
    t.open(thread, "Refund", POLICY);
    t.agentSays(thread, "on it");
    return t.await(thread, s -> s.firstResponseAt() != null);
  }

  private CommandReply resolveDated(long thread, Instant at) {
    return t.client.newWorkflowStub(TicketWorkflow.class, TicketWorkflow.id(CHAT, thread))
        .command(new CommandRequest("c-late-" + thread, at, AGENT, Role.AGENT, "resolve", "", "telegram"));
  }

  private static boolean breached(TicketState s, String clock) {
    return s.sla().breaches().stream().anyMatch(b -> b.clock().equals(clock));
  }

  @Test
  void aResolveDatedBeforeTheResolutionDueDeliveredAfterItWithdrawsTheBreach() {
    Instant due = answered(1).sla().resolutionDue();
    t.skip(Duration.ofHours(2).plusSeconds(8));
    t.await(1, s -> breached(s, "resolution"));
    assertThat(t.activities.dms).filteredOn(d -> d.message().key().contains(":resolution-breach:")).hasSize(1);

    resolveDated(1, due.minusSeconds(5));

    TicketState s = t.await(1, x -> x.status() == Status.RESOLVED);
    assertThat(s.resolvedAt()).isEqualTo(due.minusSeconds(5));
    assertThat(s.sla().breaches()).as("resolved in time: no resolution breach").isEmpty();
    assertThat(s.audit()).filteredOn(a -> a.event().equals("RESOLVED")).singleElement()
        .satisfies(a -> assertThat(a.reason()).isEqualTo("resolved by Alice, in time: written by the deadline,"
            + " it reached Forumdesk after it (breach withdrawn)"));
    assertThat(s.audit()).as("what happened stays in the audit").anyMatch(a -> a.event().equals("SLA_BREACH"));
    assertThat(t.activities.dms).as("the notice already sent stays")
        .filteredOn(d -> d.message().key().contains(":resolution-breach:")).hasSize(1);
    assertThat(t.activities.projected.getLast().sla().breaches()).as("the read model, so the report").isEmpty();
  }

  @Test
  void aResolveDatedAfterTheResolutionDueKeepsTheBreach() {
    Instant due = answered(2).sla().resolutionDue();
    t.skip(Duration.ofHours(2).plusSeconds(8));
    t.await(2, s -> breached(s, "resolution"));

    resolveDated(2, due.plusSeconds(3));

    TicketState s = t.await(2, x -> x.status() == Status.RESOLVED);
    assertThat(s.sla().breaches()).extracting(Breach::clock).containsExactly("resolution");
    assertThat(s.audit()).filteredOn(a -> a.event().equals("RESOLVED")).singleElement()
        .satisfies(a -> assertThat(a.reason()).isEqualTo("resolved by Alice"));
  }

  @Test
  void anAgentsReplyDatedBeforeTheNextResponseDueDeliveredAfterItWithdrawsTheBreach() {
    answered(3);
    t.customerSays(3, "still broken");
    Instant due = t.await(3, s -> s.sla().nextResponseDue() != null).sla().nextResponseDue();
    t.skip(Duration.ofMinutes(40).plusSeconds(8));
    t.await(3, s -> breached(s, "next-response"));
    assertThat(t.activities.dms).filteredOn(d -> d.message().key().contains(":next-response-breach:")).hasSize(1);

    t.send(3, new TicketEvent.MessagePosted("u-late", due.minusSeconds(5), AGENT, Role.AGENT, 900, "fixed now"));

    TicketState s = t.await(3, x -> x.audit().stream().anyMatch(a -> a.event().equals("NEXT_RESPONSE")));
    assertThat(s.sla().breaches()).as("answered in time: no next-response breach").isEmpty();
    assertThat(s.sla().nextResponseDue()).isNull();
    assertThat(s.audit()).filteredOn(a -> a.event().equals("NEXT_RESPONSE")).singleElement().satisfies(a -> {
      assertThat(a.reason()).isEqualTo("agent reply, in time: written by the deadline, it reached Forumdesk after it"
          + " (breach withdrawn)");
      assertThat(a.agent()).isEqualTo(AGENT);
    });
    assertThat(t.activities.dms).as("the notice already sent stays")
        .filteredOn(d -> d.message().key().contains(":next-response-breach:")).hasSize(1);
  }

  @Test
  void anAgentsReplyDatedAfterTheNextResponseDueKeepsTheBreach() {
    answered(4);
    t.customerSays(4, "still broken");
    Instant due = t.await(4, s -> s.sla().nextResponseDue() != null).sla().nextResponseDue();
    t.skip(Duration.ofMinutes(40).plusSeconds(8));
    t.await(4, s -> breached(s, "next-response"));

    t.send(4, new TicketEvent.MessagePosted("u-late", due.plusSeconds(2), AGENT, Role.AGENT, 900, "sorry"));

    TicketState s = t.await(4, x -> x.sla().nextResponseDue() == null);
    assertThat(s.sla().breaches()).extracting(Breach::clock).containsExactly("next-response");
    assertThat(s.audit()).noneMatch(a -> a.event().equals("NEXT_RESPONSE"));
  }

  private CommandReply commandDated(long thread, String name, String args, Instant at) {
    return t.client.newWorkflowStub(TicketWorkflow.class, TicketWorkflow.id(CHAT, thread))
        .command(new CommandRequest("c-" + name + "-" + at, at, AGENT, Role.AGENT, name, args, "telegram"));
  }

  /**
   * Audit 16, F2 (repro 2b): the assignee's /hold typed 10 s before the first-response due, delivered
   * 20 s after it, finds the breach fired, the supervisors called and the ticket ESCALATED. It paused
   * the clock in time: the breach goes, the ticket is back as unanswered (the escalation chain stops, as
   * on a late first reply), and the clock keeps the 10 s it had left for after the resume.
   */
  @Test
  void aHoldDatedBeforeTheFirstResponseDueDeliveredAfterItWithdrawsTheBreachAndPausesTheClockAsOfItsDate() {
    t.open(5, "Refund", POLICY);
    Instant due = t.await(5, s -> s.sla().firstResponseDue() != null).sla().firstResponseDue();
    t.skip(Duration.ofMinutes(30).plusSeconds(20));
    assertThat(t.await(5, s -> breached(s, "first-response")).status()).isEqualTo(Status.ESCALATED);
    assertThat(t.activities.posted).as("the supervisors were called")
        .filteredOn(m -> m.key().endsWith(":first-response-breach")).hasSize(1);

    commandDated(5, "hold", "waiting for the bank", due.minusSeconds(10));

    TicketState held = t.await(5, s -> s.status() == Status.ON_HOLD);
    assertThat(held.sla().breaches()).as("paused in time: no first-response breach").isEmpty();
    assertThat(held.sla().paused()).isTrue();
    assertThat(held.audit()).filteredOn(a -> a.event().equals("ON_HOLD")).singleElement().satisfies(a -> {
      assertThat(a.at()).isEqualTo(due.minusSeconds(10));
      assertThat(a.reason()).isEqualTo("waiting for the bank, in time: written by the deadline, it reached Forumdesk"
          + " after it (first-response breach withdrawn)");
    });
    assertThat(held.audit()).as("what happened stays in the audit").anyMatch(a -> a.event().equals("ESCALATED"));
    assertThat(held.clocks().remaining()).as("what was left at the hold's date; no escalation chain")
        .containsEntry(dev.forumdesk.sla.Clock.FIRST_RESPONSE, Duration.ofSeconds(10))
        .doesNotContainKey(dev.forumdesk.sla.Clock.ESCALATION_CHAIN);
    assertThat(held.level()).isEqualTo(1);
    assertThat(t.activities.projected.getLast().sla().breaches()).as("the read model, so the report").isEmpty();

    t.skip(Duration.ofMinutes(5));
    Instant resumed = t.now();
    commandDated(5, "resume", "", resumed);
    TicketState back = t.await(5, s -> s.status() != Status.ON_HOLD);
    assertThat(back.status()).as("still unanswered").isEqualTo(Status.NEW);
    assertThat(back.sla().firstResponseDue()).isEqualTo(resumed.plusSeconds(10));

    // the clock runs again: 10 s on, unanswered, it is a breach of its own
    t.skip(Duration.ofSeconds(12));
    TicketState again = t.await(5, s -> breached(s, "first-response"));
    assertThat(again.sla().breaches()).extracting(Breach::due).containsExactly(resumed.plusSeconds(10));
    assertThat(t.activities.posted).as("the notice already sent stays; nothing new for the withdrawn breach")
        .filteredOn(m -> m.key().endsWith(":first-response-breach")).isNotEmpty();
  }

  @Test
  void aHoldDatedAfterTheFirstResponseDueKeepsTheBreach() {
    t.open(6, "Refund", POLICY);
    Instant due = t.await(6, s -> s.sla().firstResponseDue() != null).sla().firstResponseDue();
    t.skip(Duration.ofMinutes(30).plusSeconds(20));
    t.await(6, s -> breached(s, "first-response"));

    commandDated(6, "hold", "waiting for the bank", due.plusSeconds(5));

    TicketState held = t.await(6, s -> s.status() == Status.ON_HOLD);
    assertThat(held.sla().breaches()).extracting(Breach::clock).containsExactly("first-response");
    assertThat(held.audit()).filteredOn(a -> a.event().equals("ON_HOLD")).singleElement()
        .satisfies(a -> assertThat(a.reason()).isEqualTo("waiting for the bank"));
    assertThat(held.clocks().remaining()).doesNotContainKey(dev.forumdesk.sla.Clock.FIRST_RESPONSE);

    commandDated(6, "resume", "", t.now());
    assertThat(t.await(6, s -> s.status() != Status.ON_HOLD).status()).as("escalated as it was")
        .isEqualTo(Status.ESCALATED);
  }

  /** The same for the resolution clock: a hold dated by its due paused it in time. */
  @Test
  void aHoldDatedBeforeTheResolutionDueDeliveredAfterItWithdrawsTheBreach() {
    Instant due = answered(7).sla().resolutionDue();
    t.skip(Duration.ofHours(2).plusSeconds(8));
    t.await(7, s -> breached(s, "resolution"));

    commandDated(7, "hold", "", due.minusSeconds(30));

    TicketState held = t.await(7, s -> s.status() == Status.ON_HOLD);
    assertThat(held.sla().breaches()).isEmpty();
    assertThat(held.audit()).filteredOn(a -> a.event().equals("ON_HOLD")).singleElement()
        .satisfies(a -> assertThat(a.reason()).isEqualTo("no reason given, in time: written by the deadline, it reached"
            + " Forumdesk after it (resolution breach withdrawn)"));
    assertThat(t.activities.dms).as("the notice already sent stays")
        .filteredOn(d -> d.message().key().contains(":resolution-breach:")).hasSize(1);

    Instant resumed = t.now();
    commandDated(7, "resume", "", resumed);
    assertThat(t.await(7, s -> s.status() == Status.IN_PROGRESS).sla().resolutionDue())
        .isEqualTo(resumed.plusSeconds(30));
  }
}
