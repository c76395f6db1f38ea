package dev.forumdesk.ingress;

import dev.forumdesk.store.Inbox;
import dev.forumdesk.ticket.CommandRequest;
import dev.forumdesk.ticket.Person;
import java.time.Instant;
import dev.forumdesk.ticket.TicketEvent;

/** What an Update means to Forumdesk. */
public sealed interface Classified {
  /** Short label stored with the inbox row (for metrics and debugging). */
  String kind();

  /**
   * An event for a ticket. {@code startsTicket}: a topic message may open the ticket
   * (signalWithStart); a Level 2 reply only reaches a ticket that exists (signal). {@code media}: what a
   * relayed topic message carries besides text ({@link dev.forumdesk.telegram.Update.Message#media()}),
   * copied to the customer as it is; null for text. {@code html}: a help desk's reply as Telegram HTML
   * (its links kept as links), which the customer's copy uses instead of the message's text escaped;
   * null for everything else.
   */
  record ForTicket(String ticketId, long chatId, long threadId, TicketEvent event, String kind, boolean startsTicket,
      String media, String html) implements Classified {
    public ForTicket(String ticketId, long chatId, long threadId, TicketEvent event, String kind, boolean startsTicket) {
      this(ticketId, chatId, threadId, event, kind, startsTicket, null, null);
    }

    public ForTicket(String ticketId, long chatId, long threadId, TicketEvent event, String kind, boolean startsTicket,
        String media) {
      this(ticketId, chatId, threadId, event, kind, startsTicket, media, null);
    }
  }

  /**
   * A bot command for a ticket: delivered as a Temporal update, answered in the topic it was typed
   * in, {@code chatId}/{@code threadId}: the ticket's own, or its Level 2 topic (then also the
   * request's {@link CommandRequest#answerIn()}, so that the workflow answers there too).
   */
  record Command(String ticketId, long chatId, long threadId, CommandRequest request) implements Classified {
    @Override
    public String kind() {
      return request.answerIn() == null ? "command" : "level2-command";
    }
  }

  /**
   * Relay mode: a customer's private message to the bot. Its topic in the agents' forum is found
   * or opened when it is delivered, so the inbox orders it by customer ({@link #ticket()}).
   * {@code media}: a photo, sticker, voice note... ({@link dev.forumdesk.telegram.Update.Message#media()}),
   * copied into the topic as it is, {@code text} being its caption or a placeholder ("[photo]"); null for
   * text. {@code edited}: an edit of an earlier message ({@code edited_message}), {@code text} its new text.
   */
  record RelayIn(Person customer, String eventId, Instant at, long messageId, String text, String media,
      boolean edited) implements Classified {
    public RelayIn(Person customer, String eventId, Instant at, long messageId, String text) {
      this(customer, eventId, at, messageId, text, null, false);
    }

    @Override
    public String kind() {
      return edited ? "relay-edit" : media != null ? "relay-media" : "relay-in";
    }

    /** The inbox key of a customer's private messages: delivered in order, one after the other. */
    public String queueKey() {
      return Inbox.relayKey(customer.id());
    }
  }

  record Ignored(String kind) implements Classified {}

  /**
   * A staff member's command where no ticket is (the forum's General topic, a topic of the Level 2
   * forum that belongs to no ticket): answered there, so they learn why nothing happened.
   * {@code threadId}: that topic, null for the General topic. {@code key}: the outbox key, one
   * answer per update.
   */
  record Answer(long chatId, Long threadId, String key, String text) implements Classified {
    /** An answer in the General topic. */
    public Answer(long chatId, String key, String text) {
      this(chatId, null, key, text);
    }

    @Override
    public String kind() {
      return "command-outside-a-ticket";
    }
  }

  /**
   * A staff member's /away or /back where no ticket is: the forum's General topic ({@code chatId}
   * the forum, no thread) or a private chat with the bot ({@code chatId} theirs). Their shift
   * changes and the answer goes where they typed it; {@code key}: the outbox key, one per update.
   */
  record Shift(Person agent, boolean back, long chatId, String key) implements Classified {
    @Override
    public String kind() {
      return back ? "back" : "away";
    }
  }

  /** The ticket this update is for, if any. */
  default java.util.Optional<String> ticket() {
    return switch (this) {
      case ForTicket t -> java.util.Optional.of(t.ticketId());
      case Command c -> java.util.Optional.of(c.ticketId());
      case RelayIn r -> java.util.Optional.of(r.queueKey());
      case Ignored i -> java.util.Optional.empty();
      case Answer a -> java.util.Optional.of("answer-" + a.chatId()); // queued, so the dispatcher answers it
      case Shift s -> java.util.Optional.of("shift-" + s.agent().id()); // one agent's in the order typed
    };
  }
}
