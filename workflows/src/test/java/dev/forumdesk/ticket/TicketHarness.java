package dev.forumdesk.ticket;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
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

  public final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
  public final RecordingActivities activities = new RecordingActivities();
  public final FakeRoutingActivities routing = new FakeRoutingActivities();
  public final WorkflowClient client = env.getWorkflowClient();

  public TicketHarness() {
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(TicketWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities, routing);
    env.start();
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
