package dev.forumdesk.helpdesk;

import dev.forumdesk.ticket.Person;
import java.util.concurrent.atomic.AtomicLong;

/** Tickets to create in a help desk, each with an id of its own, as Forumdesk's tickets have. */
final class NewTickets {
  private static final AtomicLong NEXT = new AtomicLong();

  private NewTickets() {}

  static HelpDesk.NewTicket ticket(String subject, String content, Person requestor) {
    return new HelpDesk.NewTicket("ticket-test-" + NEXT.incrementAndGet(), subject, content, requestor);
  }
}
