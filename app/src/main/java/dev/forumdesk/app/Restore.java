package dev.forumdesk.app;

import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.TicketState;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Temporal server keeps its history in memory. After a restart, every open ticket is
 * started again from its last projected snapshot, and inbox rows whose effect that snapshot does
 * not show yet are queued for delivery again (the workflow drops those it has seen).
 */
final class Restore {
  private static final Logger log = LoggerFactory.getLogger(Restore.class);

  private final WorkflowClient client;
  private final String taskQueue;
  private final TicketStore tickets;
  private final Inbox inbox;

  Restore(WorkflowClient client, String taskQueue, TicketStore tickets, Inbox inbox) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.tickets = tickets;
    this.inbox = inbox;
  }

  void run() {
    int restored = 0;
    for (TicketState t : tickets.open()) {
      try {
        client
            .newUntypedWorkflowStub(
                "TicketWorkflow",
                WorkflowOptions.newBuilder()
                    .setWorkflowId(t.id())
                    .setTaskQueue(taskQueue)
                    .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
                    .build())
            .start(t);
        restored++;
      } catch (WorkflowExecutionAlreadyStarted e) {
        // already running: nothing to restore
      }
    }
    int requeued = inbox.requeueUnapplied();
    if (restored > 0 || requeued > 0) {
      log.info("restored {} open tickets from the read model, {} updates queued again", restored, requeued);
    }
  }
}
