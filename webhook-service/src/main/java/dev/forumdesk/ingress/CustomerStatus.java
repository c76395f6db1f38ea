package dev.forumdesk.ingress;

import dev.forumdesk.outbox.StatusCard;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.Role;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketState;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A customer's /status, answered from the read model (the tickets the dashboard and /api/tickets
 * show) instead of asking the ticket's workflow: it is answered while Temporal is slow or down, and
 * in group mode it never reaches the workflow's command rules, which are the staff's. The answer is
 * the customer's card ({@link StatusCard#forCustomer(String, Status, String)}): the request's title,
 * the status in words and who has it; nothing of the priority, level, queue or SLA dues (audit 16b, F2).
 */
public final class CustomerStatus {
  /** A group topic with no ticket to show: what a staff member's command there is told too (CommandAnswers). */
  static final String NO_TICKET = "This topic has no open ticket. A message here (not a command) opens one.";

  private final Function<String, Optional<TicketState>> readModel;

  /** @param readModel a ticket as the read model has it, by id */
  public CustomerStatus(Function<String, Optional<TicketState>> readModel) {
    this.readModel = readModel;
  }

  /**
   * As /api/tickets reads a ticket: its projection, else, while its opening waits in the inbox or for
   * its first projection, the ticket that opening opens. A CLOSED projection with a message waiting
   * to open its follow-up gives the follow-up (the customer just wrote in the closed topic and asks
   * before the new run's first projection: "closed" would be wrong).
   */
  public static CustomerStatus of(TicketStore store, QueuedTickets queued) {
    return new CustomerStatus(id -> followUpOrStored(store.find(id), () -> queued.find(id)));
  }

  /** {@code stored} unless it is missing or CLOSED and {@code waiting} has a ticket. */
  static Optional<TicketState> followUpOrStored(Optional<TicketState> stored, Supplier<Optional<TicketState>> waiting) {
    if (stored.isPresent() && stored.get().status() != Status.CLOSED) {
      return stored;
    }
    Optional<TicketState> opening = waiting.get();
    return opening.isPresent() ? opening : stored;
  }

  /** Ticket {@code ticketId} as the read model has it, if it was opened. */
  Optional<TicketState> ticket(String ticketId) {
    return readModel.apply(ticketId).filter(TicketState::opened);
  }

  /** The customer's card of {@code t}. */
  static String card(TicketState t) {
    return StatusCard.forCustomer(requestTitle(t), t.status(), t.assignee() == null ? null : t.assignee().name());
  }

  /**
   * The answer to a customer's /status typed in their ticket's topic (group mode): its card, a
   * CLOSED one's too (the customer asks about the topic they read), or, where the read model has no
   * ticket, that the topic has none. Empty for any other command, a staff member's /status (the
   * workflow's full card, which reaches the topic as the customer's card and the asker by DM) and a
   * /status in a Level 2 topic. Decided from the command; the card is read from the read model when
   * the answer is asked for.
   */
  public Optional<Supplier<String>> answer(Classified.Command c) {
    if (c.request().role() != Role.CUSTOMER || c.request().answerIn() != null
        || !c.request().name().toLowerCase(Locale.ROOT).equals("status")) {
      return Optional.empty();
    }
    return Optional.of(() -> ticket(c.ticketId()).map(CustomerStatus::card).orElse(NO_TICKET)); // read when posted
  }

  /** The request as the customer wrote it: the topic's name without the relay's "Bob: " before it. */
  private static String requestTitle(TicketState t) {
    String prefix = t.customer() == null ? null : t.customer().name() + ": ";
    return prefix != null && t.title().startsWith(prefix) && t.title().length() > prefix.length()
        ? t.title().substring(prefix.length()) : t.title();
  }
}
