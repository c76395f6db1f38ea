package dev.forumdesk.worker;

import dev.forumdesk.ticket.TicketWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;

/** Registers the ticket workflow and its activities on the task queue and starts polling. */
public final class TicketWorker implements AutoCloseable {
  static final int WORKFLOW_CACHE = 10_000;

  private final WorkerFactory factory;

  public TicketWorker(WorkflowClient client, String taskQueue, Object... activities) {
    // Every open ticket is a cached, sticky workflow, and a cached workflow keeps its threads
    // parked. The SDK's default of 600 made tickets beyond the 600th replay from history on every
    // event, and 2,000 platform threads still thrashed at 10,000 open tickets (BENCHMARKS.md):
    // virtual workflow threads make a parked ticket cost a few KB instead of a thread stack.
    this.factory = WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder()
        .setWorkflowCacheSize(WORKFLOW_CACHE)
        .setMaxWorkflowThreadCount(WORKFLOW_CACHE * 2)
        .setUsingVirtualWorkflowThreads(true)
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

  @Override
  public void close() {
    factory.shutdown();
  }

}
