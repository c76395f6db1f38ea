package dev.forumdesk.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forumdesk.log.LogCapture;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.CompletablePromise;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An enrichment that answers after the routing budget (a CRM or a local activity held up by a
 * database outage) is routed without, and its late failure is dropped on purpose: the SDK logged
 * it with a stack trace as "Promise completed with exception and was never accessed" when the run
 * left the worker's cache (seen in CI during a database outage).
 */
class LateEnrichmentTest {
  @RegisterExtension final LogCapture logs = LogCapture.root();

  @WorkflowInterface
  public interface Budgeted {
    @WorkflowMethod
    void route();

    @QueryMethod
    List<String> reasons();
  }

  public static class BudgetedImpl implements Budgeted {
    private final List<String> reasons = new ArrayList<>();

    @Override
    public void route() {
      CompletablePromise<String> language = Workflow.newPromise();
      RoutingStep.readInValue(language);
      Workflow.await(Duration.ofSeconds(5), language::isCompleted);
      String routedWith = RoutingStep.value(language, "language", reasons);
      language.completeExceptionally(ApplicationFailure.newFailure("Local Activity task timed out", "Timeout"));
      reasons.add("routed with " + routedWith);
      Workflow.sleep(Duration.ofDays(30)); // a ticket's run goes on
    }

    @Override
    public List<String> reasons() {
      return reasons;
    }
  }

  @WorkflowInterface
  public interface Waiting {
    @WorkflowMethod
    void route();
  }

  /** The language fails at once while the CRM is still awaited; the run leaves the cache meanwhile. */
  public static class WaitingImpl implements Waiting {
    @Override
    public void route() {
      CompletablePromise<String> language = Workflow.newPromise();
      CompletablePromise<String> profile = Workflow.newPromise();
      RoutingStep.readInValue(language);
      RoutingStep.readInValue(profile);
      language.completeExceptionally(ApplicationFailure.newFailure("Local Activity task timed out", "Timeout"));
      Workflow.await(() -> language.isCompleted() && profile.isCompleted()); // the CRM never answers
    }
  }

  @Test
  void aFailureWhileTheOthersAreAwaitedIsNotLoggedWhenTheRunLeavesTheCache() {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker = env.newWorker("waiting");
      worker.registerWorkflowImplementationTypes(WaitingImpl.class);
      env.start();
      Waiting run = env.getWorkflowClient()
          .newWorkflowStub(Waiting.class, WorkflowOptions.newBuilder().setTaskQueue("waiting").build());
      WorkflowClient.start(run::route);
      env.sleep(Duration.ofSeconds(1));
    } // the running ticket leaves the worker's cache here, as an eviction does

    assertThat(logs.events()).as("stack traces").filteredOn(e -> e.getThrowableProxy() != null)
        .extracting(e -> e.getLoggerName() + " - " + e.getFormattedMessage()).isEmpty();
  }

  @Test
  void aFailureAfterTheBudgetIsDroppedWithoutAStackTrace() {
    List<String> reasons;
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker = env.newWorker("late");
      worker.registerWorkflowImplementationTypes(BudgetedImpl.class);
      env.start();
      Budgeted run = env.getWorkflowClient()
          .newWorkflowStub(Budgeted.class, WorkflowOptions.newBuilder().setTaskQueue("late").build());
      WorkflowClient.start(run::route);
      env.sleep(Duration.ofSeconds(6));
      reasons = run.reasons();
    } // the running ticket leaves the worker's cache here, as an eviction does

    assertThat(reasons).containsExactly("language: no answer within 5 s, routed without it", "routed with null");
    assertThat(logs.events()).as("stack traces").filteredOn(e -> e.getThrowableProxy() != null)
        .extracting(e -> e.getLoggerName() + " - " + e.getFormattedMessage()).isEmpty();
  }
}
