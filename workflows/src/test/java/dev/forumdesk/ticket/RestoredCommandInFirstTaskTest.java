package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static dev.forumdesk.ticket.TicketHarness.CUSTOMER;
import static dev.forumdesk.ticket.TicketHarness.SUPERVISOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A restored ticket's journal holds a bot command, and the dispatcher delivers the command's inbox
 * row again (Dispatcher.deliverRestored) before the restored run took its first workflow task: the
 * update reaches the run in that very task, with the start. Held here for certain: the restored run
 * is started on a task queue whose worker polls only once the redelivered update is admitted.
 */
class RestoredCommandInFirstTaskTest {
  private static final TicketPolicy POLICY = EscalationTest.POLICY;
  private static final String HELD = "restored-held";
  private final TicketHarness t = new TicketHarness();
  private final WorkerFactory held = WorkerFactory.newInstance(t.client);

  private final Worker worker;

  RestoredCommandInFirstTaskTest() {
    worker = held.newWorker(HELD, WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(30_000).build());
    worker.registerWorkflowImplementationTypes(TicketWorkflowImpl.class);
    worker.registerActivitiesImplementations(t.activities, t.routing);
  }

  @AfterEach
  void close() {
    held.shutdownNow();
    t.close();
  }

  /**
   * The customer wrote to the resolved ticket (it reopened), then a supervisor typed /hold; both wait in
   * the inbox at the kill. In the journal's order the /hold applies to the reopened ticket. Its
   * redelivery in the restored run's first task got "Cannot hold a ticket that is RESOLVED." (the
   * validator ran before the journal, against the snapshot), and the dispatcher posted that refusal
   * and settled the row, while the journal put the ticket on hold all the same. Now it gets the answer
   * the journal's /hold had, once, and a later redelivery the same.
   */
  @Test
  void aCommandRedeliveredInTheFirstTaskIsAnsweredAsTheJournalAppliedIt() throws Exception {
    TicketState resolved = t.resolved(60, "Refund", POLICY, "Refunded");
    Instant at = t.now();
    TicketEvent stillBroken = new TicketEvent.MessagePosted("u800", at, CUSTOMER, Role.CUSTOMER, 800, "Still broken");
    CommandRequest hold = new CommandRequest("u801", at.plusSeconds(1), SUPERVISOR, Role.SUPERVISOR, "hold", "",
        "telegram");
    t.lose(60);

    restoreHeld(60, resolved, List.of(JournalEntry.of(stillBroken).accepted(at),
        JournalEntry.of(hold).accepted(at.plusSeconds(1))));
    // Dispatcher.deliverRestored: the rows in update order, the event by signal, the command by update
    stub(60).signal("event", stillBroken);
    CompletableFuture<Answer> answer = CompletableFuture.supplyAsync(() -> deliver(60, hold));
    awaitAdmitted(60, hold.eventId());
    held.start();

    Answer first = answer.get(30, TimeUnit.SECONDS);
    assertThat(first.refused()).as("the answer in the topic: %s", first.text()).isFalse();
    assertThat(first.text()).startsWith(StaffNotice.ON_HOLD.start());
    TicketState s = t.await(60, x -> x.status() == Status.ON_HOLD);
    assertThat(s.audit()).extracting(AuditEntry::event).containsSubsequence("REOPENED", "ON_HOLD");
    assertThat(s.audit()).filteredOn(a -> a.event().equals("ON_HOLD")).hasSize(1);
    assertThat(s.seenEvents()).contains("u800", "u801");

    assertThat(deliver(60, hold)).as("the same update again: Temporal's record of it").isEqualTo(first);
    assertThat(t.state(60).audit()).filteredOn(a -> a.event().equals("ON_HOLD")).hasSize(1);
    replaysAlike(60);
  }

  /**
   * Nobody answered; the first-response deadline passed, and only then an agent's /resolve came, which
   * waits in the inbox at the kill (restored long after). The journal fires the breach first, as it
   * happened. Its redelivery in the first task resolved the ticket before the deadlines instead: no
   * breach at all, nobody told.
   */
  @Test
  void aCommandRedeliveredInTheFirstTaskComesAfterTheDeadlinesThatPassedBeforeIt() throws Exception {
    t.open(61, "Screen flickers", POLICY);
    TicketState snapshot = t.await(61, TicketState::opened);
    Instant due = snapshot.sla().firstResponseDue();
    t.lose(61);
    t.skip(POLICY.firstResponse().plusMinutes(5));
    Instant late = due.plusSeconds(60);
    CommandRequest resolve = new CommandRequest("u810", late, AGENT, Role.AGENT, "resolve", "", "telegram");

    restoreHeld(61, snapshot, List.of(JournalEntry.of(resolve).accepted(late)));
    CompletableFuture<Answer> answer = CompletableFuture.supplyAsync(() -> deliver(61, resolve));
    awaitAdmitted(61, resolve.eventId());
    held.start();

    Answer reply = answer.get(30, TimeUnit.SECONDS);
    assertThat(reply.refused()).isFalse();
    assertThat(reply.text()).startsWith("✅ Resolved.");
    TicketState s = t.await(61, x -> x.status() == Status.RESOLVED);
    assertThat(s.sla().breaches()).as("the breach that happened before the /resolve")
        .extracting(Breach::clock).containsExactly("first-response");
    assertThat(s.audit()).extracting(AuditEntry::event).containsSubsequence("ESCALATED", "RESOLVED");
    assertThat(s.audit()).filteredOn(a -> a.event().equals("RESOLVED")).hasSize(1);
    replaysAlike(61);
  }

