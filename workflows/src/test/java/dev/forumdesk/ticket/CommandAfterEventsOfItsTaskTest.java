package dev.forumdesk.ticket;

import static dev.forumdesk.ticket.TicketHarness.AGENT;
import static dev.forumdesk.ticket.TicketHarness.CHAT;
import static dev.forumdesk.ticket.TicketHarness.CUSTOMER;
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
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Audit 20b, F4: the worker was killed while a ticket's workflow task was scheduled (a customer's
 * message had just come); meanwhile the dispatcher delivered an agent's reply (a signal) and then
 * the agent's /status (an update). The restarted worker takes one task with both. The Temporal test
 * server (the embedded server) sequences the update's message after the task's WorkflowTaskScheduled
 * event, before the reply's WorkflowExecutionSignaled that came after it, so the SDK runs the update
 * handler before the reply's signal handler has queued the reply: /status answered "Status: NEW …
 * First response due: …" while the ticket went on to IN_PROGRESS with its first response. A
 * cluster sequences messages after every event of the task, and a replay of this history does too.
 */
class CommandAfterEventsOfItsTaskTest {
  private static final TicketPolicy POLICY = EscalationTest.POLICY;
  private static final String QUEUE = "worker-killed";
  private final TicketHarness t = new TicketHarness();
  /** Callers waiting for their commands' answers, several at once (the common pool may have one thread). */
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private WorkerFactory worker;

  @AfterEach
  void close() {
    if (worker != null) {
      worker.shutdownNow();
    }
    t.close();
    callers.shutdownNow();
  }

  @Test
  void statusTypedAfterAReplyThatCameWhileTheWorkerWasDownShowsTheReply() throws Exception {
    opened(70, new TicketEvent.TopicOpened("u700", t.now(), CUSTOMER, Role.CUSTOMER, "Where is my parcel"),
        new TicketEvent.MessagePosted("u701", t.now(), CUSTOMER, Role.CUSTOMER, 701, "Order 17 is late"));
    kill();

    // the customer's follow-up schedules a workflow task that nobody takes; the reply and the
    // command come after that task was scheduled, in this order, as the dispatcher delivers them
    signal(70, new TicketEvent.MessagePosted("u702", t.now(), CUSTOMER, Role.CUSTOMER, 702, "Any news?"));
    signal(70, new TicketEvent.MessagePosted("u703", t.now(), AGENT, Role.AGENT, 703, "Looking into it"));
    CommandRequest status = new CommandRequest("u704", t.now(), AGENT, Role.AGENT, "status", "", "telegram");
    CompletableFuture<CommandReply> answer = admitted(70, status, this::deliver);
    worker = startWorker();

    CommandReply reply = answer.get(30, TimeUnit.SECONDS);
    assertThat(signaledWhileItsTaskWaited(70)).as("the reply between the task's scheduling and its start").isTrue();
    TicketState s = t.await(70, x -> x.seenEvents().containsAll(List.of("u702", "u703", "u704")));
    assertThat(s.status()).isEqualTo(Status.IN_PROGRESS);
    assertThat(s.firstResponseAt()).isNotNull();
    assertThat(reply.status()).as("the answer: %s", reply.message()).isEqualTo(Status.IN_PROGRESS);
    assertThat(reply.message()).contains("Status: IN_PROGRESS").contains("First response due: —");
    replaysAlike(70);
  }

  /**
   * The reply came while the worker was down and nothing else was pending: its signal scheduled the
   * task, and the command came after, sequenced after it by any server. Answered after the reply, as
   * before.
   */
  @Test
  void statusTypedAfterTheReplyThatScheduledTheTaskShowsTheReply() throws Exception {
    opened(71, new TicketEvent.TopicOpened("u710", t.now(), CUSTOMER, Role.CUSTOMER, "Where is my parcel"),
        new TicketEvent.MessagePosted("u711", t.now(), CUSTOMER, Role.CUSTOMER, 711, "Order 18 is late"));
    kill();

    signal(71, new TicketEvent.MessagePosted("u712", t.now(), AGENT, Role.AGENT, 712, "Looking into it"));
    CommandRequest status = new CommandRequest("u713", t.now(), AGENT, Role.AGENT, "status", "", "telegram");
    CompletableFuture<CommandReply> answer = admitted(71, status, this::deliver);
    worker = startWorker();

    CommandReply reply = answer.get(30, TimeUnit.SECONDS);
    assertThat(reply.status()).as("the answer: %s", reply.message()).isEqualTo(Status.IN_PROGRESS);
    assertThat(reply.message()).contains("First response due: —");
    replaysAlike(71);
  }

