package dev.forumdesk.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Every bot message goes through here. Enqueueing is idempotent by key; a row is marked SENT with
 * Telegram's message id in one statement, so a restart never sends it twice.
 */
public final class Outbox {
  private final Database db;

  public Outbox(Database db) {
    this.db = db;
  }

  /** @return true when enqueued now, false when a message with this key already exists. */
  public boolean enqueue(
      String key, long chatId, Long threadId, String method, String payload, int priority) {
    return enqueue(key, chatId, threadId, method, payload, priority, null, null);
  }

  /**
   * @param ticketId the ticket the message is about, told when Telegram refuses it for good
   * @param fallback JSON of another row (key, chat_id, thread_id, payload) to send instead then
   */
  public boolean enqueue(
      String key, long chatId, Long threadId, String method, String payload, int priority,
      String ticketId, String fallback) {
    Instant now = Instant.now();
    return db.jdbi()
            .withHandle(
                h ->
                    h.createUpdate(
                            "insert into outbox (idem_key, chat_id, thread_id, method, payload,"
                                + " priority, status, next_attempt_at, created_at, ticket_id,"
                                + " fallback) values (:key, :chat, :thread, :method, :payload,"
                                + " :priority, 'PENDING', :now, :now, :ticket, :fallback) on"
                                + " conflict do nothing")
                        .bind("key", key)
                        .bind("chat", chatId)
                        .bind("thread", threadId)
                        .bind("method", method)
                        .bind("payload", payload)
                        .bind("priority", priority)
                        .bind("now", now)
                        .bind("ticket", ticketId)
                        .bind("fallback", fallback)
                        .execute())
        == 1;
  }

  /** Pending rows whose time has come: most urgent first, then oldest. */
  public List<OutboxRow> due(int limit) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "select id, idem_key, chat_id, thread_id, method, payload, priority,"
                            + " attempts from outbox where status = 'PENDING' and next_attempt_at"
                            + " <= :now order by priority, id limit :limit")
                    .bind("now", Instant.now())
                    .bind("limit", limit)
                    .map(
                        (rs, ctx) ->
                            new OutboxRow(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getLong(3),
                                (Long) rs.getObject(4, Long.class),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getInt(7),
                                rs.getInt(8)))
                    .list());
  }

  public void sent(long id, Long messageId) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "update outbox set status = 'SENT', sent_at = :now, sent_message_id ="
                            + " :mid, attempts = attempts + 1 where id = :id")
                    .bind("now", Instant.now())
                    .bind("mid", messageId)
                    .bind("id", id)
                    .execute());
  }

  public void retryLater(long id, Duration delay, String error) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "update outbox set attempts = attempts + 1, next_attempt_at = :at,"
                            + " last_error = :error where id = :id")
                    .bind("at", Instant.now().plus(delay))
                    .bind("error", Inbox.truncate(error))
                    .bind("id", id)
                    .execute());
  }

  /** Telegram refused for good (400/403): keep the reason, never retry. */
  public void failed(long id, String reason) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "update outbox set status = 'FAILED', attempts = attempts + 1,"
                            + " last_error = :error where id = :id")
                    .bind("error", Inbox.truncate(reason))
                    .bind("id", id)
                    .execute());
  }

  /** What to do when a row is refused for good: its ticket and fallback, if it has them. */
  public record Refusal(String ticketId, String fallback) {}

  public java.util.Optional<Refusal> refusalOf(long id) {
    return db.jdbi().withHandle(h -> h.createQuery("select ticket_id, fallback from outbox where id = :id")
        .bind("id", id)
        .map((rs, ctx) -> new Refusal(rs.getString(1), rs.getString(2)))
        .findOne());
  }

  public long backlog() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("select count(*) from outbox where status = 'PENDING'")
                    .mapTo(Long.class)
                    .one());
  }
}
