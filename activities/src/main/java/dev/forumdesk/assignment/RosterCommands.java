package dev.forumdesk.assignment;

import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.routing.RoutingActivities.CommandResult;
import dev.forumdesk.routing.RoutingActivities.RoutingCommand;
import dev.forumdesk.ticket.Html;
import dev.forumdesk.ticket.Person;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The roster side of /reassign, /assign, /away, /back and /why (RoutingActivities.command). */
public final class RosterCommands {
  private final Roster roster;
  private final Assigner assigner;

  public RosterCommands(Roster roster, Assigner assigner) {
    this.roster = roster;
    this.assigner = assigner;
  }

  public CommandResult run(RoutingCommand c) {
    Optional<String> username = firstWord(c.args());
    return switch (c.name().toLowerCase(Locale.ROOT)) {
      case "away", "back" -> shift(c.actorId(), c.name().equalsIgnoreCase("back"));
      case "why" -> new CommandResult(false, Why.explain(c.reasons(), roster.candidates()), null);
      case "reassign" -> moved(assigner.apply(c.ticketId(), c.weight(), agents -> Reassignment.reassign(
          c.actorId(), assigner.holder(c.ticketId()).orElse(null), username, agents, c.requirements())));
      case "assign" -> username.isEmpty()
          ? refused("Usage: /assign @username")
          : moved(assigner.apply(c.ticketId(), c.weight(),
              agents -> Reassignment.assign(c.supervisor(), username.get(), agents)));
      default -> refused("/" + c.name() + " is not a roster command");
    };
  }

  private CommandResult shift(long agentId, boolean back) {
    if (!roster.setOnShift(agentId, back)) {
      return refused("Only configured agents have a shift.");
    }
    return new CommandResult(false, back
        ? "👋 Welcome back: new tickets can reach you again."
        : "🌙 You are away: no new tickets until /back. Your open tickets stay yours.", null);
  }

  private static CommandResult moved(Reassignment.Outcome o) {
    return switch (o) {
      case Reassignment.Moved m -> {
        AgentConfig a = m.to();
        yield new CommandResult(false, "👤 " + Html.escape(m.reason()) + ".", new Person(a.id(), a.name(), a.username()));
      }
      case Reassignment.Refused r -> refused(r.reason());
    };
  }

  private static CommandResult refused(String why) {
    return new CommandResult(true, why, null);
  }

  private static Optional<String> firstWord(String args) {
    return args == null || args.isBlank()
        ? Optional.empty()
        : Arrays.stream(args.strip().split("\\s+")).findFirst();
  }
}
