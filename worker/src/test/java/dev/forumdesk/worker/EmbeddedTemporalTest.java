package dev.forumdesk.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forumdesk.shift.SettableClock;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The embedded server in real time: its timers fire, its time-lock log (a debugging list the test
 * server appends to on every workflow task and never trims) stays empty however long it runs, and
 * closed executions leave its memory after their retention.
 */
class EmbeddedTemporalTest {
  @WorkflowInterface
  public interface Waiter {
    @WorkflowMethod
    String await(boolean continueFirst);

    @SignalMethod
    void go();
  }

  public static class WaiterImpl implements Waiter {
    private boolean gone;

    @Override
    public String await(boolean continueFirst) {
      if (continueFirst) {
        Workflow.continueAsNew(false); // leaves a closed run behind, as a long ticket does
      }
      // a deadline the signal beats, as a ticket's SLA timers: the server keeps its cancelled task
      Workflow.await(Duration.ofHours(1), () -> gone);
      return "went";
    }

    @Override
    public void go() {
      gone = true;
    }
  }

  @Test
  void closedExecutionsLeaveTheServersMemoryAfterTheirRetentionAndOpenOnesStay() {
    SettableClock clock = new SettableClock(Instant.parse("2026-12-03T09:00:00Z"));
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0, Duration.ofHours(1), clock)) {
      assertThat(temporal.executionsHeld()).as("the retention found the test server's maps").isZero();
      WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.target()).build());
      try {
        WorkflowClient client = WorkflowClient.newInstance(service);
        WorkerFactory factory = WorkerFactory.newInstance(client);
        factory.newWorker("q").registerWorkflowImplementationTypes(NapperImpl.class, WaiterImpl.class);
        factory.start();
        for (int i = 0; i < 10; i++) {
          assertThat(client.newWorkflowStub(Napper.class, WorkflowOptions.newBuilder().setTaskQueue("q")
              .setWorkflowId("nap-" + i).build()).nap(1)).isEqualTo("rested");
        }
        WorkflowClient.start(client.newWorkflowStub(Waiter.class,
            WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId("open").build())::await, false);
        WorkflowClient.start(client.newWorkflowStub(Waiter.class,
            WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId("chain").build())::await, true);
        awaitHeld(temporal, 13); // 10 closed naps, one open, the chain's closed first run and its open second

        assertThat(temporal.sweepClosed()).as("first seen closed now").isZero();
        clock.advance(Duration.ofMinutes(59));
        assertThat(temporal.sweepClosed()).as("inside the retention").isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(temporal.sweepClosed()).as("the naps and the chain's first run").isEqualTo(11);
        assertThat(temporal.executionsHeld()).isEqualTo(2);
        assertThat(temporal.historiesHeld()).isEqualTo(2);

        // the open ones are untouched, the chain reachable by its workflow id
        for (String id : new String[] {"open", "chain"}) {
          client.newWorkflowStub(Waiter.class, id).go();
          assertThat(client.newUntypedWorkflowStub(id).getResult(String.class)).isEqualTo("went");
        }
        // their cancelled one-hour deadlines leave the timer queue at the next sweep
        int queued = temporal.timerTasksQueued();
        assertThat(temporal.sweepClosed()).isZero();
        assertThat(temporal.timerTasksQueued()).as("queued before the sweep: %d", queued).isLessThanOrEqualTo(queued - 2);
        // a dropped workflow id starts a new run, as after a cluster's retention
        assertThat(client.newWorkflowStub(Napper.class, WorkflowOptions.newBuilder().setTaskQueue("q")
            .setWorkflowId("nap-0").build()).nap(1)).isEqualTo("rested");
        factory.shutdownNow();
      } finally {
        service.shutdownNow();
      }
    }
  }

  private static void awaitHeld(EmbeddedTemporal temporal, int executions) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (temporal.executionsHeld() < executions && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    assertThat(temporal.executionsHeld()).isEqualTo(executions);
  }
  @WorkflowInterface
  public interface Napper {
    @WorkflowMethod
    String nap(int millis);
  }

  public static class NapperImpl implements Napper {
    @Override
    public String nap(int millis) {
      Workflow.sleep(Duration.ofMillis(millis));
      return "rested";
    }
  }

  @Test
  void timersFireInRealTimeAndTheTimeLockLogStaysEmpty() {
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      // untrimmed, the server's own start-up has already logged two locks
      assertThat(temporal.timeLockLogSize()).as("the workaround found the test server's log").isZero();
      WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.target()).build());
      try {
        WorkflowClient client = WorkflowClient.newInstance(service);
        WorkerFactory factory = WorkerFactory.newInstance(client);
        factory.newWorker("naps").registerWorkflowImplementationTypes(NapperImpl.class);
        factory.start();
        long t0 = System.nanoTime();
        for (int i = 0; i < 20; i++) {
          Napper napper = client.newWorkflowStub(Napper.class,
              WorkflowOptions.newBuilder().setTaskQueue("naps").setWorkflowId("nap-" + i).build());
          assertThat(napper.nap(50)).isEqualTo("rested");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
            .as("real time: 20 naps of 50 ms are not skipped").isGreaterThanOrEqualTo(Duration.ofMillis(1_000));
        assertThat(temporal.timeLockLogSize()).isZero();
        factory.shutdownNow();
      } finally {
        service.shutdownNow();
      }
    }
  }

  @Test
  void clientsInTheJvmAndOnThePortSeeOneServerAndBothGoDownAndComeBackTogether() throws Exception {
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      WorkflowServiceStubs inJvm = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setChannel(temporal.channel()).build());
      WorkflowServiceStubs onPort = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.target()).build());
      try {
        WorkflowClient worker = WorkflowClient.newInstance(inJvm);
        WorkerFactory factory = WorkerFactory.newInstance(worker);
        factory.newWorker("q").registerWorkflowImplementationTypes(WaiterImpl.class);
        factory.start();
        WorkflowClient.start(worker.newWorkflowStub(Waiter.class,
            WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId("w").build())::await, false);

        temporal.suspend(); // as a Temporal frontend that is down: neither way reaches it
        WorkflowClient cli = WorkflowClient.newInstance(onPort);
        assertThatThrownBy(() -> inJvm.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS)
            .getSystemInfo(GetSystemInfoRequest.getDefaultInstance())).isInstanceOf(StatusRuntimeException.class);
        temporal.resume();

        // what the CLI (on the port) signals, the worker (in the JVM) runs, on the same state. The
        // worker's channel may sit in gRPC's reconnect backoff after the outage until the SDK resets
        // it, every 10 s (ChannelManager): CI once saw the task polled 10.0 s after the signal
        cli.newWorkflowStub(Waiter.class, "w").go();
        assertThat(cli.newUntypedWorkflowStub("w").getResult(30, TimeUnit.SECONDS, String.class)).isEqualTo("went");
        factory.shutdownNow();
      } finally {
        onPort.shutdownNow();
        inJvm.shutdownNow();
      }
    }
  }

  @io.temporal.activity.ActivityInterface
  public interface Chore {
    void doIt();
  }

  public static class ChoreImpl implements Chore {
    @Override
    public void doIt() {}
  }

  /**
   * DescribeTaskQueue, which the test server leaves UNIMPLEMENTED, lists who polled the queue, on
   * the port (the CLI, a webhook role) and in the JVM alike; a worker of workflows alone does not
   * make tickets progress, so a look of {@link WorkerPollers} wants both kinds.
   */
  @Test
  void describeTaskQueueListsTheWorkersThatPolledItForWorkflowAndActivityTasks() throws Exception {
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
        TemporalConnection onPort = new TemporalConnection(temporal.target(), "default")) {
      var workflowTasks = io.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW;
      var activityTasks = io.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY;
      assertThat(onPort.pollers("q", workflowTasks)).isEmpty();
      WorkerPollers pollers = new WorkerPollers(onPort, "q", Duration.ofSeconds(90), java.time.Clock.systemUTC());
      assertThat(pollers.current().polling()).isFalse();
      assertThat(pollers.current().lastPolled()).isEmpty();

      WorkflowServiceStubs inJvm = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setChannel(temporal.channel()).build());
      try {
        WorkflowClient client = WorkflowClient.newInstance(inJvm);
        WorkerFactory factory = WorkerFactory.newInstance(client);
        factory.newWorker("q").registerWorkflowImplementationTypes(WaiterImpl.class);
        factory.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
            .until(() -> !onPort.pollers("q", workflowTasks).isEmpty());
        assertThat(onPort.pollers("q", workflowTasks)).allSatisfy(p -> {
          assertThat(p.getIdentity()).isEqualTo(client.getOptions().getIdentity());
          assertThat(Instant.ofEpochSecond(p.getLastAccessTime().getSeconds())).isAfter(Instant.now().minusSeconds(10));
        });
        assertThat(onPort.pollers("q", activityTasks)).as("no activities registered").isEmpty();
        Thread.sleep(WorkerPollers.CACHE_FOR.toMillis());
        assertThat(pollers.current().workflowPollers()).isPositive();
        assertThat(pollers.current().polling()).as("workflow tasks alone").isFalse();
        factory.shutdownNow();

        WorkerFactory both = WorkerFactory.newInstance(client);
        var w = both.newWorker("q");
        w.registerWorkflowImplementationTypes(WaiterImpl.class);
        w.registerActivitiesImplementations(new ChoreImpl());
        both.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> pollers.current().polling());
        assertThat(pollers.current().lastPolled()).isPresent();
        both.shutdownNow();
      } finally {
        inJvm.shutdownNow();
      }
    }
  }

  @WorkflowInterface
  public interface Tally {
    @WorkflowMethod
    int count(int until);

    @SignalMethod
    void add();
  }

  public static class TallyImpl implements Tally {
    private int seen;

    @Override
    public int count(int until) {
      Workflow.await(() -> seen >= until);
      return seen;
    }

    @Override
    public void add() {
      seen++;
    }
  }

  /**
   * A worker in another process (a worker role whose TEMPORAL_ADDRESS is this server's port) is
   * restarted: the ticket's next workflow task goes to the new worker. The test server has no
   * sticky schedule-to-start timeout, so a task routed to the old worker's sticky queue would wait
   * there for ever (audit 18a F1); the port never lets a worker ask for stickiness.
   */
  @Test
  void aWorkerOnThePortThatIsReplacedLeavesNoWorkflowWaitingOnItsStickyQueue() throws Exception {
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      WorkflowServiceStubs first = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.target()).build());
      WorkflowServiceStubs second = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.target()).build());
      try {
        WorkflowClient oldClient = WorkflowClient.newInstance(first);
        WorkerFactory old = WorkerFactory.newInstance(oldClient);
        old.newWorker("ext").registerWorkflowImplementationTypes(TallyImpl.class);
        old.start();
        WorkflowClient.start(oldClient.newWorkflowStub(Tally.class,
            WorkflowOptions.newBuilder().setTaskQueue("ext").setWorkflowId("tally").build())::count, 3);
        // two tasks on the old worker: the second comes with the full history to a worker that
        // holds the workflow in its cache, and the SDK replays it (no sticky queue on the port)
        for (int signals = 1; signals <= 2; signals++) {
          oldClient.newWorkflowStub(Tally.class, "tally").add();
          int expected = signals;
          org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
              .until(() -> lastEventIsTaskCompleted(oldClient, expected));
        }
        old.shutdownNow();
        old.awaitTermination(10, TimeUnit.SECONDS);
        first.shutdownNow();

        WorkflowClient newClient = WorkflowClient.newInstance(second);
        WorkerFactory replacement = WorkerFactory.newInstance(newClient);
        replacement.newWorker("ext").registerWorkflowImplementationTypes(TallyImpl.class);
        replacement.start();
        newClient.newWorkflowStub(Tally.class, "tally").add();
        assertThat(newClient.newUntypedWorkflowStub("tally").getResult(20, TimeUnit.SECONDS, Integer.class))
            .as("the signal after the restart is applied").isEqualTo(3);
        replacement.shutdownNow();
      } finally {
        first.shutdownNow();
        second.shutdownNow();
      }
    }
  }

  private static boolean lastEventIsTaskCompleted(WorkflowClient client, int signals) {
    var history = client.fetchHistory("tally").getHistory().getEventsList();
    return history.get(history.size() - 1).getEventType()
        == io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED && history.stream()
        .filter(e -> e.getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
        .count() == signals;
  }
}
