package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static dev.forumdesk.ticket.TicketHarness.SUPERVISOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A ticket restored on a fresh embedded server (Restore) with a journal that holds, beside the API
 * actions answered 200, the Telegram updates answered 200 that wait in the inbox: applied in the
 * order they came, before the deadlines that passed while the process was down, and their
 * redelivery by the dispatcher afterwards changes nothing.
 */
class RestoredJournalTest {
  private static final TicketPolicy POLICY = EscalationTest.POLICY;
  private final TicketHarness t = new TicketHarness();

  @AfterEach
  void close() {
    t.close();
  }

  /**
   * The first response is breached, the ticket is on the escalation chain; an agent's reply written
   * before the deadline reached Forumdesk after it (answered 200, in the inbox) and the process died
   * before the dispatcher delivered it. Restored once the chain's deadline has passed: the reply is
   * the first response in time, the breach is withdrawn and the chain stops. Before, the chain moved
   * the ticket to Level 2 first, and the redelivered reply withdrew the breach but not the move.
   */
  @Test
  void aReplyWrittenBeforeTheDeadlineStopsTheRestoredChainBeforeItMoves() {
    t.open(50, "Printer on fire", POLICY);
    Instant opened = t.now();
    t.skip(POLICY.firstResponse().plusMinutes(1));
    TicketState onTheChain = t.await(50, x -> x.status() == Status.ESCALATED);
    assertThat(onTheChain.level()).as("breached, the chain not due yet").isEqualTo(1);
    assertThat(onTheChain.sla().breaches()).isNotEmpty();
    TicketEvent reply = new TicketEvent.MessagePosted("u700", opened.plus(POLICY.firstResponse()).minusSeconds(30),
        AGENT, Role.AGENT, 700, "Looking at it now");
    t.lose(50);
    t.skip(POLICY.firstResponse().plusMinutes(1)); // the chain falls due while the process is down
    int dms = t.activities.dms.size();

    t.restore(50, onTheChain, List.of(JournalEntry.of(reply)));
    TicketState s = t.await(50, x -> x.firstResponseAt() != null);
    assertThat(s.level()).as("no Level 2 move by the overdue chain").isEqualTo(1);
    assertThat(s.status()).isEqualTo(Status.IN_PROGRESS);
    assertThat(s.sla().breaches()).as("the breach withdrawn").isEmpty();
    assertThat(s.audit()).filteredOn(a -> a.event().equals("FIRST_RESPONSE")).singleElement()
        .satisfies(a -> assertThat(a.reason()).contains("breach withdrawn"));
    assertThat(s.audit()).noneMatch(a -> a.reason().contains("after the escalation"));

    // the dispatcher delivers the inbox's row again after the restore: dropped as seen
    t.send(50, reply);
    t.customerSays(50, "thanks");
    TicketState after = t.await(50, x -> x.lifecycle().customerWaitingSince() != null);
    assertThat(after.audit()).filteredOn(a -> a.event().equals("FIRST_RESPONSE")).hasSize(1);
    t.skip(POLICY.firstResponse().multipliedBy(3));
    TicketState later = t.state(50);
    assertThat(later.level()).isEqualTo(1);
    assertThat(t.activities.level2Topics).isEmpty();
    assertThat(t.activities.dms.subList(dms, t.activities.dms.size()))
        .noneMatch(d -> d.message().key().contains("escalation-chain") || d.message().key().contains("first-response"));
  }

  /**
   * The process died before the first-response deadline, with an agent's reply written before it
   * waiting in the inbox; restored after the deadline: no breach at all, nobody told of one.
   */
  @Test
  void aReplyWaitingInTheInboxKeepsTheRestoredTicketFromBreaching() {
    t.open(51, "Cannot log in", POLICY);
    TicketState before = t.await(51, TicketState::opened);
    TicketEvent reply = new TicketEvent.MessagePosted("u710", t.now().plusSeconds(60), AGENT, Role.AGENT, 710,
        "Resetting your password");
    t.skip(Duration.ofMinutes(2));
    t.lose(51);
    t.skip(POLICY.firstResponse());
    int dms = t.activities.dms.size();

    t.restore(51, before, List.of(JournalEntry.of(reply)));
    TicketState s = t.await(51, x -> x.firstResponseAt() != null);
    t.skip(Duration.ofMinutes(1));
    s = t.state(51);
    assertThat(s.status()).isEqualTo(Status.IN_PROGRESS);
    assertThat(s.audit()).noneMatch(a -> a.event().equals("ESCALATED"));
    assertThat(s.audit()).filteredOn(a -> a.event().equals("FIRST_RESPONSE")).singleElement()
        .satisfies(a -> assertThat(a.reason()).isEqualTo("first agent reply"));
    assertThat(t.activities.dms.subList(dms, t.activities.dms.size()))
        .noneMatch(d -> d.message().key().contains("first-response"));
  }

