package dev.forumdesk.assignment;

import dev.forumdesk.routing.RoutingActivities.CommandResult;
import dev.forumdesk.ticket.RefusalKind;

/**
 * /away and /back: an agent's own shift, wherever they type it (a ticket's topic, the forum's
 * General topic, a private chat with the bot). No ticket is needed, so an agent with none open
 * need not say it in a customer's topic.
 */
public final class ShiftCommand {
  private final Roster roster;
  private final CapacityFreed capacity;

  /** @param capacity told when an agent is back: the waiting line may have work for them */
  public ShiftCommand(Roster roster, CapacityFreed capacity) {
    this.roster = roster;
    this.capacity = capacity;
  }

  public CommandResult run(long agentId, boolean back) {
    if (!roster.setOnShift(agentId, back)) {
      return CommandResult.refused(RefusalKind.FORBIDDEN, "Only configured agents have a shift.");
    }
    if (back) {
      roster.agents().stream().filter(a -> a.id() == agentId).findFirst()
          .ifPresent(a -> capacity.freed(a.name() + " is back"));
    }
    return CommandResult.done(back
        ? "👋 Welcome back: new tickets can reach you again."
        : "🌙 You are away: no new tickets until /back. Your open tickets stay yours.", null);
  }
}
