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
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Temporal server keeps its history in memory. After a restart, every open ticket is
 * started again from its last projected snapshot, with a journal of what it was told before the
 * restart that the snapshot does not show yet: the API actions answered 200, and the Telegram
 * updates answered 200 that wait in the inbox (received before this start, not yet applied), merged
 * in the order they came. Its workflow applies each after the deadlines that passed before it was
 * accepted and before those that passed after: an agent's reply accepted before the first-response
 * deadline keeps the ticket from breaching (or stops the restored chain before its Level 2 move),
 * and one accepted after it comes after the breach. The journal's inbox rows are then delivered
 * again at once (the dispatcher starts after this): the workflow drops the events as seen and
 * answers a command as the journal did, and the dispatcher's own part (the relay to the customer, a
 * command's answer) is done.
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
  private final Consumer<List<InboxRow>> deliverAgain;
  private final Instant restartedAt;

  /**
   * @param told what delivering an inbox row tells its ticket (the dispatcher's {@code journalEntry})
   * @param deliverAgain delivers a restored ticket's journaled rows once its workflow runs (the
   *     dispatcher's {@code deliverRestored}): no change there, and the dispatcher's own part done
   * @param restartedAt when this process started, before it answered any update: the inbox rows
   *     received since come after the deadlines that passed while it was down, delivered as usual
   */
  Restore(WorkflowClient client, String taskQueue, TicketStore tickets, Inbox inbox, ApiActions apiActions,
      Function<InboxRow, Optional<JournalEntry>> told, Consumer<List<InboxRow>> deliverAgain, Instant restartedAt) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.tickets = tickets;
    this.inbox = inbox;
    this.apiActions = apiActions;
    this.told = told;
    this.deliverAgain = deliverAgain;
    this.restartedAt = restartedAt;
  }

  /**
   * The restore, ticket by ticket: its snapshot, its journal (the API actions and the inbox's updates
   * the snapshot does not show), and its workflow started with both, which applies the journal in turn
   * with the deadlines that passed while the process was down. Then the journal's updates are
   * delivered again, for the dispatcher's own part.
   */
  void run() {
    // a request the process stopped in, before Temporal answered: its client had no 200
    apiActions.forgetUnansweredBefore(Instant.now());
    // delivered to the lost server, not yet projected: pending again, each ticket's journal first
    int requeued = inbox.requeueUnapplied();
    Map<String, List<ApiActions.Accepted>> actions = apiActions();
    List<List<InboxRow>> journaledRows = new ArrayList<>();
    int restored = 0;
    int reapplied = 0;
    int updates = 0;
    for (TicketState snapshot : tickets.open()) {
      FromApi fromApi = fromApi(snapshot, actions.getOrDefault(snapshot.id(), List.of()));
      FromInbox fromInbox = fromInbox(snapshot);
      if (!startWithDeadlines(snapshot, inOrder(fromApi.journal(), fromInbox.journal()))) {
        continue; // already running: nothing to restore
      }
      restored++;
      reapplied += fromApi.journal().size();
      updates += fromInbox.journal().size();
      if (!fromInbox.journal().isEmpty()) {
        journaledRows.add(fromInbox.rows());
      }
      fromApi.shown().forEach(apiActions::forget);
      actions.remove(snapshot.id()); // the rest is the workflow's now: its projection forgets them
    }
    forgetTicketless(actions);
    journaledRows.forEach(deliverAgain); // once every restored workflow runs: in parallel there
    if (restored > 0 || requeued > 0 || reapplied > 0) {
      log.info("restored {} open tickets from the read model, {} API actions and {} Telegram updates applied again"
          + " in turn with their deadlines, {} updates queued again", restored, reapplied, updates, requeued);
    }
  }

  /**
   * The journal's API actions: answered 200 before the stop, in the order they came.
   *
   * @param shown the ids of those its snapshot shows (its projection's delete did not commit): not
   *     applied again, forgotten once the ticket is restored
   */
  record FromApi(List<Came> journal, List<String> shown) {}

  private static FromApi fromApi(TicketState snapshot, List<ApiActions.Accepted> accepted) {
    List<Came> journal = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    for (ApiActions.Accepted a : accepted) {
      if (snapshot.seenEvents().contains(a.request().eventId())) {
        shown.add(a.request().eventId());
      } else {
        journal.add(new Came(a.receivedAt(), JournalEntry.of(a.request())));
      }
    }
    return new FromApi(journal, shown);
  }

  /**
   * The journal's Telegram updates: the ticket's inbox rows answered 200 before this start and not
   * applied, those the snapshot does not show, in the inbox's order.
   *
   * @param rows all those rows, delivered again after the restore when the journal has any
   */
  record FromInbox(List<Came> journal, List<InboxRow> rows) {}

  private FromInbox fromInbox(TicketState snapshot) {
    List<Came> journal = new ArrayList<>();
    List<InboxRow> rows = new ArrayList<>();
    for (InboxRow row : inbox.unappliedFor(snapshot.id(), restartedAt)) {
      rows.add(row);
      Optional<JournalEntry> entry;
      try {
        entry = told.apply(row);
      } catch (RuntimeException e) {
        log.warn("update {} for {} left to the dispatcher, not in the restored journal: {}", row.updateId(),
            snapshot.id(), e.toString());
        entry = Optional.empty();
      }
      entry.filter(e -> !snapshot.seenEvents().contains(e.eventId()))
          .ifPresent(e -> journal.add(new Came(row.receivedAt(), e)));
    }
    return new FromInbox(journal, rows);
  }

  /**
   * Starts the ticket's workflow again from its snapshot with its journal; the workflow applies each
   * entry after the deadlines due before it was accepted, then the rest of the deadlines that passed.
   *
   * @return false when it already runs (nothing to restore)
   */
  private boolean startWithDeadlines(TicketState snapshot, List<JournalEntry> journal) {
    try {
      client
          .newUntypedWorkflowStub(
              "TicketWorkflow",
              WorkflowOptions.newBuilder()
                  .setWorkflowId(snapshot.id())
                  .setTaskQueue(taskQueue)
                  .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
                  .build())
          .start(snapshot, journal);
      return true;
    } catch (WorkflowExecutionAlreadyStarted e) {
      return false;
    }
  }

  /**
   * A ticket's API actions and inbox updates, each in its own order (the order the actions came, the
   * updates' order), merged by when they came; at the same instant the update goes first (Telegram's
   * update was acknowledged as it was stored, the action only once Temporal took it). Each entry keeps
   * when it came: the deadlines due before it fire before it in the restored workflow.
   */
  static List<JournalEntry> inOrder(List<Came> actions, List<Came> updates) {
    List<JournalEntry> journal = new ArrayList<>(actions.size() + updates.size());
    int a = 0;
    int u = 0;
    while (a < actions.size() || u < updates.size()) {
      boolean update = a == actions.size()
          || (u < updates.size() && !updates.get(u).at().isAfter(actions.get(a).at()));
      Came came = update ? updates.get(u++) : actions.get(a++);
      journal.add(came.entry().accepted(came.at()));
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
