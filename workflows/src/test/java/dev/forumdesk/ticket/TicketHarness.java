package dev.forumdesk.ticket;

import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;
import io.temporal.api.update.v1.UpdateRef;
import io.temporal.api.update.v1.WaitPolicy;
import io.temporal.api.workflowservice.v1.PollWorkflowExecutionUpdateRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One time-skipping Temporal test environment with the ticket workflow and recording activities,
 * plus the signalWithStart the dispatcher uses.
 */
public final class TicketHarness implements AutoCloseable {
  public static final long CHAT = -1001234567890L;
  public static final String QUEUE = "test-tickets";
  public static final Person CUSTOMER = new Person(5001, "Bob", "bob");
  public static final Person AGENT = new Person(1001, "Alice", "alice");

  public static final Person SUPERVISOR = new Person(900001, "Sam", null);

  public final TestWorkflowEnvironment env;
  public final RecordingActivities activities = new RecordingActivities();
  public final FakeRoutingActivities routing = new FakeRoutingActivities();
  public final WorkflowClient client;
  private final AtomicLong eventIds = new AtomicLong(1_000);

  public TicketHarness() {
    this(Instant.now());
  }

  /** @param start the test server's clock at start (e.g. a Friday evening for business hours) */
  public TicketHarness(Instant start) {
    env = TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder().setInitialTime(start)
            .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(HistoryJson.converter()).build())
            .build());
    client = env.getWorkflowClient();
    Worker worker = env.newWorker(QUEUE, WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(30_000).build());
    worker.registerWorkflowImplementationTypes(TicketWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities, routing);
    env.start();
  }

  /** Registers the Ticket* search attributes, as docker compose does on a cluster. */
  public void registerSearchAttributes() {
    SearchAttributes.ALL.forEach(k -> env.registerSearchAttribute(
        k.getName(), io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
  }

  public void send(long threadId, TicketEvent event) {
    send(threadId, event, TicketPolicy.defaults());
  }

  public void send(long threadId, TicketEvent event, TicketPolicy policy) {
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            "TicketWorkflow",
            WorkflowOptions.newBuilder()
                .setWorkflowId(TicketWorkflow.id(CHAT, threadId))
                .setTaskQueue(QUEUE)
                .build());
    stub.signalWithStart(
        "event", new Object[] {event}, new Object[] {TicketState.unopened(CHAT, threadId, policy)});
  }

  /** What the worker sends a waiting ticket when an agent's slot may have freed. */
  public void capacityFreed(long threadId) {
    client.newWorkflowStub(TicketWorkflow.class, TicketWorkflow.id(CHAT, threadId)).capacityFreed();
  }

  /**
   * Sends a command as the dispatcher does; a rule's refusal comes back as WorkflowUpdateException (the
   * validator), a roster command's as a refused reply.
   */
  public CommandReply command(long threadId, Person from, Role role, String name, String args) {
    return command(threadId, from, role, name, args, null);
  }

  /** As {@link #command(long, Person, Role, String, String)}, typed in {@code answerIn} (a Level 2 topic). */
  public CommandReply command(long threadId, Person from, Role role, String name, String args, ForumTopic answerIn) {
    CommandRequest request = new CommandRequest(
        "c" + eventIds.incrementAndGet(), now(), from, role, name, args, "telegram", answerIn);
    return client.newWorkflowStub(TicketWorkflow.class, TicketWorkflow.id(CHAT, threadId)).command(request);
  }

  /**
   * The one-line reason the validator gave (a rejected update) or the handler gave (a refused reply, for
   * roster commands decided against the database), or fails if the command was accepted.
   */
  public String refusal(long threadId, Person from, Role role, String name, String args) {
    return refusal(threadId, from, role, name, args, null);
  }

  /** As {@link #refusal(long, Person, Role, String, String)}, typed in {@code answerIn} (a Level 2 topic). */
  public String refusal(long threadId, Person from, Role role, String name, String args, ForumTopic answerIn) {
    try {
      CommandReply reply = command(threadId, from, role, name, args, answerIn);
      if (reply.refused()) {
        return reply.message();
      }
    } catch (WorkflowUpdateException e) {
      Throwable cause = e.getCause();
      return cause instanceof ApplicationFailure af ? af.getOriginalMessage() : String.valueOf(cause.getMessage());
    }
    throw new AssertionError("/" + name + " was accepted");
  }

  public String nextEventId() {
    return "u" + eventIds.incrementAndGet();
  }

  public void customerSays(long threadId, String text) {
    send(threadId, new TicketEvent.MessagePosted(nextEventId(), now(), CUSTOMER, Role.CUSTOMER, eventIds.get(), text));
  }

  public void agentSays(long threadId, String text) {
    send(threadId, new TicketEvent.MessagePosted(nextEventId(), now(), AGENT, Role.AGENT, eventIds.get(), text));
  }

  public void open(long threadId, String title, TicketPolicy policy) {
    send(threadId, new TicketEvent.TopicOpened(nextEventId(), now(), CUSTOMER, Role.CUSTOMER, title), policy);
    await(threadId, TicketState::opened);
  }

  /**
   * An agent resolves the ticket and its quiet period passes: the run auto-closes and completes, and
   * the closed ticket is remembered as the store keeps it, so the next message in the topic starts a
   * follow-up run.
   *
   * @return the closed run's last projected state
   */
  /** A ticket opened and answered by its agent; @return its state once the first response counts (a snapshot to restore). */
  public TicketState answered(long threadId, String title, TicketPolicy policy, String reply) {
    open(threadId, title, policy);
    agentSays(threadId, reply);
    return await(threadId, s -> s.firstResponseAt() != null);
  }

  /** A ticket opened, answered and resolved by its agent; @return its state once RESOLVED. */
  public TicketState resolved(long threadId, String title, TicketPolicy policy, String reply) {
    open(threadId, title, policy);
    agentSays(threadId, reply);
    command(threadId, AGENT, Role.AGENT, "resolve", "");
    return await(threadId, s -> s.status() == Status.RESOLVED);
  }

  /** What a kill -9 of the embedded server does to the ticket's workflow. */
  public void lose(long threadId) {
    client.newUntypedWorkflowStub(TicketWorkflow.id(CHAT, threadId)).terminate("lost with the embedded server");
  }

  /** What Restore does: the snapshot and the journal, on a fresh run of the same id. */
  public void restore(long threadId, TicketState snapshot, java.util.List<JournalEntry> journal) {
    WorkflowClient.start(client.newWorkflowStub(TicketWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(TicketWorkflow.id(CHAT, threadId)).setTaskQueue(QUEUE).build())::run, snapshot, journal);
  }

  public TicketState resolveAndClose(long threadId) {
    command(threadId, AGENT, Role.AGENT, "resolve", "");
    skip(state(threadId).policy().autoCloseResolved().plusMinutes(1));
    client.newUntypedWorkflowStub(TicketWorkflow.id(CHAT, threadId)).getResult(Void.class);
    TicketState closed = activities.projected.getLast();
    if (closed.status() != Status.CLOSED) {
      throw new AssertionError("ticket " + threadId + " did not auto-close: " + closed.status());
    }
    activities.closed.put(closed.id(), closed);
    return closed;
  }

  /** Skips test-server time (timers fire), then lets the workflow finish its task. */
  public void skip(Duration d) {
    env.sleep(d);
  }

  public TicketState state(long threadId) {
    return client.newWorkflowStub(TicketWorkflow.class, TicketWorkflow.id(CHAT, threadId)).state();
  }

  /** Polls the query until the predicate holds: signals are processed asynchronously. */
  public TicketState await(long threadId, Predicate<TicketState> condition) {
    Instant deadline = Instant.now().plusSeconds(10);
    TicketState s = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        s = state(threadId);
        if (s != null && condition.test(s)) {
          return s;
        }
      } catch (RuntimeException notYetStarted) {
        // the first workflow task may not have run yet
      }
      sleepReal(Duration.ofMillis(20));
    }
    throw new AssertionError("condition not met within 10 s; last state: " + s);
  }

  /** Waits up to 10 s for a message queued with a key containing {@code keyPart}: activities run asynchronously. */
  public void awaitPosted(String keyPart) {
    Instant deadline = Instant.now().plusSeconds(10);
    while (activities.postedWithKeyContaining(keyPart).isEmpty() && Instant.now().isBefore(deadline)) {
      sleepReal(Duration.ofMillis(20));
    }
    org.assertj.core.api.Assertions.assertThat(activities.postedWithKeyContaining(keyPart)).as("posted: " + keyPart)
        .isNotEmpty();
  }

  /**
   * Waits until the test server holds update {@code updateId} of workflow {@code workflowId}, admitted
   * and not yet taken by a workflow task: a test holds the run's task queue without a worker meanwhile
   * (an update sent before the run's first task, which then takes it with the start).
   */
  public void awaitUpdateAdmitted(String workflowId, String updateId) {
    Instant deadline = Instant.now().plusSeconds(10);
    while (true) {
      try {
        env.getWorkflowServiceStubs().blockingStub().pollWorkflowExecutionUpdate(
            PollWorkflowExecutionUpdateRequest.newBuilder().setNamespace(env.getNamespace())
                .setUpdateRef(UpdateRef.newBuilder().setUpdateId(updateId)
                    .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)))
                .setWaitPolicy(WaitPolicy.newBuilder()
                    .setLifecycleStage(UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED))
                .build());
        return;
      } catch (StatusRuntimeException notYet) {
        if (notYet.getStatus().getCode() != io.grpc.Status.Code.NOT_FOUND || Instant.now().isAfter(deadline)) {
          throw notYet;
        }
        sleepReal(Duration.ofMillis(10));
      }
    }
  }

  public Instant now() {
    return Instant.ofEpochMilli(env.currentTimeMillis());
  }

  private static void sleepReal(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    env.close();
  }
}
