package dev.forumdesk.ticket;

public enum Status {
  NEW,
  IN_PROGRESS,
  ON_HOLD,
  ESCALATED,
  STALE,
  RESOLVED,
  CLOSED
}
