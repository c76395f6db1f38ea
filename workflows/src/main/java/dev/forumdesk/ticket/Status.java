package dev.forumdesk.ticket;

public enum Status {
  NEW,
  IN_PROGRESS,
  ON_HOLD,
  ESCALATED,
  STALE,
  RESOLVED,
  CLOSED;

  /** Resolved or closed: off its agent's load, out of the waiting line, no further escalation. */
  public boolean finished() {
    return this == RESOLVED || this == CLOSED;
  }
}
