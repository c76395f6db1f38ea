package dev.forumdesk.ticket;

import java.util.Arrays;
import java.util.Optional;

/**
 * What an outbox row says, in its {@code kind} column: set where it is enqueued, read by the sender
 * ({@code LateWarnings} finds the first-response warnings by it, {@code Digests} the per-ticket notices
 * it folds). The row's key stays what makes enqueueing idempotent, and nothing more. The ticket
 * workflow tells it in each {@link OutboundMessage} it queues; here, below the activities, so that
 * both see it. Rows enqueued before the column existed have the kind their key shows (migration V30,
 * the same causes as {@link #ofWorkflowKey}), and so have messages a workflow queued before it told
 * the kind ({@link #ofWorkflow}).
 */
public enum MessageKind {
  /** Any message of no kind the sender treats apart: replies, acknowledgements, answers, new topics, edits. */
  OTHER,
  /** "⏰ … first response due 09:45 (80% of the time used).": by DM, its fallback, or where staff read. */
  FIRST_RESPONSE_WARNING("first-response-warning"),
  /** "⏰ … the customer has waited 1 min for a reply." */
  NEXT_RESPONSE_BREACH("next-response-breach"),
  /** "⏰ … is not resolved within 1 day, the resolution time." */
  RESOLUTION_BREACH("resolution-breach"),
  /** "💤 … has had no message for …": the stale reminder. */
  STALE_REMINDER("stale"),
  /** "⚠️ No agent has answered within 1 min. …" ({@link StaffNotice#FIRST_RESPONSE_BREACH}). */
  FIRST_RESPONSE_BREACH("first-response-breach"),
  /** "🚨 Still unanswered 1 min after the escalation: moved to Level 2. …" ({@link StaffNotice#ESCALATION_CHAIN}). */
  ESCALATION_CHAIN("escalation-chain"),
  /**
   * "⬆️ Escalated to Level 2: …", /escalate's answer ({@link StaffNotice#ESCALATED}): keyed as any
   * command's answer, so a message without a kind is known by its text only.
   */
  ESCALATED,
  /** A ticket's Level 2 summary: in its Level 2 topic, or to the supervisors by DM where none opens. */
  LEVEL2_SUMMARY("l2-summary", "level2-summary");

  /** The causes the ticket workflow names it by in its outbox keys (Ticket.post, directMessage, staffNote). */
  private final String[] causes;

  MessageKind(String... causes) {
    this.causes = causes;
  }

  /**
   * The kind of a message the ticket workflow queued: the one it gave ({@link OutboundMessage#kind}).
   * A message queued before the workflow gave one (its activity scheduled by the release before,
   * still in a running history) has none, and its kind is read here, once, where it enters the
   * outbox: a staff notice by how its text starts ({@link StaffNotice#of}), else by the cause the
   * workflow put in its key after the run ({@code <run>:<cause>}, then {@code :<due>}, {@code
   * :dm:<id>}, {@code :fallback:<id>}, {@code :staff}). Messages the activities build without a kind
   * (a command's DM) are read the same way.
   */
  public static MessageKind ofWorkflow(OutboundMessage m) {
    return m.kind() != null ? m.kind() : ofText(m);
  }

  /** The kind of {@code m} as read from its text and key, whatever kind it carries. */
  static MessageKind ofText(OutboundMessage m) {
    Optional<MessageKind> notice = StaffNotice.of(m.html()).flatMap(MessageKind::of);
    return notice.orElseGet(() -> ofWorkflowKey(m.key()));
  }

  /** The kind whose cause {@code key} names ({@code :<cause>} at its end or before a {@code :}), else OTHER. */
  public static MessageKind ofWorkflowKey(String key) {
    for (MessageKind kind : values()) {
      for (String cause : kind.causes) {
        if (key.endsWith(":" + cause) || key.contains(":" + cause + ":")) {
          return kind;
        }
      }
    }
    return OTHER;
  }

  /** The kind of a staff notice, if it has one of its own. */
  public static Optional<MessageKind> of(StaffNotice notice) {
    return switch (notice) {
      case FIRST_RESPONSE_BREACH -> Optional.of(FIRST_RESPONSE_BREACH);
      case ESCALATION_CHAIN -> Optional.of(ESCALATION_CHAIN);
      case ESCALATED -> Optional.of(ESCALATED);
      case ON_HOLD, RESUMED -> Optional.empty();
    };
  }

  /** The kind stored as {@code name}; OTHER for none or one this version does not know. */
  public static MessageKind named(String name) {
    return Arrays.stream(values()).filter(k -> k.name().equals(name)).findFirst().orElse(OTHER);
  }
}
