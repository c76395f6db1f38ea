package dev.forumdesk.routing;

import dev.forumdesk.ticket.AuditEntry;
import dev.forumdesk.ticket.TicketState;
import java.util.List;

/**
 * The queue a ticket's run was routed to (billing, technical, a language team, the senior group…),
 * which a move to Level 2 does not change. What the report's {@code byQueue}, {@code ?queue=}, the
 * ticket JSON's {@code routedQueue} (audit 8, F5) and /status's card (audit 9, F10) show; the only
 * place it is derived from a snapshot, also for the migration that fills the read model's column.
 */
public final class RoutedQueue {
  /** The queue a ticket moved to Level 2 is in ({@code Transitions}, {@code Escalations}). */
  public static final String LEVEL2 = "level2";
  /** How the ROUTED entry's reason starts ({@link RoutingStep}): "queue billing, category …". */
  private static final String ROUTED_QUEUE = "queue ";

  private RoutedQueue() {}

  /**
   * The queue it is in, unless that is {@value #LEVEL2}; then the one its last routing decision
   * named (the run's ROUTED entry, "queue billing, category billing, priority NORMAL"), else its
   * category, else general (escalated before phase 2 routed it).
   */
  public static String of(TicketState s) {
    if (s.queue() != null && !LEVEL2.equals(s.queue())) {
      return s.queue();
    }
    String routed = null;
    for (AuditEntry e : AuditEntry.ofLastRun(s.audit() == null ? List.of() : s.audit())) {
      if (TicketAmendments.ROUTED.equals(e.event()) && e.reason() != null && e.reason().startsWith(ROUTED_QUEUE)) {
        int end = e.reason().indexOf(", category ");
        routed = e.reason().substring(ROUTED_QUEUE.length(), end < 0 ? e.reason().length() : end);
      }
    }
    return routed != null ? routed : s.category() != null ? s.category() : Router.GENERAL;
  }
}
