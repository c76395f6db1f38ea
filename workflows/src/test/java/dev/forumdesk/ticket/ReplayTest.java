package dev.forumdesk.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Replays recorded ticket histories against the current workflow code: a change that would break
 * running tickets (non-determinism) fails here. Histories are recorded by {@link HistoryRecorder}.
 */
class ReplayTest {
  private static final Path DIR = Path.of("src/test/resources/histories");

  @Test
  void everyRecordedHistoryReplaysOnTheCurrentCode() throws Exception {
    List<Path> histories = histories();
    assertThat(histories).as("recorded histories in " + DIR)
        .anyMatch(p -> p.getParent().getFileName().toString().equals(HistoryRecorder.GENERATION))
        .anyMatch(p -> !p.getParent().getFileName().toString().equals(HistoryRecorder.GENERATION));
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      // a generous deadlock detector: replay also runs on loaded CI machines
      Worker worker = env.newWorker("replay", WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(30_000).build());
      worker.registerWorkflowImplementationTypes(TicketWorkflowImpl.class);
      for (Path h : histories) {
        WorkflowReplayer.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(Files.readString(h)), worker);
      }
    }
  }

  static List<Path> histories() throws IOException {
    try (Stream<Path> files = Files.walk(DIR)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }
}
