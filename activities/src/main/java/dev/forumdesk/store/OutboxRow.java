package dev.forumdesk.store;

import dev.forumdesk.ticket.MessageKind;
import java.time.Instant;
import java.util.Objects;

/**
 * A bot message waiting in the outbox.
 *
 * @param nextAttemptAt not before then: a row retried later is still in the queue, and holds its
 *     topic's later messages back until it has gone
 * @param kind what it says, as its enqueuer told
 * @param turnPriority the priority of its turn ({@code Outbox#takeTurn}): its own, or a more urgent
 *     one a later message of its topic lent it, as it waits before that message
 */
public record OutboxRow(
    long id, String key, long chatId, Long threadId, String method, String payload, int priority,
    int attempts, Instant nextAttemptAt, MessageKind kind, int turnPriority) {

  /** A row whose turn is its own. */
  public OutboxRow(long id, String key, long chatId, Long threadId, String method, String payload, int priority,
      int attempts, Instant nextAttemptAt, MessageKind kind) {
    this(id, key, chatId, threadId, method, payload, priority, attempts, nextAttemptAt, kind, priority);
  }

  /** Whether this row may go at {@code now}, or waits for its retry. */
  public boolean dueAt(Instant now) {
    return !nextAttemptAt.isAfter(now);
  }

  /** Same chat and same topic; a private chat, or a group's General topic, is one topic. */
  public boolean sameTopic(OutboxRow other) {
    return chatId == other.chatId && Objects.equals(threadId, other.threadId);
  }
}
