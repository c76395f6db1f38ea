package dev.forumdesk.ticket;

public enum Priority {
  LOW,
  NORMAL,
  HIGH,
  URGENT
}
