package dev.forumdesk.app;

import dev.forumdesk.store.ApiActions;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.InboxRow;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.JournalEntry;
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
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Temporal server keeps its history in memory. After a restart, every open ticket is
 * started again from its last projected snapshot, with a journal of what it was told before the
 * restart that the snapshot does not show yet: the API actions answered 200, and the Telegram
 * updates answered 200 that wait in the inbox (received before this start, not yet applied), merged
 * in the order they came. Its workflow applies them first, before the deadlines that passed
 * meanwhile: an agent's reply written before the first-response deadline stops the restored chain
 * instead of coming after its Level 2 move. The inbox's rows are then queued for delivery again
 * (the dispatcher starts after this), and the workflow drops those its journal held, or answers a
 * command the way it answered it from the journal.
 */
final class Restore {
  private static final Logger log = LoggerFactory.getLogger(Restore.class);

  /** One entry of a ticket's journal, with when Forumdesk received it. */
  record Came(Instant at, JournalEntry entry) {}

  private final WorkflowClient client;
  private final String taskQueue;
  private final TicketStore tickets;
  private final Inbox inbox;
  private final ApiActions apiActions;
  private final Function<InboxRow, Optional<JournalEntry>> told;
  private final Instant restartedAt;

  /**
   * @param told what delivering an inbox row tells its ticket (the dispatcher's {@code journalEntry})
   * @param restartedAt when this process started, before it answered any update: the inbox rows
   *     received since come after the deadlines that passed while it was down, delivered as usual
   */
  Restore(WorkflowClient client, String taskQueue, TicketStore tickets, Inbox inbox, ApiActions apiActions,
      Function<InboxRow, Optional<JournalEntry>> told, Instant restartedAt) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.tickets = tickets;
    this.inbox = inbox;
    this.apiActions = apiActions;
    this.told = told;
    this.restartedAt = restartedAt;
  }

  void run() {
    // a request the process stopped in, before Temporal answered: its client had no 200
    apiActions.forgetUnansweredBefore(Instant.now());
    Map<String, List<ApiActions.Accepted>> actions = apiActions();
    int restored = 0;
    int reapplied = 0;
    int updates = 0;
    for (TicketState t : tickets.open()) {
      List<ApiActions.Accepted> ticketActions = actions.getOrDefault(t.id(), List.of());
      List<Came> fromApi = new ArrayList<>();
      List<String> shown = new ArrayList<>();
      for (ApiActions.Accepted a : ticketActions) {
        // one its snapshot shows (its projection's delete did not commit) is not applied again
        if (t.seenEvents().contains(a.request().eventId())) {
          shown.add(a.request().eventId());
        } else {
          fromApi.add(new Came(a.receivedAt(), JournalEntry.of(a.request())));
        }
      }
      List<Came> fromInbox = new ArrayList<>();
      for (InboxRow row : inbox.unappliedFor(t.id(), restartedAt)) {
        told.apply(row).filter(e -> !t.seenEvents().contains(e.eventId()))
            .ifPresent(e -> fromInbox.add(new Came(row.receivedAt(), e)));
      }
      List<JournalEntry> journal = inOrder(fromApi, fromInbox);
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
        reapplied += fromApi.size();
        updates += fromInbox.size();
        shown.forEach(apiActions::forget);
        actions.remove(t.id()); // the rest is the workflow's now: its projection forgets them
      } catch (WorkflowExecutionAlreadyStarted e) {
        // already running: nothing to restore
      }
    }
    forgetTicketless(actions);
    int requeued = inbox.requeueUnapplied();
    if (restored > 0 || requeued > 0 || reapplied > 0) {
      log.info("restored {} open tickets from the read model, {} API actions and {} Telegram updates applied again"
          + " before their deadlines, {} updates queued again", restored, reapplied, updates, requeued);
    }
  }

  /**
   * A ticket's API actions and inbox updates, each in its own order (the order the actions came, the
   * updates' order), merged by when they came; at the same instant the update goes first (Telegram's
   * update was acknowledged as it was stored, the action only once Temporal took it).
   */
  static List<JournalEntry> inOrder(List<Came> actions, List<Came> updates) {
    List<JournalEntry> journal = new ArrayList<>(actions.size() + updates.size());
    int a = 0;
    int u = 0;
    while (a < actions.size() || u < updates.size()) {
      boolean update = a == actions.size()
          || (u < updates.size() && !updates.get(u).at().isAfter(actions.get(a).at()));
      journal.add(update ? updates.get(u++).entry() : actions.get(a++).entry());
    }
    return journal;
  }

  /** The API actions answered 200 that no projection showed yet, by ticket, in the order they came. */
  private Map<String, List<ApiActions.Accepted>> apiActions() {
    Map<String, List<ApiActions.Accepted>> byTicket = new HashMap<>();
    for (ApiActions.Accepted a : apiActions.unapplied()) {
      byTicket.computeIfAbsent(a.ticketId(), id -> new ArrayList<>()).add(a);
    }
    return byTicket;
  }

  /**
   * The API actions of no restored ticket: closed, or already running. (One a restored ticket refuses
   * now is logged by its workflow, WARN, and forgotten by its projection.)
   */
  private void forgetTicketless(Map<String, List<ApiActions.Accepted>> left) {
    left.values().forEach(actions -> actions.forEach(a -> apiActions.forget(a.request().eventId())));
  }
}
