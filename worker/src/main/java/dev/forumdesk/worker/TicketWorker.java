package dev.forumdesk.worker;

import dev.forumdesk.ticket.TicketWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Registers the ticket workflow and its activities on the task queue and starts polling. */
public final class TicketWorker implements AutoCloseable {
  static final int WORKFLOW_CACHE = 2_000;
  /** How long close waits for tasks in flight, and again after stopping them. */
  static final Duration GRACE = Duration.ofSeconds(2);

  private final WorkerFactory factory;

  public TicketWorker(WorkflowClient client, String taskQueue, Object... activities) {
    // Every open ticket is a cached, sticky workflow, and a cached workflow keeps its thread
    // parked. The SDK's default of 600 made tickets beyond the 600th replay from history on every
    // event (open-tickets benchmark). Virtual workflow threads would lift the thread bound, but
    // they run the workflows' CPU work on the scheduler that also serves the webhook's virtual
    // threads, and the ack waited seconds behind them (measured; BENCHMARKS.md): platform threads.
    this.factory = WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder()
        .setWorkflowCacheSize(WORKFLOW_CACHE)
        .setMaxWorkflowThreadCount(WORKFLOW_CACHE)
        .build());
    // The default 1 s deadlock detector misfires on a loaded 2-core machine while classes load in
    // the first workflow task; a stuck workflow is still reported, a few seconds later.
    Worker worker = factory.newWorker(taskQueue,
        WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(5_000).build());
    worker.registerWorkflowImplementationTypes(TicketWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities);
  }

  public TicketWorker start() {
    factory.start();
    return this;
  }

  /**
   * Lets tasks in flight finish for a moment, then stops the rest: the database closes right after
   * this, and a local activity still retrying against a closed pool only logs failures. A task cut
   * off here is redelivered from the inbox or retried by Temporal, as after a crash.
   */
  @Override
  public void close() {
    factory.shutdown();
    factory.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS);
    if (!factory.isTerminated()) {
      factory.shutdownNow();
      factory.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

}
