package dev.forumdesk.assignment;

import dev.forumdesk.routing.RoutingActivities.CommandResult;
import dev.forumdesk.ticket.RefusalKind;

/**
 * /away and /back: an agent's own shift, wherever they type it (a ticket's topic, the forum's
 * General topic, a private chat with the bot). No ticket is needed, so an agent with none open
 * need not say it in a customer's topic.
 */
public final class ShiftCommand {
  /**
   * The answer where customers read it (group mode's forum): whether an agent is away is the
   * staff's business, and the agent knows what they typed.
   */
  static final String NOTED = "✅ Noted.";

  private final Roster roster;
  private final CapacityFreed capacity;

  /** @param capacity told when an agent is back: the waiting line may have work for them */
  public ShiftCommand(Roster roster, CapacityFreed capacity) {
    this.roster = roster;
    this.capacity = capacity;
  }

  /** @param customersRead whether customers read where the answer goes: then it says only that it is done */
  public CommandResult run(long agentId, boolean back, boolean customersRead) {
    if (!roster.setOnShift(agentId, back)) {
      return CommandResult.refused(RefusalKind.FORBIDDEN, "Only configured agents have a shift.");
    }
    if (back) {
      roster.agents().stream().filter(a -> a.id() == agentId).findFirst()
          .ifPresent(a -> capacity.freed(a.name() + " is back"));
    }
    return CommandResult.done(customersRead ? NOTED : back
        ? "👋 Welcome back: new tickets can reach you again."
        : "🌙 You are away: no new tickets until /back. Your open tickets stay yours.", null);
  }
}
