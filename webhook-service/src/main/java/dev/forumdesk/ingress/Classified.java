package dev.forumdesk.ingress;

import dev.forumdesk.ticket.TicketEvent;

/** What an Update means to Forumdesk. */
public sealed interface Classified {
  /** Short label stored with the inbox row (for metrics and debugging). */
  String kind();

  record ForTicket(String ticketId, long chatId, long threadId, TicketEvent event, String kind)
      implements Classified {}

  record Ignored(String kind) implements Classified {}
}
