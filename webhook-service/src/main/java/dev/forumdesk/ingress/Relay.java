package dev.forumdesk.ingress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forumdesk.config.ForumdeskConfig;
import dev.forumdesk.json.Json;
import dev.forumdesk.outbox.NewTopics;
import dev.forumdesk.store.Outbox;
import dev.forumdesk.store.RelayTopics;
import dev.forumdesk.text.Cut;
import dev.forumdesk.text.TelegramHtml;
import dev.forumdesk.ticket.CustomerCommands;
import dev.forumdesk.ticket.ForumTopic;
import dev.forumdesk.ticket.Html;
import dev.forumdesk.ticket.MessageKind;
import dev.forumdesk.ticket.OutboundMessage;
import dev.forumdesk.ticket.Role;
import dev.forumdesk.ticket.Status;
import dev.forumdesk.ticket.TicketEvent;
import dev.forumdesk.ticket.TicketWorkflow;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relay mode ({@code support.mode: relay}): customers write to the bot privately and never see the
 * agents' forum. A customer's private message goes to their open ticket's topic, or opens a topic
 * for a new ticket; an agent's reply in such a topic is sent to the customer privately. The
 * ticket itself is the same workflow as in group mode: the relay only moves messages between the
 * private chat and the topic.
 *
 * <p>Every step is safe to repeat, as the dispatcher redelivers an update until it went through:
 * the topic an update opened is looked up by that update before a new one is created (Telegram's
 * createForumTopic is not idempotent), the ticket drops an event it saw, and outbox rows are keyed.
 * The topic itself is an outbox row keyed by the update ({@link NewTopics}), within the forum's
 * budget: while it waits its turn the update waits in the inbox ({@link TopicWaiting}), holding
 * back the customer's later messages only, so nothing they wrote is lost or reordered.
 */
public interface Relay {
  /**
   * In the outbox key of an agent's message relayed to the customer, before the message's event:
   * "&lt;ticket&gt;:relay-out:u15".
   */
  String OUT_KEY = ":relay-out:";

  /** Group mode: nothing to relay. */
  Relay OFF = new Relay() {
    @Override
    public boolean in(Classified.RelayIn message) {
      throw new IllegalStateException("a private message to relay in group mode");
    }

    @Override
    public void out(Classified.ForTicket delivered) {}

    @Override
    public Optional<TurnedAway> turnedAway(Classified.ForTicket event) {
      return Optional.empty();
    }

    @Override
    public boolean on() {
      return false;
    }
  };

  /** Whether this is relay mode's relay ({@link #OFF} is not). */
  default boolean on() {
    return true;
  }

  /**
   * A customer's private message: to their ticket's topic, opened first when they have none.
   *
   * @return whether it reached a ticket (its row is settled when the ticket's projection shows it);
   *     false when its one effect is done here (the answer to /start, an edit with nobody to tell)
   */
  boolean in(Classified.RelayIn message);

  /**
   * The ticket a delivery of {@code message} reaches now without opening a topic: the topic it opened
   * (a redelivery), else the customer's open one; none for a /start, nor when it would open a topic.
   * For a restored ticket's journal ({@link Dispatcher#journalEntry}).
   */
  default Optional<String> ticketOf(Classified.RelayIn message) {
    return Optional.empty();
  }

  /** What a customer's private message tells their ticket: their message, under the update's event id. */
  static TicketEvent.MessagePosted event(Classified.RelayIn m) {
    return new TicketEvent.MessagePosted(m.eventId(), m.at(), m.customer(), Role.CUSTOMER, m.messageId(), m.text());
  }

  /** After a topic event reached its ticket: an agent's reply in a relayed topic goes to the customer. */
  void out(Classified.ForTicket delivered);

  /**
   * Before a topic event reaches its ticket: whether it is an agent's message in a CLOSED ticket's
   * topic while the customer has another open ticket. The customer has one private chat with the
   * bot, and their answers go to their open ticket: a follow-up started here would never hear from
   * them, and they could not tell the two conversations apart. Such a message is not relayed and
   * starts nothing; the topic is told where to write.
   *
   * @return who and where, when it is turned away (the topic's notice is in the outbox then)
   */
  Optional<TurnedAway> turnedAway(Classified.ForTicket event);

