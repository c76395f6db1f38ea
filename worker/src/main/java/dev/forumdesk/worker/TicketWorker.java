package dev.forumdesk.worker;

import dev.forumdesk.ticket.TicketWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;

/** Registers the ticket workflow and its activities on the task queue and starts polling. */
public final class TicketWorker implements AutoCloseable {
  private final WorkerFactory factory;

  public TicketWorker(WorkflowClient client, String taskQueue, Object... activities) {
    this.factory = WorkerFactory.newInstance(client);
    Worker worker = factory.newWorker(taskQueue);
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
