package dev.forumdesk.ticket;

/** A side effect decided by the ticket's rules, carried out by the workflow through activities. */
sealed interface Effect {
  record Post(OutboundMessage message) implements Effect {}

  /** A private message to an agent; if Telegram refuses it, {@code fallback} goes to the topic. */
  record DirectMessage(OutboundMessage message, OutboundMessage fallback) implements Effect {}

  /**
   * Create the Level 2 topic and post the summary in it. {@code run}: which run's escalation it is
   * ({@link TicketActivities#openLevel2Topic}); null under lifecycle rules before 2, the ticket's.
   */
  record OpenLevel2Topic(String title, String summaryHtml, String run) implements Effect {}

  /** Tag the topic's name with its assignee's again (the title lock); {@code cause} keys the edit. */
  record LockTitle(String cause) implements Effect {}

  record RecordBreach(String clock) implements Effect {}

  /**
   * A note for staff with nobody to address it to, as the ticket's topic would get it; the activity
   * sends it where customers do not read ({@link TicketActivities#staffNote}). For the audit: {@code
   * kind}, what it is about ("stale"), and {@code nobody}, why nobody ("no supervisors").
   */
  record StaffNote(OutboundMessage message, String kind, String nobody) implements Effect {}
}
