package dev.forumdesk.store;

import java.time.Instant;
import java.util.Optional;

/** Which Level 2 topic belongs to which ticket, both ways. */
public final class Level2Topics {
  private final Database db;

  public Level2Topics(Database db) {
    this.db = db;
  }

  public Optional<Long> threadOf(String ticketId) {
    return db.jdbi().withHandle(h -> h.createQuery("select thread_id from level2_topics where ticket_id = :id")
        .bind("id", ticketId).mapTo(Long.class).findOne());
  }

  public Optional<String> ticketOf(long chatId, long threadId) {
    return db.jdbi().withHandle(h -> h.createQuery(
            "select ticket_id from level2_topics where chat_id = :chat and thread_id = :thread")
        .bind("chat", chatId).bind("thread", threadId).mapTo(String.class).findOne());
  }

  public void save(String ticketId, long chatId, long threadId) {
    db.jdbi().useHandle(h -> h.createUpdate(
            "insert into level2_topics (ticket_id, chat_id, thread_id, created_at) values (:id, :chat,"
                + " :thread, :now) on conflict do nothing")
        .bind("id", ticketId).bind("chat", chatId).bind("thread", threadId).bind("now", Instant.now())
        .execute());
  }
}
