package dev.forumdesk.app;

import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.config.LiveConfig;
import dev.forumdesk.ingress.UpdateClassifier;
import dev.forumdesk.store.Database;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who was an agent: every id with a row in {@code agents} (each configured agent gets one, and a
 * reload that removes them keeps it) or configured since the start. Read once and at each reload,
 * so a customer's message costs a set look-up; only a past agent's costs a query, for the
 * ticket's customer.
 */
final class PastAgents implements UpdateClassifier.FormerAgents {
  private final Database db;
  private final LiveConfig config;
  private final Set<Long> ids = ConcurrentHashMap.newKeySet();

  PastAgents(Database db, LiveConfig config) {
    this.db = db;
    this.config = config;
    learn();
    config.onReload(this::learn);
  }

  private void learn() {
    config.get().agents().stream().map(AgentConfig::id).forEach(ids::add);
    ids.addAll(db.jdbi().withHandle(h -> h.createQuery("select id from agents").mapTo(Long.class).list()));
  }

  @Override
  public boolean writesInOthersTicket(long userId, String ticketId) {
    if (!ids.contains(userId) || config.get().agent(userId).isPresent()) {
      return false;
    }
    // a ticket not projected yet, or one they opened themselves: theirs as a customer
    return db.jdbi().withHandle(h -> h.createQuery("select customer_id from tickets where id = :t and customer_id is not null")
            .bind("t", ticketId).mapTo(Long.class).findOne())
        .filter(customer -> customer != userId)
        .isPresent();
  }
}
