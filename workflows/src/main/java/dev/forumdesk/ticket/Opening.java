package dev.forumdesk.ticket;

/**
 * What a ticket looks like the moment its first event opens it, computed by the lifecycle's own
 * rules outside any workflow. The API shows this while the opening update still waits in the
 * inbox (a backlog, or Temporal down): the ticket exists for the team at once, and its workflow's
 * first projection, made from the same state and event, replaces it.
 */
public final class Opening {
  private Opening() {}

  /**
   * @param unopened the state a ticket's workflow starts from ({@link TicketState#unopened})
   * @param first the update that opens it: forum_topic_created, or a topic's first message
   */
  public static TicketState preview(TicketState unopened, TicketEvent first) {
    Ticket t = new Ticket(unopened);
    t.lifecycle = Transitions.LIFECYCLE_VERSION; // the rules its workflow will start with
    t.firstSighting(first.eventId());
    Transitions.apply(t, first);
    t.drainEffects(); // the acknowledgement is the workflow's to send
    return t.snapshot();
  }
}
