package dev.forumdesk.routing;

import dev.forumdesk.ticket.CommandRequest;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.Priority;
import dev.forumdesk.ticket.TicketState;
import java.util.function.UnaryOperator;

/** The ticket as phase 2 sees it: read the snapshot, amend routing fields with an audit entry. */
public interface RoutableTicket {
  TicketState snapshot();

  /** Replaces the routing-owned fields (queue, category, assignee, language, tier, routing). */
  default void amend(UnaryOperator<TicketState> change, String auditEvent, String reason) {
    amend(change, auditEvent, reason, "system");
  }

  /** As {@link #amend(UnaryOperator, String, String)}, audited as done by {@code actor} ("supervisor:900001"). */
  void amend(UnaryOperator<TicketState> change, String auditEvent, String reason, String actor);

  /** Raises priority through the lifecycle, so SLA clocks follow; never lowers it. */
  void raisePriority(Priority priority, String reason);

  /** The first message's sentiment: the lifecycle raises priority and notifies below the threshold. */
  void sentimentScored(double score);

  /** A later customer message's sentiment; {@code source} (its event id) makes it fire once. */
  void sentimentScored(double score, String source);

  /**
   * Answers a command where it was typed, the ticket's topic or its Level 2 topic (through the
   * lifecycle's effects, keyed by the command's event).
   */
  void answer(CommandRequest command, String html, MessageKind kind);
}
