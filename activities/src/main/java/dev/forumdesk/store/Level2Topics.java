package dev.forumdesk.store;

import dev.forumdesk.ticket.ForumTopic;
import java.time.Instant;
import java.util.Optional;

/**
 * Which Level 2 topic belongs to which run's escalation, and to which ticket. A run is named by the
 * start of its outbox keys: the ticket id for a ticket's first run, {@code <ticket id>:after:<previous
 * run>} for a follow-up, whose escalation gets a topic of its own (V18). Every topic of a ticket leads
 * back to it.
 */
public final class Level2Topics {
  /**
   * What a run's key is followed by in the outbox key of its Level 2 topic's createForumTopic; one
   * asked again has {@code :again-<n>} after it (NewTopics).
   */
  public static final String OUTBOX_KEY = ":l2-topic";

  private final Database db;

  public Level2Topics(Database db) {
    this.db = db;
  }

  /** The topic opened for {@code run}'s escalation, if any: in the forum it was opened in, whatever the one of now. */
  public Optional<ForumTopic> topicOf(String run) {
    return db.jdbi().withHandle(h -> h.createQuery("select chat_id, thread_id from level2_topics where run_key = :run")
        .bind("run", run).map((rs, ctx) -> new ForumTopic(rs.getLong(1), rs.getLong(2))).findOne());
  }

  /**
   * How many tickets that are not CLOSED have a Level 2 topic in another chat than {@code level2ChatId}:
   * opened before a restart that changed support.level2-chat-id (audit 9, F3).
   */
  public int openElsewhere(long level2ChatId) {
    return db.jdbi().withHandle(h -> h.createQuery("select count(distinct l.ticket_id) from level2_topics l"
            + " join tickets t on t.id = l.ticket_id where t.status <> 'CLOSED' and l.chat_id <> :chat")
        .bind("chat", level2ChatId).mapTo(Integer.class).one());
  }

  /**
   * The Level 2 topics still queued in the outbox (waiting for their forum's budget, or being sent)
   * for another chat than {@code level2ChatId}, by chat: queued before a restart that changed
   * support.level2-chat-id, they open there (audit 11, F1).
   */
  public java.util.SortedMap<Long, Integer> queuedElsewhere(long level2ChatId) {
    java.util.SortedMap<Long, Integer> queued = new java.util.TreeMap<>();
    db.jdbi().useHandle(h -> h.createQuery("select chat_id, count(*) from outbox where method = 'createForumTopic'"
            + " and status in ('PENDING', 'SENDING') and chat_id <> :chat and idem_key like :key group by chat_id")
        .bind("chat", level2ChatId).bind("key", "%" + OUTBOX_KEY + "%")
        .map((rs, ctx) -> java.util.Map.entry(rs.getLong(1), rs.getInt(2))).forEach(e -> queued.put(e.getKey(), e.getValue())));
    return queued;
  }

  public Optional<String> ticketOf(long chatId, long threadId) {
    return db.jdbi().withHandle(h -> h.createQuery(
            "select ticket_id from level2_topics where chat_id = :chat and thread_id = :thread")
        .bind("chat", chatId).bind("thread", threadId).mapTo(String.class).findOne());
  }

  /** Records {@code run}'s topic; a retried activity keeps the first one saved. */
  public void save(String run, String ticketId, long chatId, long threadId) {
    db.jdbi().useHandle(h -> h.createUpdate(
            "insert into level2_topics (run_key, ticket_id, chat_id, thread_id, created_at) values (:run, :id,"
                + " :chat, :thread, :now) on conflict do nothing")
        .bind("run", run).bind("id", ticketId).bind("chat", chatId).bind("thread", threadId).bind("now", Instant.now())
        .execute());
  }
}
