package dev.forumdesk.worker;

import dev.forumdesk.ticket.TicketWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;

/** Registers the ticket workflow and its activities on the task queue and starts polling. */
public final class TicketWorker implements AutoCloseable {
  private final WorkerFactory factory;

  public TicketWorker(WorkflowClient client, String taskQueue, Object... activities) {
    this.factory = WorkerFactory.newInstance(client);
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
