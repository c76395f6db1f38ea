package dev.forumdesk.ticket;

import java.time.Duration;
import java.util.List;

/**
 * The configuration a ticket runs under, captured when it opens so a replay or continue-as-new
 * sees the same values even if the config file changes later. {@code searchAttributes}: upsert
 * the Ticket* search attributes (a real cluster has them registered; the embedded server not).
 */
public record TicketPolicy(
    Duration firstResponse,
    Duration nextResponse,
    Duration resolution,
    Duration staleAfter,
    Duration autoCloseResolved,
    List<Person> supervisors,
    boolean searchAttributes) {

  public static TicketPolicy defaults() {
    return new TicketPolicy(
        Duration.ofMinutes(30),
        Duration.ofHours(2),
        Duration.ofHours(24),
        Duration.ofHours(24),
        Duration.ofDays(3),
        List.of(),
        false);
  }
}
