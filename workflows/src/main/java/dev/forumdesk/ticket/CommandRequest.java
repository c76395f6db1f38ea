package dev.forumdesk.ticket;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A bot command (or dashboard/API action) for a ticket, sent as a Temporal update so the sender
 * learns whether it was accepted. {@code name} without the slash, e.g. "hold"; {@code source}
 * is "telegram" or "api".
 *
 * @param answerIn the topic the command was typed in when it is not the ticket's own (its Level 2
 *     topic): the answer goes there. Null for the ticket's topic and the API, and in requests
 *     recorded before commands could come from elsewhere; left out when null, so such a request
 *     reads as before
 */
public record CommandRequest(
    String eventId, Instant at, Person from, Role role, String name, String args, String source,
    @JsonInclude(JsonInclude.Include.NON_NULL) ForumTopic answerIn) {
  /** A command in the ticket's own topic, or an API action: answered in the ticket's topic. */
  public CommandRequest(String eventId, Instant at, Person from, Role role, String name, String args, String source) {
    this(eventId, at, from, role, name, args, source, null);
  }
}
