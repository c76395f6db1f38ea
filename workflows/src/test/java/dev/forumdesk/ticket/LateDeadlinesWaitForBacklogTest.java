package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static dev.forumdesk.ticket.TicketHarness.CHAT;
import static dev.forumdesk.ticket.TicketHarness.CUSTOMER;
import static org.assertj.core.api.Assertions.assertThat;

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
  private final TicketHarness t = new TicketHarness();

  @AfterEach
  void close() {
    t.close();
  }

  private void openedAt(long thread, Instant at) {
    t.send(thread, new TicketEvent.TopicOpened("u" + thread + "00", at, CUSTOMER, Role.CUSTOMER, "Yesterday"), POLICY);
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
    Instant opened = t.now().minus(Duration.ofHours(1));
    t.activities.backlog.put(TicketWorkflow.id(CHAT, 3), List.of(301L)); // stuck: never delivered
    openedAt(3, opened);
    lateDeadlinesLookedAt(3);
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
}
