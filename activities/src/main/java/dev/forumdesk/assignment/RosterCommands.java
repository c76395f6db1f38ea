package dev.forumdesk.assignment;

import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.routing.RoutingActivities.CommandResult;
import dev.forumdesk.routing.RoutingActivities.RoutingCommand;
import dev.forumdesk.ticket.Html;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.RefusalKind;
import dev.forumdesk.text.Words;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The roster side of /reassign, /assign, /away, /back and /why (RoutingActivities.command). */
public final class RosterCommands {
  private final Roster roster;
  private final Assigner assigner;
  private final CapacityFreed capacity;
  private final ShiftCommand shifts;

  /** @param capacity told when a command frees a slot: a ticket moved away, an agent back */
  public RosterCommands(Roster roster, Assigner assigner, CapacityFreed capacity) {
    this.roster = roster;
    this.assigner = assigner;
    this.capacity = capacity;
    this.shifts = new ShiftCommand(roster, capacity);
  }

  public CommandResult run(RoutingCommand c) {
    Optional<String> username = firstWord(c.args());
    return switch (c.name().toLowerCase(Locale.ROOT)) {
      case "away", "back" -> shifts.run(c.actorId(), c.name().equalsIgnoreCase("back"));
      case "why" -> CommandResult.done(Why.explain(c.reasons(), roster.candidates()), null);
      case "reassign" -> moved(c, assigner.apply(c.ticketId(), c.weight(), agents -> Reassignment.reassign(
          c.actorId(), assigner.holder(c.ticketId()).orElse(null), username, agents, c.requirements())));
      case "assign" -> username.isEmpty()
          ? CommandResult.refused(RefusalKind.INVALID, "Usage: /assign @username")
          : moved(c, assigner.apply(c.ticketId(), c.weight(),
              agents -> Reassignment.assign(c.supervisor(), username.get(), agents)));
      default -> CommandResult.refused(RefusalKind.INVALID, "/" + c.name() + " is not a roster command");
    };
  }

  private CommandResult moved(RoutingCommand c, Reassignment.Outcome o) {
    return switch (o) {
      case Reassignment.Moved m -> {
        capacity.freed(c.ticketId() + " moved by /" + c.name().toLowerCase(Locale.ROOT));
        AgentConfig a = m.to();
        // the topic reads a sentence; the audit and /why keep the phrase, without the emoji
        yield CommandResult.moved("👤 " + Html.escape(Words.sentence(m.reason())), new Person(a.id(), a.name(), a.username()),
            m.reason());
      }
      case Reassignment.Refused r -> CommandResult.refused(r.kind(), Words.sentence(r.reason()));
    };
  }

  private static Optional<String> firstWord(String args) {
    return args == null || args.isBlank()
        ? Optional.empty()
        : Arrays.stream(args.strip().split("\\s+")).findFirst();
  }
}