  /**
   * The customer wrote to the RESOLVED ticket while the worker was down (it reopens), then a supervisor
   * typed /hold: both reach the ticket in one task, whatever the server. The update's validator ran
   * before the loop applied the message: "Cannot hold a ticket that is RESOLVED." in the topic, while
   * the ticket went on to IN_PROGRESS. It is decided after the message now.
   */
  @Test
  void holdTypedAfterTheMessageThatReopenedTheTicketHoldsIt() throws Exception {
    opened(72, new TicketEvent.TopicOpened("u720", t.now(), CUSTOMER, Role.CUSTOMER, "Refund"),
        new TicketEvent.MessagePosted("u721", t.now(), CUSTOMER, Role.CUSTOMER, 721, "Charged twice"),
        new TicketEvent.MessagePosted("u722", t.now(), AGENT, Role.AGENT, 722, "Refunded"));
    deliver(72, new CommandRequest("u723", t.now(), AGENT, Role.AGENT, "resolve", "", "telegram"));
    t.await(72, s -> s.status() == Status.RESOLVED);
    kill();

    signal(72, new TicketEvent.MessagePosted("u724", t.now(), CUSTOMER, Role.CUSTOMER, 724, "Still charged twice"));
    CommandRequest hold = new CommandRequest("u725", t.now(), TicketHarness.SUPERVISOR, Role.SUPERVISOR, "hold", "",
        "telegram");
    CompletableFuture<String> answer = admitted(72, hold, this::answer);
    worker = startWorker();
    assertThat(answer.get(30, TimeUnit.SECONDS)).startsWith(StaffNotice.ON_HOLD.start());
    TicketState s = t.await(72, x -> x.status() == Status.ON_HOLD);
    assertThat(s.audit()).extracting(AuditEntry::event).containsSubsequence("REOPENED", "ON_HOLD");
    replaysAlike(72);
  }

  /**
   * Two commands reach the ticket in one task (a bot command and a dashboard action, which the
   * dispatcher does not order): the second is decided against the ticket the first left, although its
   * validator ran before the first's handler (both wait for the events of their task first).
   */
  @Test
  void theSecondCommandOfATaskIsDecidedAfterTheFirst() throws Exception {
    opened(73, new TicketEvent.TopicOpened("u730", t.now(), CUSTOMER, Role.CUSTOMER, "Refund"),
        new TicketEvent.MessagePosted("u731", t.now(), CUSTOMER, Role.CUSTOMER, 731, "Charged twice"),
        new TicketEvent.MessagePosted("u732", t.now(), AGENT, Role.AGENT, 732, "Refunded"));
    kill();

    CommandRequest resolve = new CommandRequest("u733", t.now(), AGENT, Role.AGENT, "resolve", "", "telegram");
    CommandRequest hold = new CommandRequest("api:hold-73", t.now(), TicketHarness.SUPERVISOR, Role.SUPERVISOR,
        "hold", "", "api");
    CompletableFuture<String> resolved = admitted(73, resolve, this::answer);
    CompletableFuture<String> held = admitted(73, hold, this::answer);
    worker = startWorker();

    assertThat(resolved.get(30, TimeUnit.SECONDS)).startsWith("✅ Resolved.");
    assertThat(held.get(30, TimeUnit.SECONDS)).isEqualTo("refused: Cannot hold a ticket that is RESOLVED.");
    TicketState s = t.await(73, x -> x.seenEvents().contains("u733"));
    assertThat(s.status()).isEqualTo(Status.RESOLVED);
    assertThat(s.audit()).extracting(AuditEntry::event).doesNotContain("ON_HOLD");
    replaysAlike(73);
  }