  /**
   * Why a staff message in a CLOSED ticket's topic was not relayed: {@code customer} (their name)
   * has another open ticket, in {@code open}'s topic, where their answers go.
   */
  record TurnedAway(String customer, RelayTopics.Topic open) {}

  /**
   * A topic event to its ticket as the dispatcher delivers one: an agent's message in a CLOSED
   * ticket's topic while the customer has another open ticket is turned away ({@link #turnedAway});
   * anything else reaches the ticket through {@code ticket} (a message in a CLOSED ticket's topic that
   * {@link Classified.ForTicket#startsTicket() starts} one: a follow-up run), an agent's message
   * reaching the customer ({@link #out}) first. The help desk's replies go the same way (HelpDeskSync).
   * The customer's copy is queued before the ticket takes the event: the help-desk sync skips a reply
   * the ticket shows, so a crash between the two would lose the copy for good the other way round;
   * queued first, a redelivery only queues it again under the same outbox key.
   *
   * @return the turn-away, empty when it was delivered
   */
  default Optional<TurnedAway> deliver(Classified.ForTicket event, java.util.function.Consumer<Classified.ForTicket> ticket) {
    Optional<TurnedAway> away = turnedAway(event);
    if (away.isEmpty()) {
      out(event);
      ticket.accept(event);
    }
    return away;
  }

  /**
   * The customer's new topic still waits its turn in the forum's budget: the update is delivered
   * again after {@link #RETRY_IN}, as no failure (no growing backoff, no retry counted).
   */
  final class TopicWaiting extends RuntimeException {
    static final Duration RETRY_IN = Duration.ofSeconds(1);

