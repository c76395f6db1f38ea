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
import dev.forumdesk.ticket.TicketWorkflow;
import dev.forumdesk.text.Words;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The roster side of /reassign, /assign, /away, /back and /why (RoutingActivities.command). Their
 * answers go to the ticket's topic, which the customer reads in group mode: /why's full detail,
 * why a /reassign was refused and the known agents' usernames then go to the agent who asked,
 * privately, and /away and /back say only that they are done.
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
   * @param notes sends /why's full detail and a /reassign's refusal privately in group mode
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
      // the pick asks for the agents of the default language when nobody speaks the ticket's; a
      // release into the line keeps its own language, judged again at each look
      case "reassign" -> moved(c, assigner.apply(c.ticketId(), c.weight(), c.requirements(), agents -> Reassignment.reassign(
          c.actorId(), c.supervisor(), holder(c), username, agents,
          roster.spoken(c.requirements(), new java.util.ArrayList<>()))), invocation);
      case "assign" -> username.isEmpty()
          ? CommandResult.refused(RefusalKind.INVALID, "Usage: /assign @username")
          : moved(c, assigner.apply(c.ticketId(), c.weight(),
              agents -> Reassignment.assign(c.supervisor(), username.get(), agents)), invocation);
      default -> CommandResult.refused(RefusalKind.INVALID, "/" + c.name() + " is not a roster command");
    };
  }

  /** The ticket's title as the read model has it, without an agent's tag. */
  public Optional<String> title(String ticketId) {
    return tickets.find(ticketId).map(t -> t.title());
  }

  /**
   * The ticket's agent by its assignment; without one, the read model's assignee: a ticket released
   * into the line whose workflow had not recorded it (the activity ran again) is released again, not
   * refused as nobody's.
   */
  private Long holder(RoutingCommand c) {
    return assigner.holder(c.ticketId()).or(() -> tickets.find(c.ticketId())
        .map(t -> t.assignee() == null ? null : t.assignee().id())).orElse(null);
  }

  /**
   * In group mode the topic keeps the ticket's own reasons; the full detail goes to the agent who
   * asked ({@link #tellPrivately}).
   */
  private CommandResult why(RoutingCommand c, String invocation) {
    List<String> reasons = assigner.waitingNow(c.ticketId()).map(now -> Why.waitingNow(c.reasons(), now))
        .orElse(c.reasons());
    String full = Why.explain(reasons, roster.candidates());
    if (!answeredPrivately(c)) {
      return CommandResult.done(full, null);
    }
    String where = notes.whereItGoes(places.staffMember(c.actorId())); // before this one is queued
    tellPrivately(c, invocation, link -> "🔎 " + link + "\n" + full);
    return CommandResult.done(Why.forTopic(reasons, "Full routing detail " + where + "."), null);
  }

  private CommandResult moved(RoutingCommand c, Reassignment.Outcome o, String invocation) {
    return switch (o) {
      case Reassignment.Moved m -> {
        capacity.freed(c.ticketId() + " moved by /" + c.name().toLowerCase(Locale.ROOT));
        AgentConfig a = m.to();
        yield CommandResult.moved(movedReply(c, m, invocation), new Person(a.id(), a.name(), a.username()), m.reason());
      }
      case Reassignment.Released r -> CommandResult.released(releasedReply(r), r.reason());
      case Reassignment.Refused r -> CommandResult.refused(r.kind(), Words.sentence(r.reason()));
      case Reassignment.Unavailable u -> unavailable(c, u, invocation);
      case Reassignment.UnknownAgent u -> unknown(c, u, invocation);
    };
  }

  /**
   * The topic reads a sentence; the audit and /why keep the phrase, without the emoji. Where the
   * customer reads it, not why another agent was passed over ("Boris is away; ..."), and an
   * /assign says only who takes care of the ticket: a cap or shift it overrode ("over cap (3/2)
   * while off shift until …") goes to the supervisor who asked, privately.
   */
  private String movedReply(RoutingCommand c, Reassignment.Moved m, String invocation) {
    String name = m.to().name();
    if (!places.customersReadTickets()) {
      return "👤 " + Html.escape(Words.sentence(m.reason()));
    }
    if (c.name().equalsIgnoreCase("assign")) {
      if (m.overrode() && answeredPrivately(c)) {
        tellPrivately(c, invocation, link -> "👤 " + link + ": " + Html.escape(Words.sentence(m.reason())));
      }
      return "👤 " + Html.escape(name) + " will take care of this.";
    }
    String said = String.join("; ", Why.aboutTheTicket(m.reason()));
    return "👤 " + Html.escape(Words.sentence(said.isEmpty() ? "now with " + name : said));
  }

  /**
   * A ticket released into the waiting line: staff read why; where the customer reads it, only that
   * the next free agent takes it (who left and others' loads are staff-only, as in /why).
   */
  private String releasedReply(Reassignment.Released r) {
    return places.customersReadTickets()
        ? "👤 Waiting for the next free agent."
        : "👤 " + Html.escape(Words.sentence(r.reason()));
  }

  /** An unknown name is answered with the agents' usernames: where the customer reads it, privately. */
  private CommandResult unknown(RoutingCommand c, Reassignment.UnknownAgent u, String invocation) {
    String reason = Words.sentence(u.reason());
    if (!answeredPrivately(c)) {
      return CommandResult.refused(RefusalKind.INVALID, reason);
    }
    String command = "/" + c.name().toLowerCase(Locale.ROOT);
    String where = notes.whereItGoes(places.staffMember(c.actorId()));
    tellPrivately(c, invocation, link -> "🚫 " + command + " on " + link + ": " + Html.escape(reason));
    return CommandResult.refused(RefusalKind.INVALID,
        "Unknown agent @" + u.username() + ". The known agents were " + where + ".");
  }

  /**
   * A refused /reassign names other agents' caps and shifts ("Carmen is at cap (8/8); …"). Where
   * the customer reads the answer it says only that nobody is free, and the one who asked gets the
   * reason privately, as with /why.
   */
  private CommandResult unavailable(RoutingCommand c, Reassignment.Unavailable u, String invocation) {
    String reason = Words.sentence(u.reason());
    if (!answeredPrivately(c)) {
      return CommandResult.refused(RefusalKind.CONFLICT, reason);
    }
    String where = notes.whereItGoes(places.staffMember(c.actorId()));
    tellPrivately(c, invocation, link -> "🚫 Could not reassign " + link + ": " + Html.escape(reason));
    return CommandResult.refused(RefusalKind.CONFLICT, (u.named() == null
        ? "Could not reassign: no other agent is available now."
        : "Could not reassign: " + u.named() + " is not available now, and no other agent is either.")
        + " The reason was " + where + ".");
  }

  /**
   * Group mode, a bot command (an API action is answered to the dashboard, which customers do not
   * read), and someone on Telegram to write to (0: none).
   */
  private boolean answeredPrivately(RoutingCommand c) {
    return places.customersReadTickets() && c.answeredInATopic() && c.actorId() > 0;
  }

  /**
   * Sends {@code detail} (HTML, given the ticket's topic link) to the staff member who typed the
   * command, keyed by its invocation. Should they never have started the bot, it goes to the staff
   * forum, or, without one, nowhere: the topic's answer said where it went ({@link PrivateNotes#whereItGoes}).
   */
  private void tellPrivately(RoutingCommand c, String invocation, Function<String, String> detail) {
    ForumTopic topic = TicketWorkflow.topicOf(c.ticketId());
    String html = detail.apply(tickets.topicLink(c.ticketId()));
    String key = c.ticketId() + ":" + c.name().toLowerCase(Locale.ROOT) + ":" + invocation;
    notes.send(c.ticketId(),
        new OutboundMessage(key + ":dm", c.actorId(), null, html, OutboundMessage.NORMAL),
        new OutboundMessage(key + ":fallback", topic.chatId(), topic.threadId(),
            places.staffMember(c.actorId()).mention() + " " + html, OutboundMessage.NORMAL));
  }

  private static Optional<String> firstWord(String args) {
    return args == null || args.isBlank()
        ? Optional.empty()
        : Arrays.stream(args.strip().split("\\s+")).findFirst();
  }
}
