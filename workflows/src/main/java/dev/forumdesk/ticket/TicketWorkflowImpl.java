package dev.forumdesk.ticket;

import dev.forumdesk.routing.RoutingStep;
import dev.forumdesk.sla.Clock;
import dev.forumdesk.sla.SlaClocks;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The ticket lifecycle: wait for an event or the next SLA deadline, apply it, carry out the
 * effects, project the new state. Rules live in {@link Transitions} and {@link Escalations}.
 */
public class TicketWorkflowImpl implements TicketWorkflow {
  private static final Logger log = Workflow.getLogger(TicketWorkflowImpl.class);
  private static final RetryOptions RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofMillis(200))
          .setMaximumInterval(Duration.ofSeconds(30))
          .build();
  /** Calls that leave the machine: Telegram's createForumTopic for the Level 2 topic. */
  private final TicketActivities remote =
      Workflow.newActivityStub(
          TicketActivities.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(15)).setRetryOptions(RETRY).build());
  /** Short database calls (read model, outbox): local activities, see {@link LocalActivities}. */
  private final TicketActivities local =
      Workflow.newLocalActivityStub(
          TicketActivities.class,
          LocalActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(15))
              .setScheduleToCloseTimeout(LocalActivities.RETRY_WINDOW) // or the SDK never retries
              .setRetryOptions(RETRY)
              .build());
  /**
   * Lifecycle rules 13: the inbox's backlog of a ticket ({@link TicketActivities#inboxBacklog}), a
   * local activity that gives up within {@link #BACKLOG_LOOKUP_WITHIN}: an inbox that does not answer
   * means no backlog (the late deadlines fire), not a ticket blocked for the week {@link #local} retries.
   */
  private final TicketActivities inbox =
      Workflow.newLocalActivityStub(
          TicketActivities.class,
          LocalActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(5))
              .setScheduleToCloseTimeout(TicketWorkflowImpl.BACKLOG_LOOKUP_WITHIN)
              .setRetryOptions(RETRY)
              .build());

  /** Version marker: a new ticket is projected before the recurring-customer lookup and its ack. */
  private static final String VISIBLE_AT_ONCE = "visible-at-once";
  /** Version marker: a run started by a new topic skips the closed-predecessor lookup. */
  private static final String NO_LOOKUP_FOR_NEW_TOPIC = "no-lookup-for-new-topic";
  /**
   * Version marker: projections after the first carry only what changed ({@link Projection}), and
   * the routing rules are fetched whole only when they changed.
   */
  private static final String SMALLER_HISTORY = "smaller-history";
  /** Version marker: search attributes are upserted only when one of them changed. */
  private static final String SEARCH_ATTRIBUTES_ON_CHANGE = "search-attributes-on-change";
  /** {@link CommandRequest#source} of a bot command (the other: "api"). */
  private static final String TELEGRAM = "telegram";
  /**
   * Lifecycle rules 13: how far behind its due a deadline is when the run looks at it for it to be
   * late: it passed while the process was down (a restored ticket), or the ticket's updates came long
   * after they were written (Telegram sending them again after an outage). A timer fires within
   * milliseconds of its due otherwise; a busy worker's workflow task may take a few seconds.
   */
  static final Duration LATE = Duration.ofSeconds(5);
  /**
   * Lifecycle rules 13: how long at most late deadlines wait for the ticket's backlog in the inbox
   * (a row stuck in its retries must not hold a breach for good). The dispatcher starts after a
   * restore, and delivers a ticket's rows one after the other, within seconds. Once per row: the rows
   * still there when it ran out are not waited for again by the run ({@link #outlasted}).
   */
  static final Duration BACKLOG_GRACE = Duration.ofMinutes(2);
  /**
   * Lifecycle rules 13: how long a ticket whose late deadlines wait first leaves its inbox alone before
   * it asks again; doubled after each look that found the backlog still there, up to {@link
   * #BACKLOG_RECHECK_AT_MOST}, and never past the grace's end. An update that reaches the ticket
   * meanwhile is applied at once, and asks only when every row of the last answer has come.
   */
  static final Duration BACKLOG_RECHECK = Duration.ofSeconds(2);
  /** Lifecycle rules 13: the longest pause between two looks at the backlog ({@link #BACKLOG_RECHECK}). */
  static final Duration BACKLOG_RECHECK_AT_MOST = Duration.ofSeconds(30);
  /**
   * The longest one wait for a deadline: a farther one is waited for in steps of this (each wakes,
   * finds nothing due, and waits again). A deadline from a date no timer reaches (a ticket opened
   * at year 31,690,708: Temporal takes at most 10,000 years) would otherwise fail every workflow
   * task for ever (audit 21a, F2); no deadline a desk sets is this far.
   */
  static final Duration LONGEST_WAIT = Duration.ofDays(365);
  /** Lifecycle rules 13: how long the inbox has to answer for a ticket's backlog ({@link #inbox}). */
  static final Duration BACKLOG_LOOKUP_WITHIN = Duration.ofSeconds(10);

  private final Queue<TicketEvent> pending = new ArrayDeque<>();
  /** Phase 2 routing: runs beside this loop, changes the ticket's version when it decides. */
  private final RoutingStep routing = new RoutingStep();
  private Ticket ticket;
  private boolean changedByCommand;
  private long projected;
  /** What the read model holds since this run's last projection; null before the first. */
  private Projection.Mark lastProjection;
  private boolean projectsChanges;
  private boolean searchAttributesOnChange;
  /** Version marker {@link FollowUp#ROUTED_AGAIN}. */
  private boolean followUpsRoutedAgain;
  /** The search attributes this run upserted last; null before the first. */
  private SearchAttributes.Values searchAttributes;
  /**
   * The Level 2 topic being opened beside the loop (lifecycle rules 7), {@link
   * Ticket#level2TopicPending}'s; null when none is.
   */
  private Promise<Long> level2Topic;
  /** As {@link #level2Topic}, under lifecycle rules 8: the topic and what the activity did. */
  private Promise<Level2TopicOpened> level2TopicOpened;
  /**
   * The bot commands of a restore's journal, applied before the loop, by event id: what their
   * redelivery (the dispatcher's, from the inbox) is answered, as if it were the first delivery.
   * In memory only: a continue-as-new before the redelivery answers "Already done." (the id is seen).
   */
  private final Map<String, CommandReply> journalReplies = new HashMap<>();
  /** As {@link #journalReplies}, the journal's bot commands refused then: refused again, with the same reason. */
  private final Map<String, CommandRules.Refusal> journalRefusals = new HashMap<>();
  /**
   * Whether this run's journal is applied: at once for a run without one (every run but a restored
   * one). A command that reaches a restored run in its first workflow task (its inbox row delivered
   * again before the worker took the task, or any command or API action that came then) is validated
   * and handled before {@link #run} applied the journal: refused against the snapshot, although the
   * journal applied it after what came before it (the topic told "Cannot hold a ticket that is
   * RESOLVED." while the journal put the reopened ticket on hold), or applied before the journal's
   * earlier entries and the deadlines that passed before it (a /resolve typed after the first-response
   * deadline resolved the ticket before its breach, which never came). Such a command waits for the
   * journal ({@link #command}), and for the deadlines that passed before the run was started, while the
   * process was down: it came after them. That holds for a restored run whose journal is empty too (most
   * are: nothing waited in the inbox for them), where an API action in the first task resolved a ticket
   * whose first-response deadline had passed before its breach, which then never came. A run that is not
   * restored (started by its first event, or continued: no journal at all) decides as before, and a
   * restored run's history lives in the embedded server that dies with this process, so no other code
   * replays it: no version marker (as {@link #deadlinesDueBefore}).
   */
  private boolean journalApplied;
  /**
   * Lifecycle rules 13: since when late deadlines wait for the ticket's backlog in the inbox ({@link
   * #dueNow}); null while none waits.
   */
  private Instant backlogSince;
  /** Lifecycle rules 13: the inbox's last answer for the ticket's backlog ({@link #waitsForBacklog}). */
  private List<Long> backlog = List.of();
  /**
   * Lifecycle rules 13: the rows still in the backlog when the grace ran out ({@link #BACKLOG_GRACE}):
   * stuck in their retries, this run does not wait for them again (a later late deadline would wait
   * another grace for each).
   */
  private final Set<Long> outlasted = new HashSet<>();
  /** Lifecycle rules 13: the timer of the next look at the backlog, while late deadlines wait; else null. */
  private Promise<Void> recheck;
  /** How many looks at the backlog found it still there during this wait: {@link #BACKLOG_RECHECK}'s doubling. */
  private int rechecks;
  /**
   * The command handlers letting the signal handlers of their workflow task queue its events first
   * ({@link #afterTheEventsOfItsTask}): meanwhile the loop leaves the queue to them ({@link #hasWork}).
   */
  private int commandsWaitingForEvents;

  @WorkflowInit
  public TicketWorkflowImpl(TicketState state, List<JournalEntry> journal) {
    ticket = new Ticket(state);
    journalApplied = journal == null; // Restore passes a journal, empty or not; no other start does
  }

  @Override
  public void run(TicketState state, List<JournalEntry> journal) {
    // first, before phase 2 runs beside this loop: getVersion may yield to the other workflow
    // threads, and in a history without the marker that reordered their commands (ReplayTest)
    projectsChanges = Workflow.getVersion(SMALLER_HISTORY, Workflow.DEFAULT_VERSION, 1) == 1;
    routing.rulesOnlyWhenChanged(projectsChanges);
    routing.auditFixes(
        Workflow.getVersion(RoutingStep.AUDIT_FIXES, Workflow.DEFAULT_VERSION, 1) == 1);
    ticket.lifecycle = lifecycleRules();
    searchAttributesOnChange =
        Workflow.getVersion(SEARCH_ATTRIBUTES_ON_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1;
    followUpsRoutedAgain = Workflow.getVersion(FollowUp.ROUTED_AGAIN, Workflow.DEFAULT_VERSION, 1) == 1;
    ticket.runKeys = followUpsRoutedAgain;
    ticket.readableReferences = Workflow.getVersion(Ticket.READABLE_REFERENCES, Workflow.DEFAULT_VERSION, 1) == 1;
    routing.followUpsRoutedAgain(followUpsRoutedAgain);
    if (!state.opened() && !opensNewTopic()) {
      db().closedPredecessor(state.id()).ifPresent(this::startAsFollowUp);
    }
    projected = state.opened() ? state.version() : -1;
    applyAgain(journal == null ? List.of() : journal);
    if (journal != null) {
      // restored: the deadlines that passed before the restart, after the journal's last entry, fire
      // before anything that reaches the run now (which came after the restart); under rules 13 unless
      // the inbox holds updates for the ticket (Telegram's, sent again after the outage): those dated
      // before such a deadline come first, the others after it ({@link #lateDeadlinesBefore})
      if (ticket.lifecycle >= 13) {
        fire(dueNow());
      } else {
        deadlinesDueBefore(Instant.ofEpochMilli(Workflow.getInfo().getRunStartedTimestampMillis()));
      }
    }
    journalApplied = true; // the commands that came in this first task are decided now, after it
    if (journal != null && ticket.status == Status.CLOSED && ticket.level2TopicPending == null) {
      // closed by its journal or while the process was down (a close, an auto-close that fell due): the loop below does
      // not run for a closed ticket (unless its Level 2 topic is asked for again below), so its effects
      // and its projection are done here, as its last pass would
      carryOut();
      projected = project();
    }
    routing.startIfDue(ticket); // a restored or continued ticket resumes an unfinished phase 2
    if (ticket.level2TopicPending != null) {
      startLevel2Topic(ticket.level2TopicPending); // a ticket restored while its topic waited asks again
      // and has its customer's line queued (rules 11): once, by its key, if the run before queued it;
      // now, if that run held it back with the notice (rules 10)
      customerLines(ticket.level2TopicPending.notices());
    }
    // a run that closed while its Level 2 topic was being opened records the topic before it ends
    while (ticket.status != Status.CLOSED || level2TopicAsked()) {
      Optional<Duration> untilDeadline = ticket.clocks.untilNext(now());
      if (backlogSince != null) {
        awaitBacklog();
      } else if (untilDeadline.isPresent()) {
        Duration wait = untilDeadline.get();
        Workflow.await(wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait, this::hasWork);
      } else {
        Workflow.await(this::hasWork);
      }
      boolean work = !pending.isEmpty() || hasWork(); // events the loop takes now, whoever waits for them
      changedByCommand = false;
      boolean wasOpened = ticket.opened;
      while (!pending.isEmpty()) {
        take(pending.poll());
      }
      fire(dueNow());
      if (!work && backlogSince != null) {
        continue; // a look at the backlog that found it still there: nothing changed, nothing to do
      }
      if (level2Topic != null && level2Topic.isCompleted()) {
        Promise<Long> answered = level2Topic;
        level2Topic = null;
        Level2TopicRequest asked = ticket.level2TopicPending;
        ticket.level2TopicPending = null;
        recordLevel2Topic(answered::get);
        noticesAfterItsTopic(asked);
      }
      if (level2TopicOpened != null && level2TopicOpened.isCompleted()) {
        Promise<Level2TopicOpened> answered = level2TopicOpened;
        level2TopicOpened = null;
        Level2TopicRequest asked = ticket.level2TopicPending;
        ticket.level2TopicPending = null;
        recordLevel2TopicOpened(answered);
        noticesAfterItsTopic(asked);
      }
      if (ticket.lifecycle >= 8) {
        ticket.postFirstMessageToLevel2(); // its summary went without it, and it came
      }
      boolean justOpened = !wasOpened && ticket.opened;
      // rules 9: the opening's acknowledgement is queued before the ticket is visible, so a kill -9
      // between the two leaves no visible ticket without it (restored from its snapshot, it would never
      // post it); an unprojected one is opened again from the inbox and posts under the same key, which
      // the outbox takes once (audit 13, F1: 4 of 30 acknowledgements lost)
      if (justOpened && ticket.lifecycle >= 9) {
        carryOut();
      }
      if (justOpened && Workflow.getVersion(VISIBLE_AT_ONCE, Workflow.DEFAULT_VERSION, 1) == 1) {
        projected = project(); // phase 1: in the general queue at once, before any lookup
      }
      if (justOpened) {
        lookUpRecurring();
      }
      routing.startIfDue(ticket);
      carryOut();
      if (ticket.version() != projected) {
        projected = project();
      }
      // not while a Level 2 topic is being opened: this run records it (soon: it waits for a forum's budget)
      if (Workflow.getInfo().isContinueAsNewSuggested() && pending.isEmpty() && Workflow.isEveryHandlerFinished()
          && !level2TopicAsked()) {
        Workflow.continueAsNew(snapshot());
      }
    }
  }

  /** A customer who opened their 5th ticket in the window is escalated to the senior group. */
  private void lookUpRecurring() {
    if (ticket.customer != null) {
      Instant since = ticket.createdAt.minus(ticket.policy.recurringWithin());
      int others = db().otherRecentTickets(ticket.id(), ticket.customer.id(), since);
      Escalations.recurring(ticket, others + 1, now());
    }
  }

  /**
   * The lifecycle rules this run follows ({@link Ticket#lifecycle}): each version's marker, recorded
   * by every new run and found (or not) in a replayed history. A run that has rules 13 has rules 12,
   * one that has rules 12 has rules 11,
   * one that has rules 11 has rules 10,
   * one that has rules 10 has rules 9,
   * one that has rules 9 has rules 8,
   * one that has rules 8 has rules 7,
   * one that has rules 7 has rules 6, one that has rules 6 has rules 5, one that has rules 5 has
   * rules 4, one that has rules 4 has rules 3, one that has rules 3 has rules 2, and one that has
   * rules 2 has rules 1.
   */
  private static int lifecycleRules() {
    int rules = Workflow.getVersion(Transitions.LIFECYCLE, Workflow.DEFAULT_VERSION, 1);
    boolean second = Workflow.getVersion(Transitions.LIFECYCLE_2, Workflow.DEFAULT_VERSION, 1) == 1;
    boolean third = Workflow.getVersion(Transitions.LIFECYCLE_3, Workflow.DEFAULT_VERSION, 1) == 1;
    boolean fourth = Workflow.getVersion(Transitions.LIFECYCLE_4, Workflow.DEFAULT_VERSION, 1) == 1;
    boolean fifth = Workflow.getVersion(Transitions.LIFECYCLE_5, Workflow.DEFAULT_VERSION, 1) == 1;
    boolean sixth = Workflow.getVersion(Transitions.LIFECYCLE_6, Workflow.DEFAULT_VERSION, 1) == 1;
    boolean seventh = Workflow.getVersion(Transitions.LIFECYCLE_7, Workflow.DEFAULT_VERSION, 1) == 1;
    boolean eighth = Workflow.getVersion(Transitions.LIFECYCLE_8, Workflow.DEFAULT_VERSION, 1) == 1;
    boolean ninth = Workflow.getVersion(Transitions.LIFECYCLE_9, Workflow.DEFAULT_VERSION, 1) == 1;
    boolean tenth = Workflow.getVersion(Transitions.LIFECYCLE_10, Workflow.DEFAULT_VERSION, 1) == 1;
    boolean eleventh = Workflow.getVersion(Transitions.LIFECYCLE_11, Workflow.DEFAULT_VERSION, 1) == 1;
    boolean twelfth = Workflow.getVersion(Transitions.LIFECYCLE_12, Workflow.DEFAULT_VERSION, 1) == 1;
    boolean thirteenth = Workflow.getVersion(Transitions.LIFECYCLE_13, Workflow.DEFAULT_VERSION, 1) == 1;
    return rules == 1 && second
        ? (third ? (fourth ? (fifth ? (sixth ? (seventh ? (eighth ? (ninth ? (tenth ? (eleventh ? (twelfth
            ? (thirteenth ? 13 : 12) : 11)
            : 10) : 9) : 8)
            : 7) : 6) : 5) : 4) : 3) : 2)
        : rules;
  }

  /**
   * An event the first time it comes (its id is the Telegram update's): a redelivery is dropped. Under
   * lifecycle rules 13 the late deadlines due before its date fire first ({@link #lateDeadlinesBefore});
   * should they have closed the ticket, the event is neither applied nor seen: as a journal's entry that
   * came after the close ({@link #applyAgain}), its redelivery reaches what follows the closed ticket.
   */
  private void take(TicketEvent event) {
    if (ticket.hasSeen(event.eventId())) {
      return;
    }
    boolean wasClosed = ticket.status == Status.CLOSED;
    lateDeadlinesBefore(event.at());
    if (!wasClosed && ticket.status == Status.CLOSED) {
      log.info("{} on {} left to its redelivery: a late deadline closed the ticket before it", event.eventId(),
          ticket.id());
      return;
    }
    ticket.firstSighting(event.eventId());
    if (event instanceof TicketEvent.MessagePosted m && m.role().isStaff()) {
      routing.lockWarning(ticket.snapshot(), m.from(), m.eventId()).ifPresent(db()::post);
    }
    // phase 2 scores the first message, unless it decided on the title before it came
    boolean laterCustomerMessage = (ticket.firstMessage != null || routing.routedOnTitle())
        && event instanceof TicketEvent.MessagePosted m && !m.role().isStaff();
    Transitions.apply(ticket, event);
    if (laterCustomerMessage) {
      routing.scoreLaterMessage(ticket, event.eventId(), ((TicketEvent.MessagePosted) event).text());
    }
  }

  /**
   * What a restored ticket was told before the restart that its snapshot does not show ({@link #run}'s
   * journal), in the order it was accepted: applied as the signal or the update would, each after the
   * deadlines that passed before it was accepted ({@link #deadlinesDueBefore}) and before those that
   * passed after it (the loop's, or the next entry's). Applied after all of them, an escalation
   * accepted before the chain's deadline found the ticket already moved to Level 2 by its overdue chain
   * and was refused: no audit entry of its actor, and the Level 2 summary gave the chain's reason (audit
   * 11, F6); and an agent's reply written before the first-response deadline, waiting in the inbox,
   * withdrew the breach but not the chain's Level 2 move. Applied before all of them, a reply accepted
   * after the first-response deadline hid a breach the snapshot did not show yet. Only a restore's input
   * has a journal, so a replayed history runs as it ran.
   *
   * <p>An API action refused now is logged and projected among the events seen, so the journal forgets
   * it. A topic event or a bot command is still in the inbox, and the dispatcher delivers it again
   * after the restore: the event is dropped as seen, the command answered as it was here ({@link
   * #journalReplies}, {@link #journalRefusals}), so that its answer in the topic is the one it had.
   */
  private void applyAgain(List<JournalEntry> journal) {
    for (JournalEntry entry : journal) {
      if (entry.acceptedAt() != null) {
        deadlinesDueBefore(entry.acceptedAt());
      }
      if (ticket.status == Status.CLOSED && (entry.event() != null || TELEGRAM.equals(entry.command().source()))) {
        // closed before it came (its auto-close fell due first): as then, its delivery from the inbox
        // after the restore reaches what follows the closed ticket, not this run
        log.info("{} on {} left to its redelivery: the ticket closed before it came", entry.eventId(), ticket.id());
        continue;
      }
      if (entry.event() != null) {
        take(entry.event());
      } else if (TELEGRAM.equals(entry.command().source())) {
        applyBotCommand(entry.command());
      } else {
        applyApiAction(entry.command());
      }
    }
  }

  /**
   * The deadlines that passed before a journal entry was accepted fire before it is applied, as they
   * did (or would have) while the process ran: an agent's reply accepted after the first-response
   * deadline, which the snapshot had not breached yet, comes after the breach instead of hiding it.
   * One due at the very instant of the entry comes after it; those due after the journal's last entry
   * fire in the loop, as any. Only a restore's journal has entries, so a replayed history is unchanged;
   * and the embedded server that holds a restored run's history dies with the process that runs this
   * code, so no other version replays it (no version marker).
   */
  private void deadlinesDueBefore(Instant acceptedAt) {
    Instant now = now();
    fire(ticket.clocks.takeDue(acceptedAt.isBefore(now) ? acceptedAt.minusNanos(1) : now));
  }

  /** The deadlines {@code dues}, in turn. */
  private void fire(List<SlaClocks.Due> dues) {
    for (SlaClocks.Due due : dues) {
      Escalations.deadline(ticket, due.clock(), due.at(), now());
    }
  }

  /**
   * The deadlines that fire now (taken from the clocks): every one due by now, unless under lifecycle
   * rules 13 the earliest is late ({@link #LATE}) and the inbox holds updates of this ticket the run has
   * not seen: then none, for {@link #BACKLOG_GRACE} at most. After an outage an agent's reply or a
   * /resolve written before a deadline waits in the inbox while the run, restored or opened by an update
   * dated hours ago, looks at its deadlines: fired first, the breach was withdrawn when the reply came
   * (rules 12), but its notice had gone to the supervisors ("⚠️ No agent has answered", "⏰ not
   * resolved"), and a reminder to follow up or /resolve to the agent (audit 16, F2 repro 3). The updates
   * come in their order; each fires first the late deadlines due before its date ({@link
   * #lateDeadlinesBefore}), so one written after a deadline does not hide its breach.
   */
  private List<SlaClocks.Due> dueNow() {
    Instant now = now();
    if (ticket.lifecycle >= 13 && waitsForBacklog(now)) {
      return List.of();
    }
    endBacklogWait();
    return ticket.clocks.takeDue(now);
  }

  /**
   * Whether the late deadlines wait for the ticket's backlog now ({@link #dueNow}). The inbox is asked
   * when the wait begins, when its look's timer fired ({@link #awaitBacklog}), and when every row of
   * its last answer has reached the ticket; an update that leaves some of them still to come asks
   * nothing. Rows that outlasted a grace are not waited for again ({@link #outlasted}).
   */
  private boolean waitsForBacklog(Instant now) {
    boolean late = ticket.clocks.next().filter(due -> due.isBefore(now.minus(LATE))).isPresent();
    if (!late) {
      return false;
    }
    if (backlogSince != null && !now.isBefore(backlogSince.plus(BACKLOG_GRACE))) {
      outlasted.addAll(unseen(backlog));
      return false;
    }
    if (backlogSince == null || recheck == null || unseen(backlog).isEmpty()) {
      backlog = inboxBacklog();
    }
    boolean waiting = !unseen(backlog).isEmpty();
    if (waiting && backlogSince == null) {
      backlogSince = now;
    }
    return waiting;
  }

  /**
   * The rows of {@code rows} that the run has not seen and waits for; with them the updates Telegram
   * still held for us ({@link HeldByTelegram}'s negative entry, never seen by that id).
   */
  private List<Long> unseen(List<Long> rows) {
    return rows.stream()
        .filter(u -> !ticket.hasSeen("u" + u) && !ticket.hasSeen("e" + u) && !outlasted.contains(u))
        .toList();
  }

  /**
   * The inbox's answer ({@link TicketActivities#inboxBacklog}), or none when it gives none in time
   * ({@link #inbox}): the late deadlines then fire, as without an inbox. The failure is in the history,
   * so a replay decides the same.
   */
  private List<Long> inboxBacklog() {
    Long customer = ticket.customer == null ? null : ticket.customer.id();
    try {
      return LocalActivities.pick(inbox, remote).inboxBacklog(ticket.id(), customer);
    } catch (ActivityFailure e) {
      log.warn("no backlog of {} from the inbox ({}): its late deadlines fire", ticket.id(), e.getCause().getMessage());
      return List.of();
    }
  }

  /**
   * Waits, while the late deadlines wait for the backlog, for an update or the next look at the inbox:
   * one timer for each look ({@link #BACKLOG_RECHECK}, doubled after each, capped, and never past the
   * grace), kept while updates come, let go when the wait ends ({@link #endBacklogWait}).
   */
  private void awaitBacklog() {
    if (recheck == null) {
      Duration pause = BACKLOG_RECHECK.multipliedBy(1L << Math.min(rechecks, 4));
      pause = pause.compareTo(BACKLOG_RECHECK_AT_MOST) > 0 ? BACKLOG_RECHECK_AT_MOST : pause;
      Duration left = Duration.between(now(), backlogSince.plus(BACKLOG_GRACE));
      Duration wait = left.compareTo(pause) < 0 ? left : pause;
      Duration timer = wait.isNegative() || wait.isZero() ? Duration.ofMillis(1) : wait;
      recheck = Workflow.newTimer(timer);
    }
    Workflow.await(() -> recheck.isCompleted() || hasWork());
    if (recheck.isCompleted()) {
      recheck = null;
      rechecks++;
    }
  }

  /**
   * The late deadlines wait no more. The next look's timer, if any, is let go, not cancelled: it
   * fires into a workflow task that has nothing to do. The Temporal test server (the embedded
   * default) refuses a CancelTimer whose timer fired while the task ran ("invalid history builder
   * state for action") and then gives the run no further task (temporalio/sdk-java#3088): seen once
   * under load in RedeliveredBacklogBeforeDeadlinesTest, the ticket stuck for good.
   */
  private void endBacklogWait() {
    recheck = null;
    rechecks = 0;
    backlogSince = null;
  }

  /**
   * Lifecycle rules 13: before an update (an event or a command) dated {@code at}, the late deadlines
   * ({@link #LATE}) due before that date fire, as they would have had it come on time: a reply written
   * after a first-response deadline that waited for the ticket's backlog ({@link #dueNow}) comes after
   * its breach. A deadline due by the update's date, or not late (a timer fires on time: its update
   * comes after it in the same pass, as before), is left to the loop; so is the auto-close, whatever its
   * date: a customer's message that reaches a RESOLVED ticket reopens it, as one that comes during a
   * restore's hold does (fired first, the ticket closed and the message was applied to the CLOSED ticket
   * and lost: no reopen, no follow-up), and a staff command is validated against the RESOLVED ticket.
   *
   * @return whether a deadline fired
   */
  private boolean lateDeadlinesBefore(Instant at) {
    if (ticket.lifecycle < 13 || at == null) {
      return false;
    }
    Instant now = now();
    Instant lateBy = now.minus(LATE);
    List<SlaClocks.Due> dues = ticket.clocks.takeDue(at.isAfter(lateBy) ? lateBy : at.minusNanos(1), Clock.AUTO_CLOSE);
    fire(dues);
    return !dues.isEmpty();
  }

  private void applyApiAction(CommandRequest request) {
    String refused = ticket.hasSeen(request.eventId()) ? null
        : CommandRules.refusal(ticket.snapshot(), request).map(CommandRules.Refusal::reason).orElse(null);
    if (refused == null) {
      CommandReply reply = handle(request);
      refused = reply.refused() ? reply.message() : null;
    } else {
      ticket.firstSighting(request.eventId());
    }
    if (refused != null) {
      log.warn("{} on {} by {}, answered 200 before the restart, is refused now: {}", request.name(), ticket.id(),
          request.from().id(), refused);
      ticket.touch();
    }
  }

  /** A bot command waiting in the inbox: its redelivery gets the answer it has now. */
  private void applyBotCommand(CommandRequest request) {
    if (ticket.hasSeen(request.eventId())) {
      return; // the snapshot shows it: its redelivery is answered "Already done.", as before
    }
    Optional<CommandRules.Refusal> refusal = CommandRules.refusal(ticket.snapshot(), request);
    if (refusal.isPresent()) {
      journalRefusals.put(request.eventId(), refusal.get()); // not seen: changed nothing, told at its redelivery
    } else {
      journalReplies.put(request.eventId(), handle(request));
    }
  }

  private boolean hasWork() {
    return (!pending.isEmpty() && commandsWaitingForEvents == 0) || changedByCommand
        || (projected >= 0 && ticket.version() != projected)
        || (level2Topic != null && level2Topic.isCompleted())
        || (level2TopicOpened != null && level2TopicOpened.isCompleted());
  }

  /** Whether a Level 2 topic is being opened beside the loop (lifecycle rules 7 and later). */
  private boolean level2TopicAsked() {
    return level2Topic != null || level2TopicOpened != null;
  }

  /**
   * A run started by forum_topic_created has no closed predecessor to look up: Telegram creates a
   * topic once, and only a later message in it can follow a CLOSED ticket.
   */
  private boolean opensNewTopic() {
    if (Workflow.getVersion(NO_LOOKUP_FOR_NEW_TOPIC, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return false;
    }
    if (Workflow.getInfo().getContinuedExecutionRunId().isPresent()) {
      return false; // carried over by continue-as-new: no starting signal to look at
    }
    // a fresh unopened run comes only from signalWithStart, whose signal is in this very task
    Workflow.await(() -> !pending.isEmpty());
    return pending.peek() instanceof TicketEvent.TopicOpened;
  }

  /** A message in the topic of a CLOSED ticket: a new run of the same id, linked to the old one. */
  private void startAsFollowUp(TicketState previous) {
    int lifecycle = ticket.lifecycle; // this run's rules, not part of the snapshot
    boolean readableReferences = ticket.readableReferences;
    // the run's input holds the configuration in force now: a follow-up is a new request (rules 5)
    TicketPolicy policy = lifecycle >= 5 ? ticket.policy : previous.policy();
    ticket = new Ticket(FollowUp.of(previous, previous.lifecycle().runId(), followUpsRoutedAgain, policy));
    ticket.lifecycle = lifecycle;
    ticket.readableReferences = readableReferences;
    ticket.runKeys = followUpsRoutedAgain;
  }

  private void carryOut() {
    List<Effect> effects = ticket.drainEffects();
    boolean opensTopic = ticket.lifecycle >= 10 && effects.stream().anyMatch(Effect.OpenLevel2Topic.class::isInstance);
    List<Level2TopicRequest.Notice> afterItsTopic = new ArrayList<>();
    for (Effect effect : effects) {
      Optional<Level2TopicRequest.Notice> notice = opensTopic ? escalationNotice(effect) : Optional.empty();
      if (notice.isPresent()) {
        afterItsTopic.add(notice.get());
        continue;
      }
      switch (effect) {
        case Effect.Post p -> db().post(p.message());
        case Effect.DirectMessage dm -> db().directMessage(ticket.id(), dm.message(), dm.fallback());
        case Effect.StaffNote note -> db().staffNote(ticket.id(), note.message()).ifPresent(instead ->
            ticket.record(now(), "STAFF_NOTE", "the " + note.kind() + " note had nobody to go to (" + note.nobody()
                + "); " + instead, "system"));
        case Effect.OpenLevel2Topic l2 -> openLevel2Topic(l2);
        case Effect.LockTitle lock -> routing.lockTitleAgain(ticket.snapshot(), lock.cause());
        case Effect.RecordBreach b -> db().breach(ticket.id(), b.clock());
      }
    }
    if (!afterItsTopic.isEmpty()) {
      if (ticket.level2TopicPending != null) {
        ticket.level2TopicPending = ticket.level2TopicPending.after(afterItsTopic);
        customerLines(afterItsTopic);
      } else {
        afterItsTopic.forEach(n -> ticket.effectAgain(n.effect())); // no topic asked after all: at once
        carryOut();
      }
    }
  }

  /**
   * Lifecycle rules 10: the escalation's notice ("⬆️ Escalated to Level 2", /escalate's or the API's
   * answer, or the escalation chain's call) when the same pass asks for the escalation's Level 2
   * topic. It waits for the topic ({@link #noticesAfterItsTopic}): queued with the topic's request,
   * the notice went first in an idle forum (its row was written before the topic's), and before the
   * summary that waits for a title-only topic's first message (audit 14, F1).
   */
  private static Optional<Level2TopicRequest.Notice> escalationNotice(Effect effect) {
    OutboundMessage m = switch (effect) {
      case Effect.Post p -> p.message();
      case Effect.StaffNote n -> n.message();
      default -> null;
    };
    if (m == null || (m.kind() != MessageKind.ESCALATED && m.kind() != MessageKind.ESCALATION_CHAIN)) {
      return Optional.empty();
    }
    return Optional.of(effect instanceof Effect.StaffNote n ? new Level2TopicRequest.Notice(m, n.kind(), n.nobody())
        : new Level2TopicRequest.Notice(m, null, null));
  }

  /**
   * Lifecycle rules 11: what the customer reads of the notices that wait for a Level 2 topic, queued
   * now ({@link TicketActivities#customerLine}). In group mode /escalate's and the API's "⬆️ Escalated
   * to Level 2" shows in the customer's topic as "⬆️ A specialist will join shortly."; under rules 10
   * that line waited with the notice for a topic the customer never sees, minutes in a busy staff
   * forum. Only a notice posted in a topic ({@link Effect.Post}) of kind {@link MessageKind#ESCALATED}
   * has such a line: the escalation chain's call has none (a breach is no news to the customer), and a
   * staff note never goes to their topic. The activity decides from where the notice goes whether the
   * customer reads it (nothing in relay mode); the notice's own post, after the topic, finds the line's
   * key taken, so the customer reads it once.
   */
  private void customerLines(List<Level2TopicRequest.Notice> notices) {
    if (ticket.lifecycle < 11) {
      return;
    }
    for (Level2TopicRequest.Notice n : notices) {
      if (n.kind() == null && n.message().kind() == MessageKind.ESCALATED) {
        db().customerLine(n.message());
      }
    }
  }

  /**
   * The notices that waited for this Level 2 topic (lifecycle rules 10), once the activity answered:
   * the topic opened and its summary queued, or neither (refused, or no staff forum: the summary went
   * elsewhere). Queued now, after both, whatever the answer: the escalation is told either way.
   */
  private void noticesAfterItsTopic(Level2TopicRequest asked) {
    if (asked != null) {
      asked.notices().forEach(n -> ticket.effectAgain(n.effect()));
    }
  }

  /**
   * Since lifecycle rules 7 the topic opens beside the loop, which goes on meanwhile (replies,
   * commands, timers, projections): the topic waits for the staff forum's budget, minutes in a burst,
   * and the escalation is projected at once (audit 11, F2). Before, the loop waited for it. A second
   * escalation while the topic is being opened asks for nothing more: the activity opens one topic per
   * run and posts its summary once (its outbox key), so it would answer with the same topic.
   */
  private void openLevel2Topic(Effect.OpenLevel2Topic l2) {
    if (ticket.lifecycle < 7) {
      recordLevel2Topic(() ->
          remote.openLevel2Topic(ticket.id(), ticket.policy.level2ChatId(), l2.title(), l2.summaryHtml(), l2.run()));
    } else if (!level2TopicAsked()) {
      startLevel2Topic(new Level2TopicRequest(l2.title(), l2.summaryHtml(), l2.run()));
    }
  }

  /**
   * Asks for the topic beside the loop; the snapshot says so until the answer is recorded. Under
   * lifecycle rules 8 the activity tells what it did too ({@link Level2TopicOpened}).
   */
  private void startLevel2Topic(Level2TopicRequest r) {
    ticket.level2TopicPending = r;
    if (ticket.lifecycle >= 8) {
      level2TopicOpened = Async.function(remote::openLevel2TopicDetailed, ticket.id(), ticket.policy.level2ChatId(),
          r.title(), r.summaryHtml(), r.run());
    } else {
      level2Topic = Async.function(
          remote::openLevel2Topic, ticket.id(), ticket.policy.level2ChatId(), r.title(), r.summaryHtml(), r.run());
    }
  }

  /**
   * Lifecycle rules 8: as {@link #recordLevel2Topic}, and the entry says when a restart interrupted an
   * earlier call for the topic: Telegram may have opened that one, empty, and staff reading the audit
   * should know which is the ticket's (the summary and the outbox said so, the audit did not). A
   * summary that went without the customer's first message has it posted in the topic when it comes.
   */
  private void recordLevel2TopicOpened(Promise<Level2TopicOpened> answered) {
    recordLevel2Topic(() -> {
      Level2TopicOpened opened = answered.get();
      if (!opened.summaryHasFirstMessage()) {
        ticket.level2FirstMessageOwed = opened.topic();
      }
      return opened;
    }, opened -> opened.earlierTopicIn() == null ? ""
        : " (a restart interrupted an earlier try: an empty topic may exist in "
            + (opened.earlierTopicIn() == opened.chatId() ? "the Level 2 forum" : "the forum " + opened.earlierTopicIn())
            + ")");
  }

  /**
   * A forum the bot may not manage must not stop the escalation itself: audit and go on. No staff forum
   * now (customers read the Level 2 forum) is no failure: the activity sent the summary elsewhere and
   * says where, as the workflow's own decision of rules 5 was audited ({@link Ticket#openLevel2Topic}).
   */
  private void recordLevel2Topic(Supplier<Long> topic) {
    recordLevel2Topic(() -> new Level2TopicOpened(0, topic.get(), null, true), opened -> "");
  }

  /** @param after what the LEVEL2_TOPIC entry says after its topic */
  private void recordLevel2Topic(
      Supplier<Level2TopicOpened> topic, java.util.function.Function<Level2TopicOpened, String> after) {
    try {
      Level2TopicOpened opened = topic.get();
      ticket.level2ThreadId = opened.threadId();
      ticket.record(now(), "LEVEL2_TOPIC",
          "opened topic " + ticket.level2ThreadId + " in the Level 2 group" + after.apply(opened), "system");
    } catch (ActivityFailure e) {
      // its own words, not the SDK's "message='…', type='…', nonRetryable=true": the audit is read by people
      String why = e.getCause() instanceof ApplicationFailure f ? f.getOriginalMessage() : e.getCause().getMessage();
      boolean noForum = e.getCause() instanceof ApplicationFailure f && TicketActivities.NO_LEVEL2_FORUM.equals(f.getType());
      ticket.record(now(), noForum ? "LEVEL2_SUMMARY" : "LEVEL2_TOPIC_FAILED", String.valueOf(why), "system");
    }
  }

  private long project() {
    TicketState s = snapshot();
    if (!projectsChanges) {
      db().project(s);
    } else {
      try {
        db().projectChanges(Projection.after(lastProjection, s));
      } catch (ActivityFailure e) {
        if (!(e.getCause() instanceof ApplicationFailure f && Projection.GAP.equals(f.getType()))) {
          throw e;
        }
        db().projectChanges(Projection.full(s)); // the read model lost or changed the row: all of it
      }
      lastProjection = Projection.Mark.of(s);
    }
    searchAttributes = SearchAttributes.upsert(s, searchAttributesOnChange ? searchAttributes : null);
    return s.version();
  }

  private TicketActivities db() {
    return LocalActivities.pick(local, remote);
  }

  private TicketState snapshot() {
    TicketState s = ticket.snapshot();
    return FollowUp.withRunId(s, Workflow.getInfo().getRunId());
  }

  private Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  @Override
  public void event(TicketEvent event) {
    pending.add(event);
  }

  @Override
  public void capacityFreed() {
    routing.capacityFreed();
  }

  @Override
  public void validateCommand(CommandRequest request) {
    if (!journalApplied) {
      return; // a restored run's first task, before its journal: decided by the handler once it is applied
    }
    if (ticket.lifecycle >= 13 && ticket.opened && !pending.isEmpty()) {
      // events delivered before it wait for the loop (they came in the same workflow task): the handler
      // decides once they are applied, as the validator would then (a customer's message reopened the
      // RESOLVED ticket a supervisor's /hold came after: "Cannot hold a ticket that is RESOLVED.")
      return;
    }
    refusal(request).ifPresent(r -> {
      throw r.kind().exception(r.reason()); // its type tells the API 403, 400 or 409; the topic hears the reason
    });
  }

  /** The validator's refusal of {@code request}, if it is refused. */
  private Optional<CommandRules.Refusal> refusal(CommandRequest request) {
    CommandRules.Refusal journalRefusal = journalRefusals.get(request.eventId());
    if (journalRefusal != null) {
      return Optional.of(journalRefusal); // refused before the deadlines, as then
    }
    if (ticket.hasSeen(request.eventId())) {
      return Optional.empty(); // a redelivery: the handler answers without acting again
    }
    return CommandRules.refusal(ticket.snapshot(), request);
  }

  @Override
  public CommandReply command(CommandRequest request) {
    if (!journalApplied) {
      // came before the run applied its journal (journalApplied): the validator let it through,
      // and it is decided here, after the journal, as it is when it comes later: a journal's command
      // answered as the journal applied or refused it, any other after the journal, the same refusal
      // (a refused reply, which the dispatcher and the API read as the validator's)
      Workflow.await(() -> journalApplied);
      Optional<CommandRules.Refusal> refused = refusal(request);
      if (refused.isPresent()) {
        return CommandReply.refusal(refused.get().reason(), ticket.status, refused.get().kind());
      }
    }
    if (ticket.lifecycle >= 13 && ticket.opened) {
      afterTheEventsOfItsTask();
      // the events that came before it, still waiting for the loop, are applied first: each fires the late
      // deadlines due before its date, and this command's those due before its own ({@link #handle})
      while (!pending.isEmpty()) {
        take(pending.poll());
      }
      // validated against the ticket before them, or before a command of the same task handled meanwhile
      // (its validator ran before that one's handler), or not at all ({@link #validateCommand}): again
      Optional<CommandRules.Refusal> refused = refusal(request);
      if (refused.isPresent()) {
        return CommandReply.refusal(refused.get().reason(), ticket.status, refused.get().kind());
      }
    }
    return handle(request);
  }

  /**
   * Lets the signal handlers of this workflow task queue their events before the command reads the
   * ticket, the loop leaving the queue to the command meanwhile ({@link #hasWork}), which applies it as
   * before. The SDK runs the handlers of a task in the order it sequences the signals and the update;
   * the Temporal test server (the embedded server) sequences an update after the task's
   * WorkflowTaskScheduled event, so a signal that came after the task was scheduled and before it was
   * started (the worker was down: a customer's message scheduled it, then an agent's reply and the
   * agent's /status came) reached the ticket after the command: /status answered "Status: NEW …
   * First response due: …" before the reply it came after (audit 20b, F4). A cluster sequences an
   * update after every event of its task, and so does a replay of the test server's history (the
   * update's accepted event names the task's last event): the command then finds the events queued
   * already, as here. Starts no command: a history recorded before replays as it ran (no marker).
   */
  private void afterTheEventsOfItsTask() {
    commandsWaitingForEvents++;
    try {
      Async.procedure(() -> {}).get(); // a workflow thread's turn comes after every handler's of the task
    } finally {
      commandsWaitingForEvents--;
    }
  }

  /** The update handler's work, also the journal's for its commands and API actions: they wait for nothing. */
  private CommandReply handle(CommandRequest request) {
    CommandReply fromJournal = journalReplies.get(request.eventId());
    if (fromJournal != null) {
      return fromJournal; // applied from the restore's journal: its redelivery is answered as it was
    }
    if (ticket.hasSeen(request.eventId())) {
      return new CommandReply("Already done.", ticket.status);
    }
    if (lateDeadlinesBefore(request.at())) {
      // validated against the ticket before them: refused if they changed that (the escalation chain
      // moved it to Level 2 before an /escalate written after its due); not seen, as the validator's
      Optional<CommandRules.Refusal> refused = CommandRules.refusal(ticket.snapshot(), request);
      if (refused.isPresent()) {
        return CommandReply.refusal(refused.get().reason(), ticket.status, refused.get().kind());
      }
    }
    ticket.firstSighting(request.eventId());
    CommandReply reply = RoutingStep.handles(request.name())
        ? routing.command(ticket, request) // roster commands: decided against the database
        : Transitions.command(ticket, request);
    changedByCommand |= !reply.refused(); // a refusal changed nothing to project
    return reply;
  }

  @Override
  public TicketState state() {
    return snapshot();
  }
}
