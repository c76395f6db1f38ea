package dev.forumdesk.app;

import dev.forumdesk.store.ApiActions;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.CommandRequest;
import dev.forumdesk.ticket.TicketState;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Temporal server keeps its history in memory. After a restart, every open ticket is
 * started again from its last projected snapshot, with the API actions answered 200 that snapshot
 * does not show yet, which its workflow applies first, in the order they came, before the deadlines
 * that passed meanwhile; and inbox rows whose effect that snapshot does not show yet are queued for
 * delivery again (the workflow drops those it has seen).
 */
final class Restore {
  private static final Logger log = LoggerFactory.getLogger(Restore.class);

  private final WorkflowClient client;
  private final String taskQueue;
  private final TicketStore tickets;
  private final Inbox inbox;
  private final ApiActions apiActions;

  Restore(WorkflowClient client, String taskQueue, TicketStore tickets, Inbox inbox, ApiActions apiActions) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.tickets = tickets;
    this.inbox = inbox;
    this.apiActions = apiActions;
  }

  void run() {
    // a request the process stopped in, before Temporal answered: its client had no 200
    apiActions.forgetUnansweredBefore(Instant.now());
    Map<String, List<CommandRequest>> journals = journals();
    int restored = 0;
    int reapplied = 0;
    for (TicketState t : tickets.open()) {
      // one its snapshot shows (its projection's delete did not commit) is not applied again
      Map<Boolean, List<CommandRequest>> shown = journals.getOrDefault(t.id(), List.of()).stream()
          .collect(Collectors.partitioningBy(request -> t.seenEvents().contains(request.eventId())));
      List<CommandRequest> journal = shown.get(false);
      try {
        client
            .newUntypedWorkflowStub(
                "TicketWorkflow",
                WorkflowOptions.newBuilder()
                    .setWorkflowId(t.id())
                    .setTaskQueue(taskQueue)
                    .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
                    .build())
            .start(t, journal);
        restored++;
        reapplied += journal.size();
        shown.get(true).forEach(request -> apiActions.forget(request.eventId()));
        journals.remove(t.id()); // the rest is the workflow's now: its projection forgets them
      } catch (WorkflowExecutionAlreadyStarted e) {
        // already running: nothing to restore
      }
    }
    forgetTicketless(journals);
    int requeued = inbox.requeueUnapplied();
    if (restored > 0 || requeued > 0 || reapplied > 0) {
      log.info("restored {} open tickets from the read model, {} API actions applied again, {} updates queued again",
          restored, reapplied, requeued);
    }
  }

  /** The API actions answered 200 that no projection showed yet, by ticket, in the order they came. */
  private Map<String, List<CommandRequest>> journals() {
    Map<String, List<CommandRequest>> journals = new HashMap<>();
    for (ApiActions.Accepted a : apiActions.unapplied()) {
      journals.computeIfAbsent(a.ticketId(), id -> new ArrayList<>()).add(a.request());
    }
    return journals;
  }

  /**
   * The API actions of no restored ticket: closed, or already running. (One a restored ticket refuses
   * now is logged by its workflow, WARN, and forgotten by its projection.)
   */
  private void forgetTicketless(Map<String, List<CommandRequest>> left) {
    left.values().forEach(requests -> requests.forEach(request -> apiActions.forget(request.eventId())));
  }
}
