package dev.forumdesk.assignment;

import dev.forumdesk.config.AgentConfig;
import dev.forumdesk.outbox.PrivateNotes;
import dev.forumdesk.outbox.StaffPlaces;
import dev.forumdesk.routing.RoutingActivities.CommandResult;
import dev.forumdesk.routing.RoutingActivities.RoutingCommand;
import dev.forumdesk.store.TicketStore;
import dev.forumdesk.ticket.ForumTopic;
import dev.forumdesk.ticket.Html;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.Person;
import dev.forumdesk.ticket.RefusalKind;
import dev.forumdesk.ticket.TicketState;
import dev.forumdesk.ticket.TicketWorkflow;
import dev.forumdesk.text.Words;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The roster side of /reassign, /assign, /away, /back and /why (RoutingActivities.command). Their
 * answers go to the ticket's topic, which the customer reads in group mode: /why's full detail
 * then goes to the agent who asked, privately, and /away and /back say only that they are done.
 */
public final class RosterCommands {
  private final Roster roster;
  private final Assigner assigner;
  private final CapacityFreed capacity;
  private final ShiftCommand shifts;
  private final StaffPlaces places;
  private final PrivateNotes notes;
  private final TicketStore tickets;

  /**
   * @param capacity told when a command frees a slot: a ticket moved away, an agent back
   * @param notes sends /why's full detail privately in group mode
   * @param tickets the read model, for the ticket's title in that message
   */
  public RosterCommands(Roster roster, Assigner assigner, CapacityFreed capacity, StaffPlaces places,
      PrivateNotes notes, TicketStore tickets) {
    this.roster = roster;
    this.assigner = assigner;
    this.capacity = capacity;
    this.shifts = new ShiftCommand(roster, capacity);
    this.places = places;
    this.notes = notes;
    this.tickets = tickets;
  }

  /**
   * @param invocation names this run of the command, the same when it is retried: the key of what
   *     it sends privately, so that a retry sends it once and the next /why again
   */
  public CommandResult run(RoutingCommand c, String invocation) {
    Optional<String> username = firstWord(c.args());
    return switch (c.name().toLowerCase(Locale.ROOT)) {
      case "away", "back" -> shifts.run(c.actorId(), c.name().equalsIgnoreCase("back"), places.customersReadTickets());
      case "why" -> why(c, invocation);
      case "reassign" -> moved(c, assigner.apply(c.ticketId(), c.weight(), agents -> Reassignment.reassign(
          c.actorId(), assigner.holder(c.ticketId()).orElse(null), username, agents, c.requirements())));
      case "assign" -> username.isEmpty()
          ? CommandResult.refused(RefusalKind.INVALID, "Usage: /assign @username")
          : moved(c, assigner.apply(c.ticketId(), c.weight(),
              agents -> Reassignment.assign(c.supervisor(), username.get(), agents)));
      default -> CommandResult.refused(RefusalKind.INVALID, "/" + c.name() + " is not a roster command");
    };
  }

  /**
   * In group mode the topic keeps the ticket's own reasons; the full detail goes to the agent who
   * asked. Should they never have started the bot, it goes to the staff forum, or, without one,
   * the topic tells them how to get it.
   */
  private CommandResult why(RoutingCommand c, String invocation) {
    String full = Why.explain(c.reasons(), roster.candidates());
    if (!places.customersReadTickets() || c.actorId() <= 0) { // 0: no Telegram user to write to
      return CommandResult.done(full, null);
    }
    ForumTopic topic = TicketWorkflow.topicOf(c.ticketId());
    String title = tickets.find(c.ticketId()).map(TicketState::title).orElse(c.ticketId());
    String detail = "🔎 " + topic.link(title) + "\n" + full;
    String key = c.ticketId() + ":why:" + invocation;
    notes.send(c.ticketId(),
        new OutboundMessage(key + ":dm", c.actorId(), null, detail, OutboundMessage.NORMAL),
        new OutboundMessage(key + ":fallback", topic.chatId(), topic.threadId(),
            places.staffMember(c.actorId()).mention() + " " + detail, OutboundMessage.NORMAL),
        mention -> mention + ", the full routing detail could not reach you privately: start a private chat with"
            + " the bot, then ask /why again.");
    return CommandResult.done(Why.forTopic(c.reasons(), "Full routing detail sent to you privately."), null);
  }

  private CommandResult moved(RoutingCommand c, Reassignment.Outcome o) {
    return switch (o) {
      case Reassignment.Moved m -> {
        capacity.freed(c.ticketId() + " moved by /" + c.name().toLowerCase(Locale.ROOT));
        AgentConfig a = m.to();
        // the topic reads a sentence; the audit and /why keep the phrase, without the emoji. Where
        // the customer reads it, not why another agent was passed over ("Boris is away; ...")
        String said = places.customersReadTickets() ? String.join("; ", Why.aboutTheTicket(m.reason())) : m.reason();
        yield CommandResult.moved("👤 " + Html.escape(Words.sentence(said.isEmpty() ? "now with " + a.name() : said)),
            new Person(a.id(), a.name(), a.username()), m.reason());
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
