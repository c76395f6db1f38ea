package dev.forumdesk.routing;

import io.temporal.activity.ActivityInterface;

/**
 * Phase 2's side effects. Enrichments never throw for bad data (they answer a fallback with a
 * reason); a thrown failure or timeout is handled by {@link RoutingStep} the same way.
 */
@ActivityInterface
public interface RoutingActivities {
  /** The routing rules of the current configuration (reloaded when the file changes). */
  RoutingRules rules();

  LanguageGuess detectLanguage(LanguageRequest request);

  SentimentScore sentiment(SentimentRequest request);

  /** CRM tier (or the built-in tier table), recent tickets and last agent from the read model. */
  CustomerProfile customer(CustomerRequest request);

  /**
   * Atomically picks an agent under the requirements and records the assignment, or answers
   * without an agent when every capable agent is away or at cap. Idempotent per ticket.
   */
  AssignResult assign(AssignRequest request);

  /** Puts the agent's name in the topic title via editForumTopic (outbox, idempotent). */
  void lockTitle(TitleLock lock);

  record LanguageRequest(String ticketId, long customerId, String text) {}

  record LanguageGuess(String language, String reason) {}

  record SentimentRequest(String ticketId, String text) {}

  record SentimentScore(double score, String reason) {}

  record CustomerRequest(String ticketId, long customerId) {}

  record CustomerProfile(String tier, int recentTickets, Long lastAgentId, java.util.List<String> reasons) {}

  record TitleLock(String ticketId, long chatId, long threadId, String title, dev.forumdesk.ticket.Person agent) {}
}
