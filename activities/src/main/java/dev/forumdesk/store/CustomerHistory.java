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

  /** What a ticket's customer wrote first, and their Telegram language_code (may be null). */
  public record OpeningWords(String text, String telegramCode) {}

  /**
   * What the customer who opened the ticket wrote so far (the topic's title on the first line, as
   * {@link dev.forumdesk.nlp.Languages#detectTopic} reads it, then their messages) and
   * their Telegram {@code language_code}, from the ticket's first raw updates in the inbox; empty
   * when none is there.
   */
  public Optional<OpeningWords> openingWords(String ticketId) {
    List<String> payloads = db.inboxJdbi().withHandle(h -> h.createQuery(
            "select payload from inbox where ticket_id = :t order by update_id limit 5")
        .bind("t", ticketId).mapTo(String.class).list());
    StringBuilder title = new StringBuilder();
    StringBuilder text = new StringBuilder();
    Long customer = null;
    String code = null;
    for (String p : payloads) {
      try {
        JsonNode message = Json.mapper().readTree(p).path("message");
        long from = message.path("from").path("id").asLong();
        if (customer == null && from != 0) {
          customer = from;
          code = message.path("from").hasNonNull("language_code") ? message.path("from").get("language_code").asText() : null;
        }
        if (customer != null && from == customer) {
          title.append(message.path("forum_topic_created").path("name").asText(""));
          text.append(message.path("text").asText(message.path("caption").asText(""))).append('\n');
        }
      } catch (Exception malformed) {
        // a stored update we cannot read says nothing of the customer's words
      }
    }
    return customer == null ? Optional.empty()
        : Optional.of(new OpeningWords(title.toString().strip() + "\n" + text.toString().strip(), code));
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
