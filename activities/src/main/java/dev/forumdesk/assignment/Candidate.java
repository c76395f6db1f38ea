package dev.forumdesk.assignment;

import dev.forumdesk.config.AgentConfig;
import java.time.Instant;

/** An agent as assignment sees them at one moment: shift state and current load. */
public record Candidate(
    AgentConfig agent, boolean onShift, int openTickets, double load, Instant lastAssignedAt) {

  boolean hasSlot() {
    return openTickets < agent.maxOpen();
  }

  boolean available() {
    return onShift && hasSlot();
  }
}