  /**
   * A command the journal does not hold (an API action or a bot command that came after the restart)
   * reaching the restored run in its first task comes after the journal, as it came after what the
   * journal holds: a supervisor's /hold after the customer's message that reopened the ticket.
   */
  @Test
  void aNewCommandInTheFirstTaskComesAfterTheJournal() throws Exception {
    TicketState resolved = t.resolved(62, "Refund", POLICY, "Refunded");
    Instant at = t.now();
    TicketEvent stillBroken = new TicketEvent.MessagePosted("u820", at, CUSTOMER, Role.CUSTOMER, 820, "Still broken");
    t.lose(62);

    restoreHeld(62, resolved, List.of(JournalEntry.of(stillBroken).accepted(at)));
    CommandRequest hold = new CommandRequest("api:hold-1", at.plusSeconds(5), SUPERVISOR, Role.SUPERVISOR, "hold",
        "waiting for the courier", "api");
    CompletableFuture<Answer> answer = CompletableFuture.supplyAsync(() -> deliver(62, hold));
    awaitAdmitted(62, hold.eventId());
    held.start();

    Answer reply = answer.get(30, TimeUnit.SECONDS);
    assertThat(reply.refused()).as("not refused against the snapshot: %s", reply.text()).isFalse();
    TicketState s = t.await(62, x -> x.status() == Status.ON_HOLD);
    assertThat(s.audit()).extracting(AuditEntry::event).containsSubsequence("REOPENED", "ON_HOLD");
  }

  /**
   * A /reopen typed before the dashboard's resolve was refused in the journal's order. Redelivered in
   * the first task, it is refused as then, with the same reason and kind (a refused reply now, which the
   * dispatcher and the API read as the validator's refusal), and does not undo the resolve.
   */
  @Test
  void aCommandTheJournalRefusedIsRefusedAlikeInTheFirstTask() throws Exception {
    TicketState snapshot = t.answered(63, "Invoice", POLICY, "Sent it");
    CommandRequest early = new CommandRequest("u830", t.now(), AGENT, Role.AGENT, "reopen", "", "telegram");
    CommandRequest resolve = new CommandRequest("api:resolve", t.now().plusSeconds(1), SUPERVISOR, Role.SUPERVISOR,
        "resolve", "", "api");
    t.lose(63);

    restoreHeld(63, snapshot, List.of(JournalEntry.of(early), JournalEntry.of(resolve)));
    CompletableFuture<Answer> answer = CompletableFuture.supplyAsync(() -> deliver(63, early));
    awaitAdmitted(63, early.eventId());
    held.start();

    Answer reply = answer.get(30, TimeUnit.SECONDS);
    assertThat(reply).isEqualTo(new Answer(true, "Only a RESOLVED ticket can be reopened (it is IN_PROGRESS).",
        RefusalKind.CONFLICT));
    TicketState s = t.await(63, x -> x.status() == Status.RESOLVED);
    assertThat(s.reopenCount()).isZero();
    assertThat(s.seenEvents()).doesNotContain("u830");
  }

  /**
   * Most restored tickets have no journal (nothing waited in the inbox for them). The first-response
   * deadline passed while the process was down; the first thing after the restart is a supervisor's
   * resolve from the dashboard (an API action), which reaches the restored run in its first task. It
   * came after the deadline, so it comes after the breach, as it does when it reaches the run a moment
   * later; decided at once against the snapshot, it resolved the ticket before the breach: no breach,
   * nobody called.
   */
  @Test
  void aNewCommandInTheFirstTaskOfARunRestoredWithoutJournalComesAfterTheDeadlinesThatPassed() throws Exception {
    TicketState s = resolvedInTheFirstTaskAfterTheDeadline(64, at -> List.of());
    assertThat(s.seenEvents()).contains("api:resolve-64");
  }

  /**
   * As above with a journal whose only entry came before the deadline (the customer's second message):
   * the resolve that came after the restart comes after the journal and after the deadline that passed
   * after the journal's last entry, while the process was down.
   */
  @Test
  void aNewCommandInTheFirstTaskComesAfterTheDeadlinesThatPassedAfterTheJournal() throws Exception {
    TicketState s = resolvedInTheFirstTaskAfterTheDeadline(65, at -> List.of(JournalEntry.of(
        new TicketEvent.MessagePosted("u850", at, CUSTOMER, Role.CUSTOMER, 850, "It blinks twice")).accepted(at)));
    assertThat(s.seenEvents()).contains("u850", "api:resolve-65");
  }

