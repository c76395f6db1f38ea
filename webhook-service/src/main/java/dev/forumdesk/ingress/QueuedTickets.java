package dev.forumdesk.ingress;

import dev.forumdesk.json.Json;
import dev.forumdesk.store.Inbox;
import dev.forumdesk.store.InboxRow;
import dev.forumdesk.telegram.Update;
import dev.forumdesk.ticket.Opening;
import dev.forumdesk.ticket.TicketState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tickets whose opening update is acknowledged and safe in the inbox but not yet with their
 * workflow: behind a backlog, or while Temporal is down. The team sees them at once, as the
 * workflow's first projection will show them ({@link Opening}); the read model takes over as soon
 * as that projection lands.
 */
public final class QueuedTickets {
  private static final Logger log = LoggerFactory.getLogger(QueuedTickets.class);

  private final Inbox inbox;
  private final UpdateClassifier classifier;
  private final TicketGateway gateway;

  public QueuedTickets(Inbox inbox, UpdateClassifier classifier, TicketGateway gateway) {
    this.inbox = inbox;
    this.classifier = classifier;
    this.gateway = gateway;
  }

  /** The ticket as its waiting opening update will open it; empty when nothing waits to open it. */
  public Optional<TicketState> find(String ticketId) {
    return inbox.firstUnapplied(ticketId).flatMap(this::preview);
  }

  /** The oldest topics created that wait for their workflow, at most {@code limit}. */
  public List<TicketState> waiting(int limit) {
    return inbox.unappliedOfKind(UpdateClassifier.TOPIC_CREATED, limit).stream().flatMap(r -> preview(r).stream()).toList();
  }

  /**
   * Every waiting topic created in {@code [from, to)}; bounded, as the inbox holds at most
   * {@code ingress.max-backlog} undelivered updates.
   */
  public List<TicketState> createdBetween(Instant from, Instant to) {
    return waiting(Integer.MAX_VALUE).stream()
        .filter(t -> t.createdAt() != null && !t.createdAt().isBefore(from) && t.createdAt().isBefore(to))
        .toList();
  }

  private Optional<TicketState> preview(InboxRow row) {
    try {
      if (classifier.classify(Json.read(row.payload(), Update.class)) instanceof Classified.ForTicket t && t.startsTicket()) {
        return Optional.of(Opening.preview(gateway.unopened(t), t.event()));
      }
    } catch (RuntimeException e) { // a row the dispatcher will refuse and log; nothing to show
      log.debug("no preview of inbox row {}: {}", row.updateId(), e.toString());
    }
    return Optional.empty();
  }
}
