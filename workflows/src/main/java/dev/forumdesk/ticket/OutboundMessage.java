package dev.forumdesk.ticket;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A bot message the workflow wants sent. {@code key} makes the send idempotent: the outbox keeps
 * one row per key, so a retried activity never posts twice.
 *
 * @param kind what it says, for the sender ({@link MessageKind}): the workflow tells it; null in a
 *     message recorded before it did (its history still running), or built by an activity that
 *     gives the outbox the kind itself, and then read from the key and text ({@link
 *     MessageKind#ofWorkflow}). Left out of the payload when null; a kind this release does not
 *     know reads as null, so a rolled-back worker reads it as before.
 */
public record OutboundMessage(
    String key, long chatId, Long threadId, String html, int priority,
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL) MessageKind kind) {
  /** Escalations and SLA warnings go before anything else. */
  public static final int URGENT = 0;
  /**
   * A person's escalation calling the supervisors ("⬆️ Escalated to Level 2 … @sam, please take a
   * look."), set where it is queued (the activities' PrivateNotes): before the URGENT breaches and
   * chain notices of a storm, which waited before it 2 min 48 s in the staff forum's 20 a minute
   * (audit 16).
   */
  public static final int ESCALATION = URGENT - 1;

  public static final int NORMAL = 5;
  /** Acknowledgements and other notices may wait. */
  public static final int LOW = 9;

  /** A message of no kind told: the outbox reads it from the key and text, or is told by its enqueuer. */
  public OutboundMessage(String key, long chatId, Long threadId, String html, int priority) {
    this(key, chatId, threadId, html, priority, null);
  }

  /** The same message with {@code text} instead of its own: same key, place, priority and kind. */
  public OutboundMessage withHtml(String text) {
    return new OutboundMessage(key, chatId, threadId, text, priority, kind);
  }
}