  /**
   * Whether the task that accepted the command has a signal between its WorkflowTaskScheduled and
   * WorkflowTaskStarted: the shape of the audit's histories, which the test server sequences the
   * update before.
   */
  private boolean signaledWhileItsTaskWaited(long threadId) {
    List<HistoryEvent> events = t.client.fetchHistory(TicketWorkflow.id(CHAT, threadId)).getEvents();
    int accepted = indexOf(events, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED, events.size() - 1);
    int started = indexOf(events, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, accepted);
    int scheduled = indexOf(events, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, started);
    return events.subList(scheduled, started).stream()
        .anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
  }

  /** The index of the last event of {@code type} at or before {@code from}. */
  private static int indexOf(List<HistoryEvent> events, EventType type, int from) {
    for (int i = from; i >= 0; i--) {
      if (events.get(i).getEventType() == type) {
        return i;
      }
    }
    throw new AssertionError("no " + type + " at or before event index " + from);
  }

  /** What the worker role does: its own factory on the queue, no sticky queue (the embedded server strips it). */
  private WorkerFactory startWorker() {
    WorkerFactory factory = WorkerFactory.newInstance(t.client);
    Worker w = factory.newWorker(QUEUE, WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(30_000)
        .setStickyQueueScheduleToStartTimeout(Duration.ZERO).build());
    w.registerWorkflowImplementationTypes(TicketWorkflowImpl.class);
    w.registerActivitiesImplementations(t.activities, t.routing);
    factory.start();
    return factory;
  }

  /** A ticket opened with {@code events} on a running worker, which has applied them all. */
  private void opened(long threadId, TicketEvent... events) {
    worker = startWorker();
    for (TicketEvent event : events) {
      signal(threadId, event);
    }
    String last = events[events.length - 1].eventId();
    t.await(threadId, s -> s.seenEvents().contains(last));
  }

  /** {@code command} sent while no worker runs, once the server admitted it; its answer comes when one does. */
  private <T> CompletableFuture<T> admitted(long threadId, CommandRequest command,
      BiFunction<Long, CommandRequest, T> send) {
    CompletableFuture<T> answer = CompletableFuture.supplyAsync(() -> send.apply(threadId, command), callers);
    t.awaitUpdateAdmitted(TicketWorkflow.id(CHAT, threadId), command.eventId());
    return answer;
  }

  /** A kill -9 of the worker role: nobody polls the queue until the next start. */
  private void kill() {
    worker.shutdownNow();
    worker.awaitTermination(10, TimeUnit.SECONDS);
    worker = null;
  }

  /** The dispatcher's delivery of a topic event: signalWithStart on the ticket's workflow. */
  private void signal(long threadId, TicketEvent event) {
    t.client.newUntypedWorkflowStub("TicketWorkflow", WorkflowOptions.newBuilder()
            .setWorkflowId(TicketWorkflow.id(CHAT, threadId)).setTaskQueue(QUEUE).build())
        .signalWithStart("event", new Object[] {event}, new Object[] {TicketState.unopened(CHAT, threadId, POLICY)});
  }

  /** What TicketGateway.command does: an update whose id is the command's event id, waited for until completed. */
  private CommandReply deliver(long threadId, CommandRequest request) {
    return stub(threadId).startUpdate(UpdateOptions.newBuilder(CommandReply.class).setUpdateName("command")
        .setUpdateId(request.eventId()).setWaitForStage(WorkflowUpdateStage.COMPLETED).build(), request).getResult();
  }

  /** The answer as the topic reads it: the reply, or "refused: " and the validator's or the handler's reason. */
  private String answer(long threadId, CommandRequest request) {
    try {
      CommandReply reply = deliver(threadId, request);
      return reply.refused() ? "refused: " + reply.message() : reply.message();
    } catch (WorkflowUpdateException e) {
      return "refused: " + ((ApplicationFailure) e.getCause()).getOriginalMessage();
    }
  }

  /** The history, with the task that took the events and the command together, replays on this code. */
  private void replaysAlike(long threadId) throws Exception {
    WorkerFactory replay = WorkerFactory.newInstance(t.client);
    Worker w = replay.newWorker("replay-only");
    w.registerWorkflowImplementationTypes(TicketWorkflowImpl.class);
    WorkflowReplayer.replayWorkflowExecution(t.client.fetchHistory(TicketWorkflow.id(CHAT, threadId)), w);
  }

  private WorkflowStub stub(long threadId) {
    return t.client.newUntypedWorkflowStub(TicketWorkflow.id(CHAT, threadId));
  }
}