  /**
   * The same for an event: an agent's first reply, typed after the restart (the deadline passed while
   * the process was down), reaching the restored run in its first task with no journal. The loop took
   * the signal before the deadlines due, so the reply hid the breach; now the breach comes first.
   */
  @Test
  void aNewReplyInTheFirstTaskComesAfterTheDeadlinesThatPassedWhileDown() throws Exception {
    t.open(66, "Screen flickers", POLICY);
    TicketState snapshot = t.await(66, TicketState::opened);
    t.lose(66);
    t.skip(POLICY.firstResponse().plusMinutes(5));

    restoreHeld(66, snapshot, List.of());
    stub(66).signal("event", new TicketEvent.MessagePosted("u860", t.now(), AGENT, Role.AGENT, 860, "On it"));
    held.start();

    TicketState s = t.await(66, x -> x.seenEvents().contains("u860") && x.firstResponseAt() != null);
    assertThat(s.sla().breaches()).as("the breach that happened before the reply")
        .extracting(Breach::clock).containsExactly("first-response");
    replaysAlike(66);
  }

  /**
   * A ticket nobody answered, lost with the embedded server before its first-response deadline and
   * restored after it with {@code journal} (given the time of the loss); a supervisor's resolve (an API
   * action) reaches the restored run in its first task. It is resolved after the breach.
   *
   * @return the resolved ticket
   */
  private TicketState resolvedInTheFirstTaskAfterTheDeadline(
      long threadId, java.util.function.Function<Instant, List<JournalEntry>> journal) throws Exception {
    t.open(threadId, "Screen flickers", POLICY);
    TicketState snapshot = t.await(threadId, TicketState::opened);
    List<JournalEntry> entries = journal.apply(t.now());
    t.lose(threadId);
    t.skip(POLICY.firstResponse().plusMinutes(5));

    restoreHeld(threadId, snapshot, entries);
    CommandRequest resolve = new CommandRequest("api:resolve-" + threadId, t.now(), SUPERVISOR, Role.SUPERVISOR,
        "resolve", "", "api");
    CompletableFuture<Answer> answer = CompletableFuture.supplyAsync(() -> deliver(threadId, resolve));
    awaitAdmitted(threadId, resolve.eventId());
    held.start();

    Answer reply = answer.get(30, TimeUnit.SECONDS);
    assertThat(reply.refused()).as("the answer: %s", reply.text()).isFalse();
    TicketState s = t.await(threadId, x -> x.status() == Status.RESOLVED);
    assertThat(s.sla().breaches()).as("the breach that happened before the resolve")
        .extracting(Breach::clock).containsExactly("first-response");
    assertThat(s.audit()).extracting(AuditEntry::event).containsSubsequence("ESCALATED", "RESOLVED");
    replaysAlike(threadId);
    return s;
  }

  /** The topic's answer to a command, as TicketGateway reads it: a refusal (the validator's or the handler's) or the reply. */
  record Answer(boolean refused, String text, RefusalKind kind) {}

  /** What TicketGateway.command does: an update whose id is the command's event id, waited for until completed. */
  private Answer deliver(long threadId, CommandRequest request) {
    try {
      CommandReply reply = stub(threadId).startUpdate(UpdateOptions.newBuilder(CommandReply.class)
          .setUpdateName("command").setUpdateId(request.eventId()).setWaitForStage(WorkflowUpdateStage.COMPLETED)
          .build(), request).getResult();
      return new Answer(reply.refused(), reply.message(), reply.refused() ? RefusalKind.orConflict(reply.kind()) : null);
    } catch (WorkflowUpdateException e) {
      ApplicationFailure f = (ApplicationFailure) e.getCause();
      return new Answer(true, f.getOriginalMessage(), RefusalKind.ofFailureType(f.getType()).orElseThrow());
    }
  }

  private void awaitAdmitted(long threadId, String updateId) {
    t.awaitUpdateAdmitted(TicketWorkflow.id(TicketHarness.CHAT, threadId), updateId);
  }

  /**
   * The restored run's history, with the command its first task took, replays on this code: what the
   * worker does when its cache evicted the run (no other code replays it: the embedded server's
   * history dies with the process).
   */
  private void replaysAlike(long threadId) throws Exception {
    WorkflowReplayer.replayWorkflowExecution(t.client.fetchHistory(TicketWorkflow.id(TicketHarness.CHAT, threadId)),
        worker);
  }

  /** What Restore does, on the held task queue. */
  private void restoreHeld(long threadId, TicketState snapshot, List<JournalEntry> journal) {
    t.client.newUntypedWorkflowStub("TicketWorkflow", WorkflowOptions.newBuilder()
        .setWorkflowId(TicketWorkflow.id(TicketHarness.CHAT, threadId)).setTaskQueue(HELD).build())
        .start(snapshot, journal);
  }

  private WorkflowStub stub(long threadId) {
    return t.client.newUntypedWorkflowStub(TicketWorkflow.id(TicketHarness.CHAT, threadId));
  }
}
