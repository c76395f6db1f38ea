package dev.forumdesk.sla;

/** The deadlines a ticket can be waiting for. */
public enum Clock {
  /** 80% of the first-response time: warn the assignee before the breach. */
  FIRST_RESPONSE_WARNING(true, true),
  FIRST_RESPONSE(true, true),
  /** Still unanswered one more first-response period after the breach: level 2. */
  ESCALATION_CHAIN(true, true),
  NEXT_RESPONSE(true, true),
  RESOLUTION(true, true),
  /** No message from anyone: STALE. Business time (a weekend is not neglect), paused on hold. */
  STALE(true, true),
  /** RESOLVED for this long: CLOSED. Wall-clock time. */
  AUTO_CLOSE(false, false);

  private final boolean businessTime;
  private final boolean pausable;

  Clock(boolean businessTime, boolean pausable) {
    this.businessTime = businessTime;
    this.pausable = pausable;
  }

  /** Its name in breaches, audit reasons and metrics: "first-response". */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  public boolean businessTime() {
    return businessTime;
  }

  public boolean pausable() {
    return pausable;
  }
}
