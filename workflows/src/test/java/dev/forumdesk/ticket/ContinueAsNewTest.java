package dev.forumdesk.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A ticket with 10,000 customer messages: the workflow continues as new when Temporal suggests
 * it (the test server does at 4,096 events), carrying its TicketState, and nothing is lost or
 * counted twice across the runs.
 */
class ContinueAsNewTest {
  static final int MESSAGES = 10_000;
  static final long CHAT = -1001234567890L;
  static final Person BOB = new Person(5001, "Bob", "bob");

  /** Keeps only what the assertions need: 10,000 full snapshots would not fit in a test heap. */
  static final class CountingActivities extends RecordingActivities {
    final AtomicLong lastVersion = new AtomicLong();
    final AtomicInteger acks = new AtomicInteger();

    @Override
    public void project(TicketState state) {
      lastVersion.accumulateAndGet(state.version(), Math::max);
    }

    @Override
    public void projectChanges(Projection projection) {
      project(projection.head());
    }

    @Override
    public void post(OutboundMessage message) {
      if (message.key().endsWith(":ack")) {
        acks.incrementAndGet();
      }
    }
  }

  @Test
  void tenThousandMessagesSpanSeveralRunsWithNothingLost() throws Exception {
    CountingActivities activities = new CountingActivities();
    try (TestWorkflowEnvironment env = realTime(activities)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = TicketWorkflow.id(CHAT, 1);
      Instant at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
      WorkflowExecution firstRun = open(client, 1, at, "Long story");

      TicketWorkflow ticket = client.newWorkflowStub(TicketWorkflow.class, id);
      for (int i = 1; i <= MESSAGES; i++) {
        ticket.event(new TicketEvent.MessagePosted("u" + i, at.plusMillis(i), BOB, Role.CUSTOMER, i, "part " + i));
      }
      long expected = 1 + MESSAGES; // OPENED, then one version per message
      awaitVersionAtLeast(activities, expected, Duration.ofMinutes(3));

      TicketState state = ticket.state();
      assertThat(state.version()).as("every message counted exactly once").isEqualTo(expected);
      assertThat(activities.lastVersion.get()).isEqualTo(expected);
      assertThat(state.lastActivityAt()).isEqualTo(at.plusMillis(MESSAGES));
      assertThat(state.audit()).filteredOn(a -> a.event().equals("OPENED")).hasSize(1);
      assertThat(activities.acks.get()).as("the ack is posted once, not once per run").isEqualTo(1);
      var current = describe(env, id);
      assertThat(current.getExecution().getRunId()).as("continued as new").isNotEqualTo(firstRun.getRunId());
      assertThat(current.getHistoryLength()).isLessThan(MESSAGES);
    }
  }

  /**
   * Lifecycle rules 7 open a Level 2 topic beside the loop; the run does not continue as new while
   * the topic is being opened (the new run would ask again, and the answer of this run's activity
   * would be lost), however long its history grows. Once the topic is recorded, the next run carries it.
   */
  @Test
  void aRunWhoseLevel2TopicIsBeingOpenedContinuesAsNewOnlyAfterItIsRecorded() throws Exception {
    CountingActivities activities = new CountingActivities();
    java.util.concurrent.CountDownLatch budget = new java.util.concurrent.CountDownLatch(1);
    activities.level2TopicBudget = budget;
    activities.level2TopicAskedAgainIn = Duration.ofSeconds(1);
    try (TestWorkflowEnvironment env = realTime(activities)) {
      WorkflowClient client = env.getWorkflowClient();
      String id = TicketWorkflow.id(CHAT, 2);
      Instant at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
      WorkflowExecution firstRun = open(client, 2, at, "Card declined");
      TicketWorkflow ticket = client.newWorkflowStub(TicketWorkflow.class, id);
      awaitOpened(ticket); // a command before the run took its opening is refused: not a ticket yet
      Person agent = new Person(7001, "Alice", "alice");
      ticket.command(new CommandRequest("c1", at, agent, Role.AGENT, "escalate", "bank side", "telegram", null));
      assertThat(activities.level2TopicAsked.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

      // more signals alone than the 4,096 events at which the test server suggests continuing as new
      int messages = 4_500;
      for (int i = 1; i <= messages; i++) {
        ticket.event(new TicketEvent.MessagePosted("u" + i, at.plusMillis(i), BOB, Role.CUSTOMER, i, "part " + i));
      }
      awaitVersionAtLeast(activities, 2 + messages, Duration.ofMinutes(2));
      var beforeTopic = describe(env, id);
      assertThat(beforeTopic.getExecution().getRunId()).as("no new run while the topic is being opened")
          .isEqualTo(firstRun.getRunId());
      assertThat(beforeTopic.getHistoryLength()).as("the suggestion came").isGreaterThan(4_096);

      budget.countDown(); // the activity's next try, a second later, gets the topic
      Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
      while (describe(env, id).getExecution().getRunId().equals(firstRun.getRunId()) && Instant.now().isBefore(deadline)) {
        Thread.sleep(100);
      }
      assertThat(describe(env, id).getExecution().getRunId()).as("continued as new once the topic was recorded")
          .isNotEqualTo(firstRun.getRunId());
      TicketState state = ticket.state();
      assertThat(state.lifecycle().level2ThreadId()).isNotNull();
      assertThat(state.lifecycle().level2TopicPending()).isNull();
      assertThat(state.audit()).filteredOn(a -> a.event().equals("LEVEL2_TOPIC")).hasSize(1);
      assertThat(activities.level2Topics).as("one topic opened, not asked again by the new run").hasSize(1);
    }
  }

  /**
   * Real time: no SLA timer may fire while the messages stream in. Routing left off (as in
   * TicketHarness): these tests count the lifecycle's versions only.
   */
  private static TestWorkflowEnvironment realTime(CountingActivities activities) {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    Worker worker = env.newWorker("big");
    worker.registerWorkflowImplementationTypes(TicketWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities, new FakeRoutingActivities());
    env.start();
    return env;
  }

  /** Opened now, not at a fixed date: a topic opened long ago would be overdue and escalate while we test. */
  private static WorkflowExecution open(WorkflowClient client, long threadId, Instant at, String title) {
    WorkflowStub start = client.newUntypedWorkflowStub("TicketWorkflow",
        WorkflowOptions.newBuilder().setWorkflowId(TicketWorkflow.id(CHAT, threadId)).setTaskQueue("big").build());
    return start.signalWithStart("event",
        new Object[] {new TicketEvent.TopicOpened("u0", at, BOB, Role.CUSTOMER, title)},
        new Object[] {TicketState.unopened(CHAT, threadId, TicketPolicy.defaults())});
  }

  private static void awaitOpened(TicketWorkflow ticket) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(deadline)) {
      if (ticket.state().opened()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the ticket did not open within 10 s");
  }

  private static void awaitVersionAtLeast(CountingActivities activities, long version, Duration within)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(within);
    while (activities.lastVersion.get() < version && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    assertThat(activities.lastVersion.get()).isGreaterThanOrEqualTo(version);
  }

  private static io.temporal.api.workflow.v1.WorkflowExecutionInfo describe(TestWorkflowEnvironment env, String id) {
    return env.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder().setNamespace(env.getNamespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build()).getWorkflowExecutionInfo();
  }
}
