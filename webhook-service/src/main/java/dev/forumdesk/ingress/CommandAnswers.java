package dev.forumdesk.ingress;

import dev.forumdesk.outbox.PrivateNotes;
import dev.forumdesk.outbox.StaffPlaces;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.ticket.CommandRequest;
import dev.forumdesk.ticket.Html;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.RefusalKind;
import dev.forumdesk.ticket.Role;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Posts what the workflow cannot: a refused command's reason (the validator rejected it, so
 * nothing reached the ticket's history) and the note that a closed ticket takes no commands, in
 * the topic the command was typed in (the ticket's, or its Level 2 topic). Accepted commands are
 * answered by the workflow itself.
 */
public final class CommandAnswers implements BiConsumer<Classified.Command, TicketGateway.CommandOutcome> {
  private final Outbox outbox;
  private final PrivateNotes notes;
  private final StaffPlaces places;
  private final Function<String, String> topicLink;

  /**
   * @param notes sends /status's whole card and /priority's answer to the one who asked where the
   *     customer reads the topic
   * @param topicLink the ticket's title linked to its topic, given its id, for that message
   */
  public CommandAnswers(Outbox outbox, PrivateNotes notes, StaffPlaces places, Function<String, String> topicLink) {
    this.outbox = outbox;
    this.notes = notes;
    this.places = places;
    this.topicLink = topicLink;
  }

  /** A command where no ticket is: the answer where it was typed. */
  public void answer(Classified.Answer a) {
    outbox.enqueue(MessageKind.OTHER, new OutboundMessage(a.key(), a.chatId(), a.threadId(), a.text(), OutboundMessage.NORMAL), null, null);
  }

  @Override
  public void accept(Classified.Command c, TicketGateway.CommandOutcome outcome) {
    String text = switch (outcome) {
      case TicketGateway.CommandOutcome.Accepted a -> {
        answerPrivately(c, a.reply().message());
        yield null;
      }
      case TicketGateway.CommandOutcome.Refused r -> refusalMark(c.request(), r) + Html.escape(r.reason());
      case TicketGateway.CommandOutcome.NoTicket n -> c.request().answerIn() == null
          ? CustomerStatus.NO_TICKET
          : "The ticket of this Level 2 topic is closed; commands here have nothing to act on.";
    };
    if (text == null) {
      return;
    }
    outbox.enqueue(MessageKind.OTHER, new OutboundMessage(key(c), c.chatId(), c.threadId(), text, OutboundMessage.NORMAL), null, null);
  }

  /**
   * A refusal reads "🚫 why", except a customer's command the bot does not have (/help, /start):
   * its answer is guidance ("Just write your question here; …"), and a "forbidden" sign before it
   * read as a rebuke to someone asking for help (audit 14, F5); nor a staff member's /help, answered
   * with the list of commands (audit 15, F6).
   */
  private static String refusalMark(CommandRequest request, TicketGateway.CommandOutcome.Refused r) {
    boolean asksForHelp = request.role() == Role.CUSTOMER || "help".equalsIgnoreCase(request.name());
    return asksForHelp && r.kind() == RefusalKind.INVALID ? "" : "🚫 ";
  }

  /**
   * /status's card names the escalation level, the queue and the SLA dues, and /priority's answer
   * the priority (audit 10, F5): where the customer reads the topic it shows only the status in
   * words, and nothing of /priority, there (PrivateNotes.inTopic), so the staff member who asked
   * gets the answer under the ticket's link by DM, keyed by the update (sent once), with /why's
   * fallback: the staff forum, or, without one, nothing. A redelivered command ("Already done.")
   * sends nothing.
   */
  private void answerPrivately(Classified.Command c, String reply) {
    CommandRequest r = c.request();
    String mark = switch (r.name()) {
      case "status" -> PrivateNotes.answersStatus(reply) ? "📋 " : null;
      case "priority" -> PrivateNotes.answersPriority(reply) ? "🏷 " : null;
      default -> null;
    };
    if (mark == null || !places.customersRead(c.chatId()) || !r.role().isStaff()) {
      return;
    }
    String key = c.ticketId() + ":" + r.name() + ":" + r.eventId();
    String html = mark + topicLink.apply(c.ticketId()) + "\n" + reply;
    notes.send(c.ticketId(), new OutboundMessage(key + ":dm", r.from().id(), null, html, OutboundMessage.NORMAL),
        new OutboundMessage(key + ":fallback", c.chatId(), c.threadId(),
            places.staffMember(r.from().id()).mention() + " " + html, OutboundMessage.NORMAL));
  }

  /**
   * Whether the answer this class posts for {@code update} is in the outbox already: the update ran
   * before, and its answer is its one effect (a refused command, a command where no ticket is, an
   * /away or /back). A crash after the answer and before the inbox row was marked settled leaves
   * the row pending; run again, the command could be accepted by a ticket that changed meanwhile.
   * The keys are the update's, so the answer holds in every deployment shape, although the embedded
   * inbox and outbox are two databases.
   */
  public boolean answered(Classified update) {
    Optional<String> key = switch (update) {
      case Classified.Command c -> Optional.of(key(c));
      case Classified.Answer a -> Optional.of(a.key());
      case Classified.Shift s -> Optional.of(s.key());
      case Classified.ForTicket t -> Optional.empty(); // answered, if at all, by the workflow
      case Classified.RelayIn r -> Optional.empty();
      case Classified.Ignored i -> Optional.empty();
    };
    return key.flatMap(outbox::status).isPresent();
  }

  /** A refused command's answer, one per update: the command's event id is {@code u<update_id>}. */
  static String key(Classified.Command c) {
    return c.ticketId() + ":answer:" + c.request().eventId();
  }
}