  /**
   * A bot command and an API action of the same last seconds apply in the order they came: a /resolve
   * typed in the topic, then the dashboard's reopen. The command's redelivery from the inbox changes
   * nothing and is answered as it was when the journal applied it (its answer is the topic's).
   */
  @Test
  void aBotCommandAndAnApiActionApplyInTheOrderTheyCame() {
    TicketState snapshot = t.answered(52, "Refund", POLICY, "Refunded");
    CommandRequest resolve = new CommandRequest("u720", t.now(), AGENT, Role.AGENT, "resolve", "", "telegram");
    CommandRequest reopen = new CommandRequest("api:reopen", t.now().plusSeconds(1), SUPERVISOR, Role.SUPERVISOR,
        "reopen", "", "api");
    t.lose(52);

    t.restore(52, snapshot, List.of(JournalEntry.of(resolve), JournalEntry.of(reopen)));
    TicketState s = t.await(52, x -> x.reopenCount() == 1);
    assertThat(s.status()).isEqualTo(Status.IN_PROGRESS);
    assertThat(s.audit()).extracting(AuditEntry::event).containsSubsequence("RESOLVED", "REOPENED");
    assertThat(s.seenEvents()).contains("u720", "api:reopen");

    CommandReply redelivered = stub(52).command(resolve);
    assertThat(redelivered.refused()).isFalse();
    assertThat(redelivered.message()).as("the answer it had, not \"Already done.\"").startsWith("✅ Resolved.");
    TicketState after = t.state(52);
    assertThat(after.status()).as("not resolved a second time").isEqualTo(Status.IN_PROGRESS);
    assertThat(after.audit()).filteredOn(a -> a.event().equals("RESOLVED")).hasSize(1);
  }

  /**
   * A /reopen typed before the dashboard's resolve was refused then (the ticket was not resolved).
   * Delivered again after the restore, it is refused with the same reason, although the ticket is
   * RESOLVED now: it came before the resolve, and must not undo it.
   */
  @Test
  void aBotCommandRefusedInTheJournalIsRefusedAgainWhenItIsDeliveredAgain() {
    TicketState snapshot = t.answered(53, "Invoice", POLICY, "Sent it");
    CommandRequest early = new CommandRequest("u730", t.now(), AGENT, Role.AGENT, "reopen", "", "telegram");
    CommandRequest resolve = new CommandRequest("api:resolve", t.now().plusSeconds(1), SUPERVISOR, Role.SUPERVISOR,
        "resolve", "", "api");
    t.lose(53);

    t.restore(53, snapshot, List.of(JournalEntry.of(early), JournalEntry.of(resolve)));
    TicketState s = t.await(53, x -> x.status() == Status.RESOLVED);
    assertThat(s.seenEvents()).as("a refusal changed nothing").doesNotContain("u730").contains("api:resolve");

    assertThatThrownBy(() -> stub(53).command(early)).isInstanceOf(WorkflowUpdateException.class)
        .satisfies(e -> assertThat(((ApplicationFailure) e.getCause()).getOriginalMessage())
            .isEqualTo("Only a RESOLVED ticket can be reopened (it is IN_PROGRESS)."));
    TicketState after = t.state(53);
    assertThat(after.status()).isEqualTo(Status.RESOLVED);
    assertThat(after.reopenCount()).isZero();
  }

