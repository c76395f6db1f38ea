package dev.forumdesk.app;

import dev.forumdesk.store.ApiActions;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.InboxRow;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.sla.Clock;
import dev.forumdesk.sla.SlaClocks;
import dev.forumdesk.ticket.JournalEntry;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketState;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Temporal server keeps its history in memory. After a restart, every open ticket is
 * started again from its last projected snapshot, with a journal of what it was told before the
 * restart that the snapshot does not show yet: the API actions answered 200, and the Telegram
 * updates answered 200 that wait in the inbox (received before this start, not yet applied: its
 * topic's, and in relay mode its customer's private messages that go to it), merged in the order they
 * came. Its workflow applies each after the deadlines that passed before it was
 * accepted and before those that passed after: an agent's reply accepted before the first-response
 * deadline keeps the ticket from breaching (or stops the restored chain before its Level 2 move),
 * and one accepted after it comes after the breach. The journal's inbox rows are then delivered
 * again at once (the dispatcher starts after this): the workflow drops the events as seen and
 * answers a command as the journal did, and the dispatcher's own part (the relay to the customer, a
 * command's answer) is done. A command that reaches the run before the worker took its first task, so
 * before the journal is applied, waits for the journal in the workflow (TicketWorkflowImpl's
 * journalApplied): it is not decided against the bare snapshot.
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
  private final BiFunction<InboxRow, String, Optional<JournalEntry>> told;
  private final boolean relay;
  private final Consumer<List<InboxRow>> deliverAgain;
  private final Instant restartedAt;
  private final Duration autoCloseHold;

  /**
   * @param told what delivering an inbox row tells a ticket (the dispatcher's {@code journalEntry})
   * @param relay relay mode: a customer's private messages wait in their own queue ({@link
   *     Inbox#relayKey}), and those that go to their open ticket join its journal
   * @param deliverAgain delivers a restored ticket's journaled rows once its workflow runs (the
   *     dispatcher's {@code deliverRestored}): no change there, and the dispatcher's own part done
   * @param restartedAt when this process started, before it answered any update: the inbox rows
   *     received since come after the deadlines that passed while it was down, delivered as usual
   * @param autoCloseHold how long after its restore a resolved ticket whose auto-close is overdue (or
   *     falls due meanwhile) stays resolved ({@code temporal.auto-close-after-restore})
   */
  Restore(WorkflowClient client, String taskQueue, TicketStore tickets, Inbox inbox, ApiActions apiActions,
      BiFunction<InboxRow, String, Optional<JournalEntry>> told, boolean relay, Consumer<List<InboxRow>> deliverAgain,
      Instant restartedAt, Duration autoCloseHold) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.tickets = tickets;
    this.inbox = inbox;
    this.apiActions = apiActions;
    this.told = told;
    this.relay = relay;
    this.deliverAgain = deliverAgain;
    this.restartedAt = restartedAt;
    this.autoCloseHold = autoCloseHold;
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
    int holds = 0;
    for (TicketState snapshot : tickets.open()) {
      FromApi fromApi = fromApi(snapshot, actions.getOrDefault(snapshot.id(), List.of()));
      FromInbox fromInbox = fromInbox(snapshot);
      List<JournalEntry> journal = inOrder(fromApi.journal(), fromInbox.journal());
      Optional<TicketState> held = held(snapshot, journal, Instant.now(), autoCloseHold);
      if (!startWithDeadlines(held.orElse(snapshot), journal)) {
        continue; // already running: nothing to restore
      }
      restored++;
      holds += held.isPresent() ? 1 : 0;
      reapplied += fromApi.journal().size();
      updates += fromInbox.journal().size();
      journaledRows.addAll(fromInbox.rows());
      fromApi.shown().forEach(apiActions::forget);
      actions.remove(snapshot.id()); // the rest is the workflow's now: its projection forgets them
    }
    forgetTicketless(actions);
    journaledRows.forEach(deliverAgain); // once every restored workflow runs: in parallel there
    if (restored > 0 || requeued > 0 || reapplied > 0) {
      log.info("restored {} open tickets from the read model, {} API actions and {} Telegram updates applied again"
          + " in turn with their deadlines, {} updates queued again", restored, reapplied, updates, requeued);
    }
    if (holds > 0) {
      log.info("{} resolved tickets whose auto-close fell due while Forumdesk was down close in {} unless their"
          + " customer writes (temporal.auto-close-after-restore)", holds, autoCloseHold);
    }
  }

  /**
   * A resolved ticket whose auto-close is due before {@code hold} after {@code now} (overdue: it fell
   * due while the process was down), with its auto-close moved to then; empty when it has none due so
   * soon, or when its journal has an entry accepted at or after that auto-close (the process ran then:
   * the journal applies the auto-close before that entry, as it would have, and leaves the entry to
   * what follows the closed ticket).
   *
   * <p>The updates Telegram held while the process was down come once the webhook is set, a few
   * seconds after this restore, each with its own date, in the order the customer wrote. Closed at
   * once, the ticket took a message its customer wrote before the auto-close for a new request. Held,
   * the message reaches the ticket still resolved and reopens it, as it would have live; without one,
   * it closes when the hold is over (its CLOSED entry says when, and why as before). Meanwhile it is
   * what it was at the stop, RESOLVED: the reports count it resolved, not open. A message written
   * after the auto-close that comes in the hold reopens it too: the customer reads the answer in the
   * same conversation, not a new ticket.
   */
  static Optional<TicketState> held(TicketState snapshot, List<JournalEntry> journal, Instant now, Duration hold) {
    if (snapshot.status() != Status.RESOLVED || snapshot.clocks() == null) {
      return Optional.empty();
    }
    Instant due = snapshot.clocks().due().get(Clock.AUTO_CLOSE);
    Instant until = now.plus(hold);
    if (due == null || !due.isBefore(until)) {
      return Optional.empty();
    }
    boolean cameAfter = journal.stream()
        .anyMatch(e -> e.acceptedAt() != null && !e.acceptedAt().isBefore(due));
    if (cameAfter) {
      return Optional.empty();
    }
    Map<Clock, Instant> dues = new EnumMap<>(Clock.class);
    dues.putAll(snapshot.clocks().due());
    dues.put(Clock.AUTO_CLOSE, until);
    return Optional.of(snapshot.withClocks(
        new SlaClocks.Snapshot(Map.copyOf(dues), snapshot.clocks().remaining(), snapshot.clocks().paused())));
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
   * The journal's Telegram updates: the inbox rows answered 200 before this start and not applied,
   * those the snapshot does not show, in update order (Telegram's): the ticket's topic's, and in relay
   * mode its customer's private messages that go to it.
   *
   * @param rows each queue's rows (the topic's, the customer's), delivered again after the restore when
   *     the journal has one of them
   */
  record FromInbox(List<Came> journal, List<List<InboxRow>> rows) {}

  private FromInbox fromInbox(TicketState snapshot) {
    List<List<InboxRow>> queues = new ArrayList<>();
    queues.add(inbox.unappliedFor(snapshot.id(), restartedAt));
    if (relay && snapshot.customer() != null) {
      queues.add(inbox.unappliedFor(Inbox.relayKey(snapshot.customer().id()), restartedAt));
    }
    record Told(InboxRow row, JournalEntry entry) {}
    List<Told> found = new ArrayList<>();
    List<List<InboxRow>> journaled = new ArrayList<>();
    for (List<InboxRow> queue : queues) {
      List<Told> fromQueue = new ArrayList<>();
      for (InboxRow row : queue) {
        entryOf(snapshot, row).ifPresent(e -> fromQueue.add(new Told(row, e)));
      }
      if (!fromQueue.isEmpty()) {
        journaled.add(queue);
      }
      found.addAll(fromQueue);
    }
    found.sort(Comparator.comparingLong(t -> t.row().updateId())); // the queues merged in Telegram's order
    return new FromInbox(found.stream().map(t -> new Came(t.row().receivedAt(), t.entry())).toList(), journaled);
  }

  /** What delivering {@code row} tells the ticket, unless its snapshot shows it. */
  private Optional<JournalEntry> entryOf(TicketState snapshot, InboxRow row) {
    Optional<JournalEntry> entry;
    try {
      entry = told.apply(row, snapshot.id());
    } catch (RuntimeException e) {
      log.warn("update {} for {} left to the dispatcher, not in the restored journal: {}", row.updateId(),
          snapshot.id(), e.toString());
      entry = Optional.empty();
    }
    return entry.filter(e -> !snapshot.seenEvents().contains(e.eventId()));
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
