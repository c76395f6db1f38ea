package dev.forumdesk.assignment;

import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.shift.ShiftState;
import java.time.Instant;

/** An agent as assignment sees them at one moment: shift state and current load. */
public record Candidate(
    AgentConfig agent, ShiftState shift, int openTickets, double load, Instant lastAssignedAt) {

  /** An agent without shift hours: on shift, or away. */
  public Candidate(AgentConfig agent, boolean onShift, int openTickets, double load, Instant lastAssignedAt) {
    this(agent, onShift ? ShiftState.ON : ShiftState.AWAY, openTickets, load, lastAssignedAt);
  }

  boolean onShift() {
    return shift.onShift();
  }

  boolean hasSlot() {
    return openTickets < agent.maxOpen();
  }

  boolean available() {
    return onShift() && hasSlot();
  }
}