    TopicWaiting(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The relay of {@code support.mode: relay}; {@link #OFF} in group mode.
   *
   * @param newTopics opens the customers' topics through the outbox ({@link NewTopics#RELAY_WAIT})
   * @param status answers a customer's /status from the read model
   */
  static Relay of(ForumdeskConfig config, RelayTopics topics, NewTopics newTopics, TicketGateway tickets,
      Outbox outbox, CustomerStatus status) {
    return config.relay() ? new TopicRelay(config, topics, newTopics, tickets, outbox, status) : OFF;
  }

  /** The relay through topics the bot opens in {@code support.chat-id}. */
  final class TopicRelay implements Relay {
    private static final Logger log = LoggerFactory.getLogger(TopicRelay.class);
    /** Media that take a caption (stickers, video notes, locations and contacts do not). */
    static final Set<String> CAPTIONED = Set.of("animation", "photo", "video", "audio", "voice",
        "document");
    /** Telegram's limit for a caption, in characters after entities are parsed. */
    static final int CAPTION_MAX = 1024;
    /** Telegram's limit for a topic name. */
    static final int TOPIC_NAME_MAX = 128;

    private final ForumdeskConfig config;
    private final RelayTopics topics;
    private final NewTopics newTopics;
    private final TicketGateway tickets;
    private final Outbox outbox;
    private final CustomerStatus status;

    TopicRelay(ForumdeskConfig config, RelayTopics topics, NewTopics newTopics, TicketGateway tickets,
        Outbox outbox, CustomerStatus status) {
      this.status = status;
      this.config = config;
      this.topics = topics;
      this.newTopics = newTopics;
      this.tickets = tickets;
      this.outbox = outbox;
    }

    @Override
    public boolean in(Classified.RelayIn m) {
      long customer = m.customer().id();
      if (m.edited()) {
        return edited(m);
      }
      if (isStart(m)) {
        outbox.enqueue(MessageKind.OTHER, new OutboundMessage("relay-start:" + m.eventId(), customer, null,
            "Hello! Write your question here; our support team answers you in this chat.", OutboundMessage.NORMAL),
            null, null);
        return false;
      }
      Optional<String> command = commandOf(m);
      if (command.isPresent()) {
        answer(m, command.get());
        return false;
      }
      Optional<Found> found = topicOf(m);
      boolean opens = found.map(Found::openedByThis).orElse(true);
      RelayTopics.Topic topic = found.map(Found::topic).orElseGet(() -> openTopic(m));
      if (opens) {
        // the ticket opens with its topic; a redelivery sends the opening again, which the ticket
        // drops as seen
        tickets.deliver(new Classified.ForTicket(topic.ticketId(), topic.chatId(), topic.threadId(),
            new TicketEvent.TopicOpened("r" + m.eventId().substring(1), m.at(), m.customer(), Role.CUSTOMER,
                title(m)), UpdateClassifier.TOPIC_CREATED, true));
        outbox.enqueue(MessageKind.OTHER, new OutboundMessage(topic.ticketId() + ":relay-ack", customer, null,
            "Thanks, we got your message. An agent will answer you here.", OutboundMessage.LOW), topic.ticketId(), null);
      }
      // the agents read the customer's words in the topic (a photo, a sticker: the message itself,
      // copied); the ticket hears them as the customer's, media as its caption or "[photo]"
      String key = topic.ticketId() + ":relay-in:" + m.eventId();
      if (m.media() != null) {
        copy(key, customer, m.messageId(), topic.chatId(), topic.threadId(), topic.ticketId(), null);
      } else {
        // the text gets what the line's start leaves of Telegram's 4,096 (as it counts: "💬" is two)
        String said = "💬 <b>" + Html.escape(m.customer().name()) + "</b>: ";
        outbox.enqueue(MessageKind.OTHER, new OutboundMessage(key, topic.chatId(), topic.threadId(),
            said + Html.escape(Cut.to(m.text(), TelegramHtml.MESSAGE_MAX - TelegramHtml.length(said))),
            OutboundMessage.NORMAL),
            topic.ticketId(), null);
      }
      tickets.deliver(new Classified.ForTicket(topic.ticketId(), topic.chatId(), topic.threadId(),
          Relay.event(m), "message", true));
      return true;
    }

    private static boolean isStart(Classified.RelayIn m) {
      return m.media() == null && m.text().strip().startsWith("/start");
    }

    /** A customer's /status with no ticket open (their last one CLOSED, or none yet). */
    static final String NO_OPEN_REQUEST = "You have no open request; just write your question here.";

    /**
     * A customer's /status while their topic is opened but its ticket not projected yet (its first
     * moments, or Temporal slow): the request is there, in the queue.
     */
    static final String QUEUED = "Your request is in the queue; an agent will answer you here.";

    /** Telegram's form of a bot command alone: "/status", "/status@ForumdeskBot", nothing after it. */
    private static final Pattern COMMAND = Pattern.compile("/([A-Za-z0-9_]{1,32})(?:@\\w+)?");

    /**
     * The bot command a customer's private message is ("status"), answered in their chat and not
     * relayed (audit 16b F5.4: "💬 Bob: /status" reached the agents and Bob heard nothing): /help or
     * one of the commands, alone. Anything else is their message and relayed: "/login page shows error
     * 500", "/help" with their question after it (the agents never saw those while any slash-word
     * made a command), and /reopen, which is their message as in group mode (writing reopens).
     */
    static Optional<String> commandOf(Classified.RelayIn m) {
      if (m.media() != null || m.edited()) {
        return Optional.empty();
      }
      Matcher c = COMMAND.matcher(m.text().strip());
      return c.matches() ? Optional.of(c.group(1).toLowerCase(Locale.ROOT))
          .filter(n -> n.equals("help") || CustomerCommands.staffOnly(n)).filter(n -> !n.equals("reopen"))
          : Optional.empty();
    }

    /**
     * A customer's command, answered privately as group mode answers it in the topic: /status with
     * the status of their open ticket in words, from the read model (CustomerStatus: no level, queue or
     * SLA dues),
     * a staff command with group mode's refusal, anything else (/help) with the customer's help
     * line. One answer per update: its outbox key is the update's.
     */
    private void answer(Classified.RelayIn m, String name) {
      long customer = m.customer().id();
      String text;
      if (name.equals("status")) {
        // the read model's, not a query of the workflow: answered while Temporal is slow or down
        // a topic whose ticket the read model does not have yet: opened, its first projection to come
        text = topics.openTopicOf(customer)
            .map(t -> status.ticket(t.ticketId())
                .map(s -> s.status() == Status.CLOSED ? NO_OPEN_REQUEST : CustomerStatus.card(s))
                .orElse(QUEUED))
            .orElse(NO_OPEN_REQUEST);
      } else if (CustomerCommands.staffOnly(name)) {
        text = "🚫 " + Html.escape(CustomerCommands.refusal(name));
      } else {
        text = Html.escape(CustomerCommands.HELP);
      }
      // no ticket's row: refused, it is the bot's answer, not "a message of their ticket" the agents wrote
      outbox.enqueue(MessageKind.OTHER, new OutboundMessage("relay-command:" + m.eventId(), customer, null, text,
          OutboundMessage.NORMAL), null, null);
      log.info("relay: customer {}'s /{} answered privately, not relayed", customer, name);
    }

    @Override
    public Optional<String> ticketOf(Classified.RelayIn m) {
      if (!m.edited() && (isStart(m) || commandOf(m).isPresent())) {
        return Optional.empty();
      }
      return topicOf(m).map(found -> found.topic().ticketId());
    }

    /**
     * The topic a delivery of {@code m} goes to without opening one, and whether it is the one {@code m}
     * opened ({@code openedByThis}: a redelivery, which sends the opening again).
     */
    private record Found(RelayTopics.Topic topic, boolean openedByThis) {}

    /**
     * Where a delivery of {@code m} goes now, unless it opens a topic: the topic it opened already (a
     * redelivery after the call or a crash), else the customer's open one. An edit opens none, so only
     * the open one is looked for.
     */
    private Optional<Found> topicOf(Classified.RelayIn m) {
      Optional<RelayTopics.Topic> opened = m.edited() ? Optional.empty() : topics.openedBy(m.eventId());
      if (opened.isPresent()) {
        return Optional.of(new Found(opened.get(), true));
      }
      return topics.openTopicOf(m.customer().id()).map(open -> new Found(open, false));
    }

    /**
     * A customer edited a private message: the agents see the new text in the topic, and the ticket
     * counts it as the customer writing (its own event id, "e&lt;update_id&gt;"). An edit opens no topic:
     * with no open ticket (it was closed since) there is nobody to tell.
     */
    private boolean edited(Classified.RelayIn m) {
      Optional<RelayTopics.Topic> open = topicOf(m).map(Found::topic);
      if (open.isEmpty()) {
        log.info("relay: customer {} edited a message but has no open ticket; not relayed", m.customer().id());
        return false;
      }
      RelayTopics.Topic topic = open.get();
      outbox.enqueue(MessageKind.OTHER, new OutboundMessage(topic.ticketId() + ":relay-edit:" + m.eventId(), topic.chatId(),
          topic.threadId(), "✏️ edited: " + Html.escape(Cut.to(m.text(), TelegramHtml.MESSAGE_MAX - TelegramHtml.length("✏️ edited: "))), OutboundMessage.NORMAL), topic.ticketId(), null);
      tickets.deliver(new Classified.ForTicket(topic.ticketId(), topic.chatId(), topic.threadId(),
          Relay.event(m), "message", true));
      return true;
    }

    /**
     * Telegram's copyMessage through the outbox: the same limits, retries and 429 handling as a text.
     *
     * @param caption the copy's caption (HTML) in place of the message's own, or null to keep it
     */
    private void copy(String key, long fromChat, long messageId, long toChat, Long toThread, String ticketId,
        String caption) {
      ObjectNode params = Json.mapper().createObjectNode();
      params.put("chat_id", toChat);
      if (toThread != null) {
        params.put("message_thread_id", toThread);
      }
      params.put("from_chat_id", fromChat);
      params.put("message_id", messageId);
      if (caption != null) {
        params.put("caption", caption);
        params.put("parse_mode", "HTML");
      }
      outbox.enqueue(MessageKind.OTHER, key, toChat, toThread, "copyMessage", params.toString(), OutboundMessage.NORMAL, ticketId, null);
    }

    /**
     * createForumTopic in the agents' forum through the outbox, once per update (its key), recorded
     * with the update as soon as Telegram answered.
     */
    private RelayTopics.Topic openTopic(Classified.RelayIn m) {
      long chat = config.support().chatId();
      long thread = switch (newTopics.open("relay-topic:" + m.eventId(), chat, title(m))) {
        case NewTopics.Result.Opened opened -> opened.threadId();
        case NewTopics.Result.Waiting w -> throw new TopicWaiting(
            "the topic for customer " + m.customer().id() + " waits for the forum's message budget (" + w.status() + ")");
        // kept in the inbox and retried with backoff: nothing the customer wrote is lost
        case NewTopics.Result.Refused r -> throw new IllegalStateException("createForumTopic in support.chat-id " + chat
            + " refused (" + r.reason() + "); is the bot an admin there with can_manage_topics?");
      };
      RelayTopics.Topic topic = new RelayTopics.Topic(chat, thread, m.customer().id(), TicketWorkflow.id(chat, thread));
      topics.save(topic, m.eventId());
      log.info("relay: opened topic {} for customer {} ({})", thread, m.customer().id(), topic.ticketId());
      return topic;
    }

    /** "Bob: I was charged twice…", within Telegram's 128 characters. */
    static String title(Classified.RelayIn m) {
      String first = m.text().strip().lines().findFirst().orElse("");
      String full = m.customer().name() + ": " + first;
      return Cut.to(full, TOPIC_NAME_MAX);
    }

    @Override
    public Optional<TurnedAway> turnedAway(Classified.ForTicket event) {
      if (!(event.event() instanceof TicketEvent.MessagePosted m) || !isAgentsReply(event)) {
        return Optional.empty();
      }
      Optional<Long> customer = topics.customerOf(event.chatId(), event.threadId());
      Optional<String> name = customer.flatMap(c -> topics.closedTicketsCustomer(event.ticketId()));
      Optional<RelayTopics.Topic> open = name.flatMap(n -> topics.openTopicOf(customer.get()))
          .filter(o -> o.threadId() != event.threadId());
      if (open.isEmpty()) {
        return Optional.empty(); // no follow-up competes: the message starts one, and the customer's answers go to it
      }
      String who = "<b>" + Html.escape(name.get()) + "</b>";
      outbox.enqueue(MessageKind.OTHER, new OutboundMessage(event.ticketId() + ":relay-closed:" + m.eventId(), event.chatId(),
          event.threadId(), "🚫 Not sent to " + who + ": this ticket is closed, and " + Html.escape(name.get())
              + " has an open ticket, " + new ForumTopic(open.get().chatId(), open.get().threadId()).link("here")
              + ". Write there: their answers go to that ticket.", OutboundMessage.NORMAL),
          event.ticketId(), null);
      log.info("relay: {}'s message in closed {} not relayed; customer {} has {} open", m.from().id(),
          event.ticketId(), customer.get(), open.get().ticketId());
      return Optional.of(new TurnedAway(name.get(), open.get()));
    }

    /** A staff member's message in a topic of the agents' forum. */
    private boolean isAgentsReply(Classified.ForTicket delivered) {
      return delivered.event() instanceof TicketEvent.MessagePosted reply && reply.role().isStaff()
          && delivered.chatId() == config.support().chatId();
    }

    @Override
    public void out(Classified.ForTicket delivered) {
      if (!isAgentsReply(delivered)) {
        return;
      }
      TicketEvent.MessagePosted reply = (TicketEvent.MessagePosted) delivered.event();
      String key = delivered.ticketId() + OUT_KEY + reply.eventId();
      topics.customerOf(delivered.chatId(), delivered.threadId()).ifPresent(customer -> {
        String signed = "<b>" + Html.escape(reply.from().name()) + "</b>";
        if (delivered.media() != null) { // a photo, a document: the customer gets the message itself, signed
          String caption = !CAPTIONED.contains(delivered.media()) ? null
              : reply.text().equals(UpdateClassifier.placeholder(delivered.media())) ? signed
              : signed + ": " + Html.escape(Cut.to(reply.text(), CAPTION_MAX - reply.from().name().length() - 2));
          copy(key, delivered.chatId(), reply.messageId(), customer, null, delivered.ticketId(), caption);
        } else {
          // a help desk's reply keeps its links (its HTML); a topic message is its text escaped
          String body = delivered.html() != null
              ? TelegramHtml.fit(delivered.html(), TelegramHtml.MESSAGE_MAX - TelegramHtml.length(signed + ": "))
              : Html.escape(Cut.to(reply.text(), TelegramHtml.MESSAGE_MAX - TelegramHtml.length(signed + ": ")));
          outbox.enqueue(MessageKind.OTHER, new OutboundMessage(key, customer, null, signed + ": " + body,
              OutboundMessage.NORMAL), delivered.ticketId(), null);
        }
      });
    }
  }
}
