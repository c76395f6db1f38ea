package dev.forumdesk.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import java.time.Instant;
import java.util.Optional;

/**
 * Relay mode's topics: which customer each topic the bot opened in the agents' forum belongs to,
 * and which update opened it.
 */
public final class RelayTopics {
  /** A topic the bot opened for a customer. */
  public record Topic(long chatId, long threadId, long customerId, String ticketId) {}

  private final Database db;

  public RelayTopics(Database db) {
    this.db = db;
  }

  /**
   * The customer's newest topic whose ticket is not CLOSED (or not projected yet): where their next
   * private message goes. A CLOSED ticket's customer gets a new topic, one per ticket.
   */
  public Optional<Topic> openTopicOf(long customerId) {
    return db.jdbi().withHandle(h -> h.createQuery(
            "select r.chat_id, r.thread_id, r.customer_id, r.ticket_id from relay_topics r"
                + " left join tickets t on t.id = r.ticket_id"
                + " where r.customer_id = :customer and (t.status is null or t.status <> 'CLOSED')"
                + " order by r.created_at desc limit 1")
        .bind("customer", customerId)
        .map((rs, ctx) -> new Topic(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4)))
        .findOne());
  }

  /**
   * The customer's name, if {@code ticketId}'s ticket is CLOSED (as last projected): a topic an
   * agent may not start a follow-up in while the customer has another open ticket.
   */
  public Optional<String> closedTicketsCustomer(String ticketId) {
    return db.jdbi().withHandle(h -> h.createQuery("select state from tickets where id = :id and status = 'CLOSED'")
        .bind("id", ticketId)
        .mapTo(String.class)
        .findOne())
        .map(state -> Json.read(state, JsonNode.class).path("customer").path("name").asText("the customer"));
  }

  /** The topic this update opened already (a redelivery after the call or a crash), if any. */
  public Optional<Topic> openedBy(String eventId) {
    return db.jdbi().withHandle(h -> h.createQuery(
            "select chat_id, thread_id, customer_id, ticket_id from relay_topics where opened_by = :event")
        .bind("event", eventId)
        .map((rs, ctx) -> new Topic(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4)))
        .findOne());
  }

  /** The customer a topic of the forum was opened for, if the bot opened it. */
  public Optional<Long> customerOf(long chatId, long threadId) {
    return db.jdbi().withHandle(h -> h.createQuery(
            "select customer_id from relay_topics where chat_id = :chat and thread_id = :thread")
        .bind("chat", chatId).bind("thread", threadId).mapTo(Long.class).findOne());
  }

  public void save(Topic t, String openedBy) {
    db.jdbi().useHandle(h -> h.createUpdate(
            "insert into relay_topics (chat_id, thread_id, customer_id, ticket_id, opened_by, created_at)"
                + " values (:chat, :thread, :customer, :ticket, :event, :now) on conflict do nothing")
        .bind("chat", t.chatId()).bind("thread", t.threadId()).bind("customer", t.customerId())
        .bind("ticket", t.ticketId()).bind("event", openedBy).bind("now", Instant.now())
        .execute());
  }
}
