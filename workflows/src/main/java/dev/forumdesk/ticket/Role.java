package dev.forumdesk.ticket;

/** Who acted on a ticket, decided at ingress from the configured roster. */
public enum Role {
  CUSTOMER,
  AGENT,
  SUPERVISOR,
  /** Forumdesk itself (delivery reports, timers). */
  SYSTEM;

  public boolean isStaff() {
    return this == AGENT || this == SUPERVISOR;
  }

  /** The audit actor string: customer:5001, agent:1001, supervisor:900001, system. */
  public String actor(Person p) {
    return this == SYSTEM || p == null ? "system" : name().toLowerCase() + ":" + p.id();
  }
}
