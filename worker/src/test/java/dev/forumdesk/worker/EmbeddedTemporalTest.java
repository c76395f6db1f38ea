package dev.forumdesk.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The embedded server in real time: its timers fire, and its time-lock log (a debugging list the
 * test server appends to on every workflow task and never trims) stays empty however long it runs.
 */
class EmbeddedTemporalTest {
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
}
