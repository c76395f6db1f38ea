package dev.forumdesk.app;

import dev.forumdesk.ingress.TicketGateway;
import dev.forumdesk.store.ApiActions;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.TicketState;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Temporal server keeps its history in memory. After a restart, every open ticket is
 * started again from its last projected snapshot, the API actions answered 200 that snapshot does
 * not show yet are applied again, in the order they came, and inbox rows whose effect that
 * snapshot does not show yet are queued for delivery again (the workflow drops those it has seen).
 */
final class Restore {
  private static final Logger log = LoggerFactory.getLogger(Restore.class);

  private final WorkflowClient client;
  private final String taskQueue;
  private final TicketStore tickets;
  private final Inbox inbox;
  private final TicketGateway gateway;
  private final ApiActions apiActions;

  Restore(WorkflowClient client, String taskQueue, TicketStore tickets, Inbox inbox, TicketGateway gateway,
      ApiActions apiActions) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.tickets = tickets;
    this.inbox = inbox;
    this.gateway = gateway;
    this.apiActions = apiActions;
  }

  void run() {
    Instant started = Instant.now();
    int restored = 0;
    Map<String, List<String>> seen = new HashMap<>();
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
        seen.put(t.id(), t.seenEvents());
      } catch (WorkflowExecutionAlreadyStarted e) {
        // already running: nothing to restore
      }
    }
    // a request the process stopped in, before Temporal answered: its client had no 200
    apiActions.forgetUnansweredBefore(started);
    int reapplied = reapplyApiActions(seen);
    int requeued = inbox.requeueUnapplied();
    if (restored > 0 || requeued > 0 || reapplied > 0) {
      log.info("restored {} open tickets from the read model, {} API actions applied again, {} updates queued again",
          restored, reapplied, requeued);
    }
  }

  /**
   * The API actions answered 200 whose ticket came back from a snapshot that does not show them:
   * applied again under their own update id, before the inbox's updates (the dispatcher starts after
   * this). One the snapshot shows (its projection's delete did not commit) is forgotten; one its
   * ticket refuses now, or that has no ticket to go to, is forgotten, said in the log.
   *
   * @param seen each restored ticket's seen events
   * @return how many were applied again
   */
  private int reapplyApiActions(Map<String, List<String>> seen) {
    int reapplied = 0;
    for (ApiActions.Accepted a : apiActions.unapplied()) {
      String eventId = a.request().eventId();
      List<String> ticketSaw = seen.get(a.ticketId());
      if (ticketSaw == null || ticketSaw.contains(eventId)) {
        apiActions.forget(eventId); // shown by its snapshot, or its ticket is closed: nothing to apply
        continue;
      }
      try {
        switch (gateway.command(a.ticketId(), a.request())) {
          case TicketGateway.CommandOutcome.Accepted accepted -> reapplied++; // its projection deletes the row
          case TicketGateway.CommandOutcome.Refused r -> {
            log.warn("{} on {} by {}, answered 200 before the restart, is refused now: {}", a.request().name(),
                a.ticketId(), a.request().from().id(), r.reason());
            apiActions.forget(eventId);
          }
          case TicketGateway.CommandOutcome.NoTicket n -> apiActions.forget(eventId);
        }
      } catch (RuntimeException e) {
        // kept for the next start; the ticket goes on without it meanwhile
        log.warn("{} on {}, answered 200 before the restart, could not be applied again: {}", a.request().name(),
            a.ticketId(), e.toString());
      }
    }
    return reapplied;
  }
}