  /**
   * The first-response deadline passed while the process ran, but the breach's projection did not
   * commit before the kill: the snapshot still has the clock running. An agent's reply written and
   * accepted a minute after the deadline is in the journal. The deadline fires before it, as it did:
   * the breach stays, the supervisors hear of it, and the reply is a late first response. Before, the
   * journal went before every overdue deadline, and the reply hid the breach.
   */
  @Test
  void aDeadlineDueBeforeAJournalEntryWasAcceptedFiresBeforeIt() {
    t.open(54, "Screen flickers", POLICY);
    TicketState snapshot = t.await(54, TicketState::opened);
    Instant due = snapshot.sla().firstResponseDue();
    t.lose(54);
    t.skip(POLICY.firstResponse().plusMinutes(5));
    Instant late = due.plusSeconds(60);
    TicketEvent reply = new TicketEvent.MessagePosted("u740", late, AGENT, Role.AGENT, 740, "Which model?");

    t.restore(54, snapshot, List.of(JournalEntry.of(reply).accepted(late)));
    TicketState s = t.await(54, x -> x.firstResponseAt() != null);
    assertThat(s.sla().breaches()).as("the breach that happened").extracting(Breach::clock).containsExactly("first-response");
    assertThat(s.audit()).extracting(AuditEntry::event).containsSubsequence("ESCALATED", "FIRST_RESPONSE");
    assertThat(s.audit()).filteredOn(a -> a.event().equals("FIRST_RESPONSE")).singleElement()
        .satisfies(a -> assertThat(a.reason()).isEqualTo("first agent reply"));
    assertThat(s.level()).isEqualTo(1);
    assertThat(s.status()).isEqualTo(Status.IN_PROGRESS);
    t.skip(Duration.ofMinutes(1));
    assertThat(t.activities.postedWithKeyContaining(":first-response-breach")).as("the supervisors called, as they were")
        .hasSize(1);
  }

  /**
   * The other order: the same reply accepted a minute before the deadline (and applied by no
   * projection before the kill) goes before it, and the ticket never breached, although the deadline
   * passed before the restore. An entry accepted at the deadline's very instant also comes first.
   */
  @Test
  void aDeadlineDueAfterAJournalEntryWasAcceptedFiresAfterIt() {
    for (long thread : new long[] {55, 56}) {
      t.open(thread, "Screen flickers", POLICY);
    }
    TicketState early = t.await(55, TicketState::opened);
    TicketState atTheInstant = t.await(56, TicketState::opened);
    t.lose(55);
    t.lose(56);
    t.skip(POLICY.firstResponse().plusMinutes(5));
    Instant before = early.sla().firstResponseDue().minusSeconds(60);
    Instant at = atTheInstant.sla().firstResponseDue();

    t.restore(55, early, List.of(JournalEntry.of(
        new TicketEvent.MessagePosted("u750", before, AGENT, Role.AGENT, 750, "Which model?")).accepted(before)));
    t.restore(56, atTheInstant, List.of(JournalEntry.of(
        new TicketEvent.MessagePosted("u760", at, AGENT, Role.AGENT, 760, "Which model?")).accepted(at)));
    for (long thread : new long[] {55, 56}) {
      TicketState s = t.await(thread, x -> x.firstResponseAt() != null);
      assertThat(s.sla().breaches()).as("no breach").isEmpty();
      assertThat(s.audit()).noneMatch(a -> a.event().equals("ESCALATED") || a.event().equals("SLA_BREACH"));
      assertThat(s.audit()).filteredOn(a -> a.event().equals("FIRST_RESPONSE")).singleElement()
          .satisfies(a -> assertThat(a.reason()).isEqualTo("first agent reply"));
      assertThat(s.status()).isEqualTo(Status.IN_PROGRESS);
    }
    t.skip(Duration.ofMinutes(1));
    assertThat(t.activities.postedWithKeyContaining(":first-response-breach")).as("nobody called").isEmpty();
  }

