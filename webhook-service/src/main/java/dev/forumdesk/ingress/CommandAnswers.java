package dev.forumdesk.ingress;

import dev.forumdesk.store.Outbox;
import dev.forumdesk.ticket.Html;
import dev.forumdesk.ticket.OutboundMessage;
import java.util.function.BiConsumer;

/**
 * Posts what the workflow cannot: a refused command's reason (the validator rejected it, so
 * nothing reached the ticket's history) and the note that a closed ticket takes no commands, in
 * the topic the command was typed in (the ticket's, or its Level 2 topic). Accepted commands are
 * answered by the workflow itself.
 */
public final class CommandAnswers implements BiConsumer<Classified.Command, TicketGateway.CommandOutcome> {
  private final Outbox outbox;

  public CommandAnswers(Outbox outbox) {
    this.outbox = outbox;
  }

  /** A command where no ticket is: the answer where it was typed. */
  public void answer(Classified.Answer a) {
    outbox.enqueue(new OutboundMessage(a.key(), a.chatId(), a.threadId(), a.text(), OutboundMessage.NORMAL), null, null);
  }

  @Override
  public void accept(Classified.Command c, TicketGateway.CommandOutcome outcome) {
    String text = switch (outcome) {
      case TicketGateway.CommandOutcome.Accepted a -> null;
      case TicketGateway.CommandOutcome.Refused r -> "🚫 " + Html.escape(r.reason());
      case TicketGateway.CommandOutcome.NoTicket n -> c.request().answerIn() == null
          ? "This topic has no open ticket. A message here (not a command) opens one."
          : "The ticket of this Level 2 topic is closed; commands here have nothing to act on.";
    };
    if (text == null) {
      return;
    }
    OutboundMessage m = new OutboundMessage(
        c.ticketId() + ":answer:" + c.request().eventId(), c.chatId(), c.threadId(), text, OutboundMessage.NORMAL);
    outbox.enqueue(m, null, null);
  }
}
