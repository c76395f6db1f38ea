package dev.forumdesk.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forumdesk.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What routing asks the database about a customer: Telegram language, recent tickets, last agent. */
public final class CustomerHistory {
  private final Database db;

  public CustomerHistory(Database db) {
    this.db = db;
  }

  /**
   * The customer's Telegram {@code language_code}, from the raw updates of the ticket in the
   * inbox: the workflow events carry no language, the stored update does.
   */
  public Optional<String> telegramLanguage(String ticketId, long customerId) {
    List<String> payloads = db.inboxJdbi().withHandle(h -> h.createQuery(
            "select payload from inbox where ticket_id = :t order by update_id limit 20")
        .bind("t", ticketId).mapTo(String.class).list());
    for (String p : payloads) {
      try {
        JsonNode from = Json.mapper().readTree(p).path("message").path("from");
        if (from.path("id").asLong() == customerId && from.hasNonNull("language_code")) {
          return Optional.of(from.get("language_code").asText());
        }
      } catch (Exception malformed) {
        // a stored update we cannot read says nothing about the language
      }
    }
    return Optional.empty();
  }

  /** Tickets of this customer created since {@code since}, other than {@code ticketId}. */
  public int ticketsSince(long customerId, Instant since, String ticketId) {
    return db.jdbi().withHandle(h -> h.createQuery(
            "select count(*) from tickets where customer_id = :c and created_at >= :since and id <> :t")
        .bind("c", customerId).bind("since", since).bind("t", ticketId).mapTo(Integer.class).one());
  }

  /** The agent of the customer's most recent other ticket that had one. */
  public Optional<Long> lastAgent(long customerId, String ticketId) {
    return db.jdbi().withHandle(h -> h.createQuery(
            "select assignee_id from tickets where customer_id = :c and id <> :t and assignee_id is not null"
                + " order by created_at desc limit 1")
        .bind("c", customerId).bind("t", ticketId).mapTo(Long.class).findOne());
  }
}
