package dev.forumdesk.routing;

import dev.forumdesk.ticket.TicketState;
import java.util.function.UnaryOperator;

/** The ticket as phase 2 sees it: read the snapshot, amend routing fields with an audit entry. */
public interface RoutableTicket {
  TicketState snapshot();

  void amend(UnaryOperator<TicketState> change, String auditEvent, String reason);
}
