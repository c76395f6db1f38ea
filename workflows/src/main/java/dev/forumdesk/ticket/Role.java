package dev.forumdesk.ticket;

/** Who wrote something in a ticket's topic, decided at ingress from the configured roster. */
public enum Role {
  CUSTOMER,
  AGENT,
  SUPERVISOR;

  public boolean isStaff() {
    return this != CUSTOMER;
  }
}
