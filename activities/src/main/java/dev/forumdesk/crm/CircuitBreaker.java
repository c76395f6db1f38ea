package dev.forumdesk.crm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Stops calling a failing CRM for a while: after {@code threshold} consecutive failures the
 * circuit opens for {@code openFor}, then lets one trial call through (half-open). Keeps tickets
 * from each waiting a full timeout while the CRM is down.
 */
public final class CircuitBreaker {
  private final int threshold;
  private final Duration openFor;
  private final Clock clock;
  private int failures;
  private Instant openUntil = Instant.MIN;
  private boolean trialInFlight;

  public CircuitBreaker(int threshold, Duration openFor, Clock clock) {
    this.threshold = threshold;
    this.openFor = openFor;
    this.clock = clock;
  }

  /** @return true when a call may go out now */
  public synchronized boolean allow() {
    if (failures < threshold) {
      return true;
    }
    if (clock.instant().isBefore(openUntil) || trialInFlight) {
      return false;
    }
    trialInFlight = true; // half-open: one probe
    return true;
  }

  public synchronized void success() {
    failures = 0;
    trialInFlight = false;
  }

  public synchronized void failure() {
    failures++;
    trialInFlight = false;
    if (failures >= threshold) {
      openUntil = clock.instant().plus(openFor);
    }
  }

  public synchronized boolean isOpen() {
    return failures >= threshold && clock.instant().isBefore(openUntil);
  }
}