  /**
   * A resolved ticket's auto-close fell due before the customer's next message was accepted (the
   * close not projected before the kill): the restored run closes first, as the ticket did, and the
   * message is not applied to it (it reopened the closed ticket otherwise); its delivery from the
   * inbox after the restore goes to what follows the closed ticket.
   */
  @Test
  void aMessageAcceptedAfterTheAutoCloseIsLeftToItsRedelivery() throws InterruptedException {
    TicketState resolved = t.resolved(57, "Refund", POLICY, "Refunded");
    Instant resolvedAt = t.now();
    t.lose(57);
    t.skip(POLICY.autoCloseResolved().plusHours(1));
    Instant late = resolvedAt.plus(POLICY.autoCloseResolved()).plusSeconds(60);
    TicketEvent thanks = new TicketEvent.MessagePosted("u770", late, TicketHarness.CUSTOMER, Role.CUSTOMER, 770,
        "It works again, thanks");

    t.restore(57, resolved, List.of(JournalEntry.of(thanks).accepted(late)));
    TicketState s = t.await(57, x -> x.status() == Status.CLOSED);
    assertThat(s.seenEvents()).doesNotContain("u770");
    assertThat(s.reopenCount()).isZero();
    assertThat(s.audit()).extracting(AuditEntry::event).doesNotContain("REOPENED").contains("CLOSED");
    Instant until = Instant.now().plusSeconds(10);
    while (lastProjected(57).status() != Status.CLOSED && Instant.now().isBefore(until)) {
      Thread.sleep(20);
    }
    assertThat(lastProjected(57).status()).as("the read model shows it closed: the run ended with a projection")
        .isEqualTo(Status.CLOSED);
  }

  private TicketState lastProjected(long threadId) {
    String id = TicketWorkflow.id(TicketHarness.CHAT, threadId);
    return t.activities.projected.reversed().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
  }

  private TicketWorkflow stub(long threadId) {
    return t.client.newWorkflowStub(TicketWorkflow.class, TicketWorkflow.id(TicketHarness.CHAT, threadId));
  }

  /**
   * A ticket on hold when the embedded server went down comes back from its snapshot with its SLA still
   * paused at what it had left when it was put on hold: the outage is not counted (its deadlines do not
   * pass while it is down, nothing breaches at the restore), and /resume gives each clock exactly what
   * was left, from the resume.
   */
  @Test
  void aRestoredHeldTicketKeepsWhatItsClocksHadLeftAndResumesWithIt() {
    t.open(1, "Refund", TicketPolicy.defaults().withDurations(Duration.ofMinutes(1), Duration.ofMinutes(2),
        Duration.ofMinutes(3), Duration.ofDays(2), Duration.ofDays(3)));
    Instant opened = t.state(1).createdAt();
    t.skip(Duration.ofSeconds(10));
    t.command(1, AGENT, Role.AGENT, "hold", "waiting for the bank");
    TicketState held = t.await(1, s -> s.status() == Status.ON_HOLD);
    Duration usedBeforeHold = Duration.between(opened, held.audit().getLast().at());
    t.lose(1);
    t.skip(Duration.ofMinutes(30)); // down far longer than any of its deadlines

    t.restore(1, held, List.of());
    TicketState restored = t.await(1, s -> s.version() >= held.version());
    assertThat(restored.status()).isEqualTo(Status.ON_HOLD);
    assertThat(restored.sla().paused()).isTrue();
    assertThat(restored.sla().breaches()).as("its deadlines did not pass while paused").isEmpty();
    Duration firstLeft = held.clocks().remaining().get(dev.forumdesk.sla.Clock.FIRST_RESPONSE);
    Duration resolutionLeft = held.clocks().remaining().get(dev.forumdesk.sla.Clock.RESOLUTION);
    assertThat(restored.clocks().remaining()).isEqualTo(held.clocks().remaining());
    assertThat(firstLeft).isEqualTo(Duration.ofMinutes(1).minus(usedBeforeHold));

    t.command(1, AGENT, Role.AGENT, "resume", "");
    TicketState resumed = t.await(1, s -> s.status() != Status.ON_HOLD);
    Instant resumedAt = resumed.audit().stream().filter(a -> a.event().equals("RESUMED")).findFirst().orElseThrow().at();
    assertThat(resumed.sla().firstResponseDue()).isEqualTo(resumedAt.plus(firstLeft));
    assertThat(resumed.sla().resolutionDue()).isEqualTo(resumedAt.plus(resolutionLeft));
    assertThat(resumed.audit()).extracting(AuditEntry::event).doesNotContain("ESCALATED", "SLA_BREACH");
  }
}
