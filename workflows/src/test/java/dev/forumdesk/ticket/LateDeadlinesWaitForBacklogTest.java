package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static dev.forumdesk.ticket.TicketHarness.CHAT;
import static dev.forumdesk.ticket.TicketHarness.CUSTOMER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.sla.Clock;
import io.temporal.api.enums.v1.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lifecycle rules 13 (audit 16, F2 repro 3): after an outage a ticket's deadlines that passed meanwhile
 * are late when its run looks at them (a ticket restored after a restart, or one whose updates Telegram
 * sends again, dated hours ago). While the inbox still holds updates of that ticket that its run has not
 * seen, a late deadline waits for them: an agent's reply or a /resolve written before the deadline is
 * applied first, and no breach, no "⚠️ No agent has answered", no "⏰ not resolved" goes out for a ticket
 * the team served in time. An update dated after a waiting deadline lets it fire first (it stays a
 * breach), and a backlog that never comes holds it for {@link TicketWorkflowImpl#BACKLOG_GRACE} at most.
 */
class LateDeadlinesWaitForBacklogTest {
  /** Rules 12's test's supervisor, with deadlines of minutes. */
  static final TicketPolicy POLICY = LateBreachWithdrawnTest.POLICY.withDurations(Duration.ofMinutes(1),
      Duration.ofMinutes(2), Duration.ofMinutes(3), Duration.ofDays(2), Duration.ofDays(3));
  /** As {@link #POLICY}, auto-closing a ticket resolved for an hour. */
  static final TicketPolicy CLOSES_IN_AN_HOUR = LateBreachWithdrawnTest.POLICY.withDurations(Duration.ofMinutes(1),
      Duration.ofMinutes(2), Duration.ofMinutes(3), Duration.ofDays(2), Duration.ofHours(1));
  private final TicketHarness t = new TicketHarness();

  @AfterEach
  void close() {
    t.close();
  }

  private void openedAt(long thread, Instant at) {
    openedAt(thread, at, POLICY);
  }

  private void openedAt(long thread, Instant at, TicketPolicy policy) {
    t.send(thread, new TicketEvent.TopicOpened("u" + thread + "00", at, CUSTOMER, Role.CUSTOMER, "Yesterday"), policy);
  }

  /** Opened at {@code at} with one row in its backlog that never comes (stuck); its late deadlines looked at. */
  private void openedWithAStuckRow(long thread, Instant at, TicketPolicy policy) {
    t.activities.backlog.put(TicketWorkflow.id(CHAT, thread), List.of(thread * 100 + 1));
    openedAt(thread, at, policy);
    lateDeadlinesLookedAt(thread);
  }

  private void agentSaysAt(long thread, long update, Instant at) {
    t.send(thread, new TicketEvent.MessagePosted("u" + update, at, AGENT, Role.AGENT, update, "on it"), POLICY);
  }

  private CommandReply resolveAt(long thread, long update, Instant at) {
    return t.client.newWorkflowStub(TicketWorkflow.class, TicketWorkflow.id(CHAT, thread))
        .command(new CommandRequest("u" + update, at, AGENT, Role.AGENT, "resolve", "", "telegram"));
  }

  /** Waits until the run has looked at its late deadlines: it asked for its backlog, or (without rules 13) fired them. */
  private void lateDeadlinesLookedAt(long thread) {
    t.await(thread, s -> s.opened() && (t.activities.calls.contains("inboxBacklog") || !s.sla().breaches().isEmpty()));
  }

  private List<String> notices() {
    List<String> keys = new java.util.ArrayList<>(t.activities.queued);
    t.activities.dms.forEach(d -> keys.add(d.message().key()));
    return keys;
  }

  @Test
  void aTicketRedeliveredAfterAnOutageIsServedByItsBacklogBeforeItsDeadlinesAct() {
    Instant opened = t.now().minus(Duration.ofDays(1));
    t.activities.backlog.put(TicketWorkflow.id(CHAT, 1), List.of(101L, 102L));
    openedAt(1, opened);
    lateDeadlinesLookedAt(1);

    agentSaysAt(1, 101, opened.plusSeconds(20));
    resolveAt(1, 102, opened.plusSeconds(60));

    TicketState s = t.await(1, x -> x.status() == Status.RESOLVED);
    t.skip(Duration.ofSeconds(30)); // a recheck's timer: nothing is left to fire
    s = t.state(1);
    assertThat(s.sla().breaches()).isEmpty();
    assertThat(s.audit()).extracting(AuditEntry::event)
        .doesNotContain("SLA_BREACH", "ESCALATED", "SLA_WARNING", "STALE");
    assertThat(s.audit()).filteredOn(a -> a.event().equals("FIRST_RESPONSE")).singleElement()
        .satisfies(a -> assertThat(a.reason()).doesNotContain("withdrawn"));
    assertThat(notices()).as("no breach notice, no 80 % warning for a ticket served in time")
        .noneMatch(k -> k.contains("breach") || k.contains("warning"));
    assertThat(t.activities.breaches).isEmpty();
  }

  @Test
  void anUpdateDatedAfterAWaitingDeadlineComesAfterItsBreach() {
    Instant opened = t.now().minus(Duration.ofHours(1));
    t.activities.backlog.put(TicketWorkflow.id(CHAT, 2), List.of(201L));
    openedAt(2, opened);
    lateDeadlinesLookedAt(2);

    agentSaysAt(2, 201, opened.plus(Duration.ofMinutes(5))); // written after the first-response due

    TicketState s = t.await(2, x -> x.firstResponseAt() != null);
    assertThat(s.sla().breaches()).extracting(Breach::clock).contains("first-response");
    assertThat(s.audit()).extracting(AuditEntry::event).containsSubsequence("ESCALATED", "FIRST_RESPONSE");
    assertThat(notices()).anyMatch(k -> k.contains("first-response-breach"));
  }

  @Test
  void aBacklogThatNeverComesHoldsALateDeadlineForTheGraceOnly() {
    openedWithAStuckRow(3, t.now().minus(Duration.ofHours(1)), POLICY);
    assertThat(t.state(3).sla().breaches()).as("waits for the backlog").isEmpty();

    t.skip(TicketWorkflowImpl.BACKLOG_GRACE.plusSeconds(10));

    TicketState s = t.await(3, x -> !x.sla().breaches().isEmpty());
    assertThat(s.sla().breaches()).extracting(Breach::clock).contains("first-response", "resolution");
    assertThat(notices()).anyMatch(k -> k.contains("first-response-breach"));
  }

  @Test
  void aRestoredTicketsLateDeadlinesWaitForTheUpdatesTelegramSentAgain() {
    TicketState snapshot;
    t.open(4, "Refund", POLICY);
    snapshot = t.await(4, x -> x.sla().firstResponseDue() != null);
    Instant due = snapshot.sla().firstResponseDue();
    t.lose(4);
    t.skip(Duration.ofMinutes(10)); // down: the first-response and resolution deadlines pass
    t.activities.backlog.put(TicketWorkflow.id(CHAT, 4), List.of(401L)); // received after the restart

    t.restore(4, snapshot, List.of());
    lateDeadlinesLookedAt(4);
    agentSaysAt(4, 401, due.minusSeconds(10));

    TicketState s = t.await(4, x -> x.firstResponseAt() != null);
    assertThat(s.audit()).extracting(AuditEntry::event).doesNotContain("ESCALATED");
    assertThat(notices()).noneMatch(k -> k.contains("first-response-breach"));
    assertThat(s.sla().breaches()).extracting(Breach::clock).doesNotContain("first-response");
  }

  @Test
  void withoutABacklogALateDeadlineFiresAtOnce() {
    Instant opened = t.now().minus(Duration.ofHours(1));
    openedAt(5, opened);

    TicketState s = t.await(5, x -> !x.sla().breaches().isEmpty());
    assertThat(s.sla().breaches()).extracting(Breach::clock).contains("first-response");
  }

  /** Yesterday's ticket, answered and resolved in time through its backlog, its auto-close (1 h) long due. */
  private Instant resolvedYesterday(long thread) {
    Instant opened = t.now().minus(Duration.ofDays(1));
    t.activities.backlog.put(TicketWorkflow.id(CHAT, thread), List.of(thread * 100 + 1, thread * 100 + 2, thread * 100 + 3));
    openedAt(thread, opened, CLOSES_IN_AN_HOUR);
    lateDeadlinesLookedAt(thread);
    t.send(thread, new TicketEvent.MessagePosted("u" + (thread * 100 + 1), opened.plusSeconds(20), AGENT, Role.AGENT,
        thread * 100 + 1, "on it"), CLOSES_IN_AN_HOUR);
    resolveAt(thread, thread * 100 + 2, opened.plusSeconds(60));
    t.await(thread, s -> s.status() == Status.RESOLVED);
    return opened;
  }

  @Test
  void aCustomersMessageWrittenAfterALateAutoCloseReopensTheTicket() {
    Instant opened = resolvedYesterday(6);
    // written 2 h after the resolve (after its 1 h auto-close), delivered now from the backlog
    t.send(6, new TicketEvent.MessagePosted("u603", opened.plus(Duration.ofHours(2)), CUSTOMER, Role.CUSTOMER, 603,
        "still broken"), CLOSES_IN_AN_HOUR);

    TicketState s = t.await(6, x -> x.seenEvents().contains("u603"));
    assertThat(s.status()).as("reopened by the customer, not closed with their message lost").isNotEqualTo(Status.CLOSED);
    // its clocks run from its date: its next response is late, which the breach says; it is not closed
    assertThat(s.audit()).extracting(AuditEntry::event).contains("REOPENED").doesNotContain("CLOSED");
    assertThat(t.activities.projected).noneMatch(p -> p.status() == Status.CLOSED);
  }

  @Test
  void aStaffReopenWrittenAfterALateAutoCloseReopensTheResolvedTicket() {
    Instant opened = resolvedYesterday(7);
    CommandReply reply = t.client.newWorkflowStub(TicketWorkflow.class, TicketWorkflow.id(CHAT, 7))
        .command(new CommandRequest("u703", opened.plus(Duration.ofHours(2)), AGENT, Role.AGENT, "reopen", "", "telegram"));

    assertThat(reply.refused()).isFalse();
    TicketState s = t.await(7, x -> x.seenEvents().contains("u703"));
    assertThat(s.status()).isNotEqualTo(Status.CLOSED);
    assertThat(s.audit()).extracting(AuditEntry::event).contains("REOPENED").doesNotContain("CLOSED");
  }

  @Test
  void aCommandTheLateDeadlinesBeforeItMadeWrongIsRefused() {
    t.open(8, "Refund", POLICY);
    t.skip(Duration.ofSeconds(70)); // the first response is breached: the escalation chain runs
    TicketState snapshot = t.await(8, x -> x.clocks().due().containsKey(Clock.ESCALATION_CHAIN));
    Instant chainDue = snapshot.clocks().due().get(Clock.ESCALATION_CHAIN);
    t.lose(8);
    t.skip(Duration.ofMinutes(10)); // down: the chain's deadline passes
    t.activities.backlog.put(TicketWorkflow.id(CHAT, 8), List.of(801L));
    t.restore(8, snapshot, List.of());
    lateDeadlinesLookedAt(8);

    // written after the chain's due: the ticket was at Level 2 by then, which the validator did not see yet
    CommandReply reply = t.client.newWorkflowStub(TicketWorkflow.class, TicketWorkflow.id(CHAT, 8))
        .command(new CommandRequest("u801", chainDue.plusSeconds(30), AGENT, Role.AGENT, "escalate", "", "telegram"));

    assertThat(reply.refused()).as(reply.message()).isTrue();
    assertThat(reply.message()).contains("already at Level 2");
    TicketState s = t.await(8, x -> x.level() == 2);
    assertThat(s.seenEvents()).doesNotContain("u801");
    assertThat(s.audit()).filteredOn(a -> a.event().equals("ESCALATED")).allSatisfy(a ->
        assertThat(a.actor()).isEqualTo("system"));
  }

  @Test
  void anInboxThatDoesNotAnswerMeansNoBacklog() {
    Instant opened = t.now().minus(Duration.ofHours(1));
    t.activities.backlogOf = (ticketId, customerId) -> {
      throw new IllegalStateException("inbox unavailable");
    };
    openedAt(9, opened);

    // within the lookup's 10 s (its retries), not the 7 days of the other database calls
    t.skip(TicketWorkflowImpl.BACKLOG_LOOKUP_WITHIN.plusSeconds(5));
    TicketState s = t.await(9, x -> !x.sla().breaches().isEmpty());
    assertThat(s.sla().breaches()).extracting(Breach::clock).contains("first-response");
  }

  @Test
  void aWaitLooksAtTheInboxLessAndLessOften() {
    openedWithAStuckRow(10, t.now().minus(Duration.ofHours(1)), POLICY);
    long eventsBefore = t.client.fetchHistory(TicketWorkflow.id(CHAT, 10)).getEvents().size();

    t.skip(TicketWorkflowImpl.BACKLOG_GRACE.plusSeconds(10));
    t.await(10, x -> !x.sla().breaches().isEmpty());

    // 2, 4, 8, 16, 30, 30, 30 s: 8 looks in the 2 min, not one every 2 s (60)
    assertThat(t.activities.calls.stream().filter("inboxBacklog"::equals).count()).isBetween(5L, 10L);
    var history = t.client.fetchHistory(TicketWorkflow.id(CHAT, 10)).getEvents();
    assertThat(history.size() - eventsBefore).as("history events of the wait").isLessThan(80);
    assertThat(history).filteredOn(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED).hasSizeLessThan(12);
  }

  @Test
  void rowsThatOutlastedTheGraceAreNotWaitedForAgain() {
    openedWithAStuckRow(11, t.now().minus(Duration.ofHours(3)), CLOSES_IN_AN_HOUR);
    t.skip(TicketWorkflowImpl.BACKLOG_GRACE.plusSeconds(10));
    t.await(11, x -> !x.sla().breaches().isEmpty());

    // a /resolve written 2 h ago: its auto-close (1 h) is late, and the stuck row holds it no more
    Instant sent = t.now();
    resolveAt(11, 1102, t.now().minus(Duration.ofHours(2)));

    TicketState s = t.await(11, x -> x.status() == Status.CLOSED);
    assertThat(s.audit()).filteredOn(a -> a.event().equals("CLOSED")).singleElement()
        .satisfies(a -> assertThat(a.at()).isBefore(sent.plus(TicketWorkflowImpl.BACKLOG_RECHECK)));
  }

  /**
   * Ticket {@code thread} opened, its first-response due passed while Forumdesk was down 10 min, and
   * restored with no row in the inbox while a fake Telegram holds {@code held} updates for us (its
   * webhook's pending_update_count): each look at the backlog reads it ({@link HeldByTelegram}).
   *
   * @return the first-response due the outage passed
   */
  private Instant restoredWhileTelegramHolds(long thread, java.util.concurrent.atomic.AtomicLong held) {
    t.open(thread, "Refund", POLICY);
    TicketState snapshot = t.await(thread, x -> x.sla().firstResponseDue() != null);
    t.lose(thread);
    t.skip(Duration.ofMinutes(10)); // down: the first-response and resolution deadlines pass
    t.activities.backlogOf = (ticketId, customerId) ->
        HeldByTelegram.answer(t.activities.backlog.getOrDefault(ticketId, List.of()), held.get());
    t.restore(thread, snapshot, List.of());
    lateDeadlinesLookedAt(thread);
    return snapshot.sla().firstResponseDue();
  }

  @Test
  void aRestoredTicketsLateDeadlinesWaitForTheUpdatesTelegramStillHolds() {
    var held = new java.util.concurrent.atomic.AtomicLong(3);
    Instant due = restoredWhileTelegramHolds(12, held);
    t.skip(Duration.ofSeconds(3));
    assertThat(t.state(12).sla().breaches()).as("waits for what Telegram holds").isEmpty();

    // Telegram sends its queue again: the agent's reply, written before the due, reaches the inbox
    held.set(0);
    t.activities.backlog.put(TicketWorkflow.id(CHAT, 12), List.of(1201L));
    t.skip(Duration.ofSeconds(2));
    agentSaysAt(12, 1201, due.minusSeconds(10));

    TicketState s = t.await(12, x -> x.firstResponseAt() != null);
    assertThat(s.audit()).extracting(AuditEntry::event).doesNotContain("ESCALATED");
    t.skip(Duration.ofSeconds(30)); // the next look: nothing held, nothing left; the resolution's breach fires
    s = t.await(12, x -> !x.sla().breaches().isEmpty());
    assertThat(s.sla().breaches()).extracting(Breach::clock).contains("resolution").doesNotContain("first-response");
    assertThat(notices()).noneMatch(k -> k.contains("first-response-breach"));
  }

  @Test
  void withNothingHeldByTelegramALateDeadlineFiresAtOnce() {
    var held = new java.util.concurrent.atomic.AtomicLong(0);
    restoredWhileTelegramHolds(13, held);

    TicketState s = t.await(13, x -> !x.sla().breaches().isEmpty());
    assertThat(s.sla().breaches()).extracting(Breach::clock).contains("first-response");
    assertThat(notices()).anyMatch(k -> k.contains("first-response-breach"));
  }

  @Test
  void updatesTelegramNeverDeliversHoldALateDeadlineForTheGraceOnly() {
    var held = new java.util.concurrent.atomic.AtomicLong(5);
    restoredWhileTelegramHolds(14, held);
    t.skip(TicketWorkflowImpl.BACKLOG_GRACE.minusSeconds(10));
    assertThat(t.state(14).sla().breaches()).as("still within the grace").isEmpty();

    t.skip(Duration.ofSeconds(20));
    TicketState s = t.await(14, x -> !x.sla().breaches().isEmpty());
    assertThat(s.sla().breaches()).extracting(Breach::clock).contains("first-response", "resolution");
    assertThat(notices()).anyMatch(k -> k.contains("first-response-breach"));
  }
}
