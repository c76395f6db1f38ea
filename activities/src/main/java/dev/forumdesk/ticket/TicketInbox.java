package dev.forumdesk.ticket;

import java.util.List;
import java.util.Optional;

/**
 * What the inbox holds for a ticket that its read model does not show yet: the {@code Inbox} where the
 * worker reads it, {@link #NONE} where there is none to look at (tests without an inbox).
 */
public interface TicketInbox {
  /** No inbox to look at: nothing waits, and no topic name is known before the projection. */
  TicketInbox NONE = new TicketInbox() {
    @Override
    public List<Long> backlog(String ticketId, Long customerId) {
      return List.of();
    }

    @Override
    public Optional<String> topicName(String ticketId) {
      return Optional.empty();
    }
  };

  /**
   * The update ids of {@code ticketId}'s rows (and {@code customerId}'s relay rows) not applied yet,
   * oldest first ({@link TicketActivities#inboxBacklog}, lifecycle rules 13).
   */
  List<Long> backlog(String ticketId, Long customerId);

  /**
   * The name of the ticket's topic, from the update that opens it while no projection shows the ticket
   * (its forum_topic_created, or a first message that carries its topic's name): a notice queued in the
   * ticket's first workflow task names the ticket by it, not by its id.
   */
  Optional<String> topicName(String ticketId);
}
