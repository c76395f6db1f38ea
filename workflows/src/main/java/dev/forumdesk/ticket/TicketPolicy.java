package dev.forumdesk.ticket;

import dev.forumdesk.sla.BusinessHours;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The configuration a ticket runs under, captured when it opens so a replay or continue-as-new
 * sees the same values even if the config file changes later. {@code searchAttributes}: upsert
 * the Ticket* search attributes (a real cluster has them registered; the embedded server not).
 * {@code relay}: support.mode relay, where the customer cannot see the topic (the agents' forum)
 * and what the bot tells them goes to their private chat; false in policies recorded before it.
 */
public record TicketPolicy(
    Duration firstResponse,
    Duration nextResponse,
    Duration resolution,
    Duration staleAfter,
    Duration autoCloseResolved,
    Map<Priority, Duration> firstResponseByPriority,
    BusinessHours businessHours,
    List<Person> supervisors,
    long level2ChatId,
    String seniorGroup,
    List<Person> seniorAgents,
    int recurringTickets,
    Duration recurringWithin,
    double negativeSentimentThreshold,
    boolean searchAttributes,
    boolean relay) {

  public static TicketPolicy defaults() {
    return new TicketPolicy(
        Duration.ofMinutes(30),
        Duration.ofHours(2),
        Duration.ofHours(24),
        Duration.ofHours(24),
        Duration.ofDays(3),
        Map.of(Priority.HIGH, Duration.ofMinutes(10), Priority.URGENT, Duration.ofMinutes(5)),
        null,
        List.of(),
        -1009876543210L,
        "senior",
        List.of(),
        5,
        Duration.ofDays(7),
        -0.5,
        false,
        false);
  }

  /** First-response time for a priority: the per-priority override or the default. */
  public Duration firstResponseFor(Priority p) {
    return firstResponseByPriority.getOrDefault(p, firstResponse);
  }

  public TicketPolicy withSupervisors(List<Person> people) {
    return new TicketPolicy(firstResponse, nextResponse, resolution, staleAfter, autoCloseResolved,
        firstResponseByPriority, businessHours, people, level2ChatId, seniorGroup, seniorAgents,
        recurringTickets, recurringWithin, negativeSentimentThreshold, searchAttributes, relay);
  }

  public TicketPolicy withDurations(Duration first, Duration next, Duration resolve, Duration stale, Duration autoClose) {
    return new TicketPolicy(first, next, resolve, stale, autoClose, Map.of(), businessHours, supervisors,
        level2ChatId, seniorGroup, seniorAgents, recurringTickets, recurringWithin,
        negativeSentimentThreshold, searchAttributes, relay);
  }

  public TicketPolicy withBusinessHours(BusinessHours hours) {
    return new TicketPolicy(firstResponse, nextResponse, resolution, staleAfter, autoCloseResolved,
        firstResponseByPriority, hours, supervisors, level2ChatId, seniorGroup, seniorAgents,
        recurringTickets, recurringWithin, negativeSentimentThreshold, searchAttributes, relay);
  }

  public TicketPolicy withSeniors(List<Person> seniors) {
    return new TicketPolicy(firstResponse, nextResponse, resolution, staleAfter, autoCloseResolved,
        firstResponseByPriority, businessHours, supervisors, level2ChatId, seniorGroup, seniors,
        recurringTickets, recurringWithin, negativeSentimentThreshold, searchAttributes, relay);
  }

  /** @param upsert whether tickets carry the Ticket* search attributes (a cluster that has them registered) */
  public TicketPolicy withSearchAttributes(boolean upsert) {
    return new TicketPolicy(firstResponse, nextResponse, resolution, staleAfter, autoCloseResolved,
        firstResponseByPriority, businessHours, supervisors, level2ChatId, seniorGroup, seniorAgents,
        recurringTickets, recurringWithin, negativeSentimentThreshold, upsert, relay);
  }

  /** @param on support.mode relay: see {@link TicketPolicy} */
  public TicketPolicy withRelay(boolean on) {
    return new TicketPolicy(firstResponse, nextResponse, resolution, staleAfter, autoCloseResolved,
        firstResponseByPriority, businessHours, supervisors, level2ChatId, seniorGroup, seniorAgents,
        recurringTickets, recurringWithin, negativeSentimentThreshold, searchAttributes, on);
  }
}
