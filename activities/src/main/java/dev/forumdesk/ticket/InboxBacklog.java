package dev.forumdesk.ticket;

import java.util.List;

/**
 * The updates that wait in the inbox for a ticket (lifecycle rules 13, {@link
 * TicketActivities#inboxBacklog}): {@code Inbox::backlog} where the worker reads the inbox, {@link
 * #NONE} where nothing waits (tests without an inbox): late deadlines then fire at once, as before.
 */
@FunctionalInterface
public interface InboxBacklog {
  /** No inbox to look at: nothing waits. */
  InboxBacklog NONE = (ticketId, customerId) -> List.of();

  /** The update ids of {@code ticketId}'s rows (and {@code customerId}'s relay rows) not applied yet, oldest first. */
  List<Long> of(String ticketId, Long customerId);
}
