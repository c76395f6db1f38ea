package dev.forumdesk.ticket;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * Lifecycle details that are not top-level ticket fields: where to go back to after hold or
 * stale, why it is on hold, the Level 2 topic, which one-time escalations already fired, the
 * Temporal run that produced this snapshot (a follow-up ticket links to it), and whether the run
 * still waits for its customer's first word.
 *
 * @param awaitingCustomer a run an agent or supervisor opened (a topic opened for a customer, a
 *     staff message in a CLOSED ticket's topic) whose customer has not written yet: nothing has been
 *     asked, so no first-response clock runs and a staff message is no first response (lifecycle
 *     rules 2). Left out when false, so snapshots from before read as before: their clocks started
 *     when they opened.
 * @param firstResponseFrom when the first-response clock started, if not when the run opened: the
 *     customer's first word in a run staff opened, a reopen before any answer (lifecycle rules 1).
 *     The SLA report measures the first response from it. Left out when null: from {@code createdAt}
 *     (also for runs whose clock started before it was kept).
 * @param firstResponseEvent the event of the message that was the first response ("u15"), so that a
 *     reply Telegram refused to deliver to the customer (relay mode) can be taken back as one. Left
 *     out when null (no first response, or one from before it was kept).
 * @param customerUnreachable relay mode: Telegram refused a message to the customer for good (they
 *     blocked the bot) and the topic was told; told once until the customer writes again. Left out
 *     when false.
 * @param customerWaitingSince when the customer's oldest message no agent has answered yet was
 *     written: set by a customer's message, cleared by an agent's reply or the resolution. The
 *     stale reminder tells whose silence it is from it, and an overdue next response stays shown
 *     until it is answered (lifecycle rules 5). Left out when null (nobody waits, or a snapshot from
 *     before it was kept).
 * @param level2TopicPending an escalation's Level 2 topic that is being opened, beside the workflow's
 *     loop (lifecycle rules 7): the ticket is at Level 2 already, the topic waits for the staff
 *     forum's budget. A run that starts from this snapshot (a restore) asks for it again. Left out
 *     when null (none waits, or a snapshot of rules before 7, whose escalations waited for it).
 * @param level2FirstMessageOwed the Level 2 topic whose summary went without the customer's first
 *     message (lifecycle rules 8): a topic opened without text and escalated at once, whose message
 *     had not come {@code routing.first-message-wait} after it opened. The workflow posts the message
 *     there when it comes, once. Left out when null (nothing is owed, or a snapshot of rules before 8).
 */
public record Lifecycle(
    Status previousStatus,
    String holdReason,
    Long level2ThreadId,
    List<String> fired,
    String runId,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean awaitingCustomer,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant firstResponseFrom,
    @JsonInclude(JsonInclude.Include.NON_NULL) String firstResponseEvent,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean customerUnreachable,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant customerWaitingSince,
    @JsonInclude(JsonInclude.Include.NON_NULL) Level2TopicRequest level2TopicPending,
    @JsonInclude(JsonInclude.Include.NON_NULL) ForumTopic level2FirstMessageOwed) {
  /** A lifecycle that knows nothing of the first response's event or an unreachable customer. */
  public Lifecycle(Status previousStatus, String holdReason, Long level2ThreadId, List<String> fired, String runId,
      boolean awaitingCustomer, Instant firstResponseFrom) {
    this(previousStatus, holdReason, level2ThreadId, fired, runId, awaitingCustomer, firstResponseFrom, null, false, null,
        null, null);
  }

  /** The same lifecycle, produced by Temporal run {@code id}. */
  public Lifecycle withRunId(String id) {
    return new Lifecycle(previousStatus, holdReason, level2ThreadId, fired, id, awaitingCustomer, firstResponseFrom,
        firstResponseEvent, customerUnreachable, customerWaitingSince, level2TopicPending, level2FirstMessageOwed);
  }

  public static Lifecycle initial() {
    return new Lifecycle(null, null, null, List.of(), null, false, null);
  }

  /** When the first-response clock started: {@link #firstResponseFrom}, else {@code createdAt}. */
  public static Instant firstResponseClockStart(TicketState s) {
    return s.lifecycle() != null && s.lifecycle().firstResponseFrom() != null
        ? s.lifecycle().firstResponseFrom() : s.createdAt();
  }
}
